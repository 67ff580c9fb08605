/** IPC channel names between main and preload (the preload repeats them as literals; keep both in step). */
export const IPC = {
  /** main → renderer: `webContents.postMessage(IPC.enginePort, { requestId? }, [port])` */
  enginePort: 'engine:port',
  /** main → renderer: `webContents.send(IPC.engineStatus, status: EngineStatus)` */
  engineStatus: 'engine:status',
  /** renderer → main (send): `{ requestId? }`, asks for a fresh engine port */
  engineRequestPort: 'engine:request-port',
  /** renderer → main (invoke): `count`; forks that many sweep engines (sweep-engines.ts), returns how many; ports follow on enginePort */
  sweepEnginesOpen: 'engine:sweep-open',
  /** renderer → main (invoke): no arguments; ends the page's sweep engines */
  sweepEnginesClose: 'engine:sweep-close',
  /** main → renderer: `{ id: 'sweep-N', reason }` when a sweep engine dies */
  sweepEngineExit: 'engine:sweep-exit',
  /** renderer → main (invoke): no arguments; returns ChooseDirectoryResult */
  chooseDatasetDirectory: 'dataset:choose-directory',
  /** renderer → main (invoke): no arguments; returns ChooseDirectoryResult (only the path: the renderer sends the import) */
  chooseImportDirectory: 'dataset:choose-import-directory',
  /** renderer → main (invoke): no arguments; returns StoredRunFile[] holding each run's summary */
  runsList: 'runs:list',
  /** renderer → main (invoke): run ids (at most MAX_READ_BATCH); returns StoredRunFile[] holding whole records */
  runsRead: 'runs:read',
  /** renderer → main (invoke): a run record `{ id, version, … }`; writes `<userData>/runs/<id>.json` atomically */
  runsSave: 'runs:save',
  /** renderer → main (invoke): a run id; deletes its file */
  runsRemove: 'runs:remove',
  /** renderer → main (invoke): suggested file name, CSV text; save dialog, returns SaveTextFileResult */
  saveCsv: 'export:save-csv',
  /** Model library (see src/main/model-ipc.ts): `<userData>/models/<id>.safetensors` + `<id>.json`. */
  modelsList: 'models:list',
  modelsRead: 'models:read',
  modelsSave: 'models:save',
  modelsSaveEntry: 'models:save-entry',
  modelsRemove: 'models:remove',
  modelsOpenFile: 'models:open-file',
  modelsSaveFile: 'models:save-file'
} as const
