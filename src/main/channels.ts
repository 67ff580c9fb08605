/** IPC channel names between main and preload (the preload repeats them as literals; keep both in step). */
export const IPC = {
  /** main → renderer: `webContents.postMessage(IPC.enginePort, { requestId? }, [port])` */
  enginePort: 'engine:port',
  /** main → renderer: `webContents.send(IPC.engineStatus, status: EngineStatus)` */
  engineStatus: 'engine:status',
  /** renderer → main (send): `{ requestId? }`, asks for a fresh engine port */
  engineRequestPort: 'engine:request-port',
  /** renderer → main (invoke): no arguments; returns ChooseDirectoryResult */
  chooseDatasetDirectory: 'dataset:choose-directory'
} as const
