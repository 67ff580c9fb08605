/*
 * The contract between the preload script and the renderer: what `window.gradientLab` holds in the
 * Electron app. Type-only and free of imports, so the renderer's tsconfig (tsconfig.web.json includes
 * src/preload/*.d.ts) can use it without seeing Electron or Node types.
 *
 * The engine itself is not reached through this object: MessagePorts cannot cross contextBridge. Instead
 * the preload forwards each port the main process hands over with a plain window message:
 *
 *   window.postMessage({ source: 'gradient-lab', kind: 'engine-port' } satisfies EnginePortMessage, '*', [port])
 *
 * so the renderer listens with `window.addEventListener('message', e => …e.ports[0]…)`. A new port arrives
 * after every page (re)load and after every engine restart; the newest one replaces the previous one.
 * A page that missed it may ask for a fresh one by posting an EnginePortRequest to its own window.
 */

/** Lifecycle of the engine's utility process, as pushed by the main process. */
export type EngineStatus =
  /** Being started for the first time. */
  | { state: 'starting' }
  /** Running; a port for it has been (or is about to be) handed over. */
  | { state: 'running'; pid?: number }
  /** It died unexpectedly; `reason` is for the user (exit code or fatal error). Followed by `restarting` or `failed`. */
  | { state: 'crashed'; reason: string; exitCode?: number }
  /** A new process starts after `delayMs`; `attempt` counts restarts within the current window (1..maxRestarts). */
  | { state: 'restarting'; attempt: number; maxRestarts: number; delayMs: number }
  /** It crashed too often and stays down until the app is restarted. `reason` says so, for the user. */
  | { state: 'failed'; reason: string }
  /** Shut down on purpose (the app is quitting). */
  | { state: 'stopped' }

export type EngineState = EngineStatus['state']

export type ChooseDirectoryResult = { canceled: true } | { canceled: false; directory: string }

/**
 * One stored run record as the main process read it from `<userData>/runs/<id>.json`: the parsed JSON, not
 * yet validated (the renderer checks it against its versioned schema), or why the file could not be read.
 */
export type StoredRunFile = { id: string; ok: true; data: unknown } | { id: string; ok: false; reason: string }

/** Run records in the app's user-data folder. Writes are atomic (temporary file, then rename). */
export interface RunFilesApi {
  /** Every record file, unreadable ones included (with the reason), so the UI can say which were skipped. */
  list(): Promise<StoredRunFile[]>
  /** Writes (or replaces) `<id>.json`; `record.id` must be a plain id (letters, digits, `.`, `_`, `-`). */
  save(record: { id: string; version: number }): Promise<void>
  /** Deletes `<id>.json`; no error if it does not exist. */
  remove(id: string): Promise<void>
}

export type SaveTextFileResult = { canceled: true } | { canceled: false; path: string }

export interface GradientLabApi {
  readonly host: 'electron'
  /**
   * Opens the system folder picker. If a folder is chosen, the engine starts loading it at once; the
   * outcome arrives over the engine port as `datasetLoading` then `datasetLoaded` or `error`
   * (DATASET_MISSING_FILE / DATASET_INVALID).
   */
  chooseDatasetDirectory(): Promise<ChooseDirectoryResult>
  /**
   * Calls `callback` on every engine status change (and once soon after subscribing with the latest
   * status, if one is known). Returns a function that unsubscribes.
   */
  onEngineStatus(callback: (status: EngineStatus) => void): () => void
  /** Saved runs (settings, seed, status, metric history). */
  readonly runs: RunFilesApi
  /**
   * Shows the system save dialog for a CSV export and writes `content` (UTF-8) to the chosen file.
   * `suggestedName` is a plain file name ending in `.csv`.
   */
  saveCsvFile(suggestedName: string, content: string): Promise<SaveTextFileResult>
}

/** The window message the preload posts with an engine MessagePort in `event.ports[0]`. */
export interface EnginePortMessage {
  source: 'gradient-lab'
  kind: 'engine-port'
  /** Present only when the port answers an EnginePortRequest that carried this id. */
  requestId?: string
}

/** Optional: post this to your own window to get a fresh engine port (answered with an EnginePortMessage). */
export interface EnginePortRequest {
  source: 'gradient-lab'
  kind: 'engine-port-request'
  requestId?: string
}
