/**
 * Preload (sandboxed, context-isolated). Exposes `window.gradientLab` (see ./api.d.ts) and forwards the
 * engine's MessagePorts to the page's main world with window.postMessage, the pattern in Electron's
 * "MessagePorts in Electron" guide: ports cannot travel through contextBridge.
 *
 * Sandboxed preloads can only require 'electron' (and a few Node built-ins), so this file must not import
 * any npm dependency: electron-vite would leave it as a require() that fails at runtime.
 */
import { contextBridge, ipcRenderer } from 'electron'
import type {
  ChooseDirectoryResult,
  EnginePortMessage,
  EngineStatus,
  GradientLabApi,
  OpenModelFileResult,
  SaveTextFileResult,
  StoredModelFile,
  StoredRunFile
} from './api'

// IPC channel names, shared with src/main/ipc.ts and src/main/engine-process.ts (kept as literals here so
// the preload bundle stays free of main-process code).
const ENGINE_PORT = 'engine:port'
const ENGINE_STATUS = 'engine:status'
const ENGINE_REQUEST_PORT = 'engine:request-port'
const CHOOSE_DIRECTORY = 'dataset:choose-directory'
const CHOOSE_IMPORT_DIRECTORY = 'dataset:choose-import-directory'
const RUNS_LIST = 'runs:list'
const RUNS_READ = 'runs:read'
const RUNS_SAVE = 'runs:save'
const RUNS_REMOVE = 'runs:remove'
const SAVE_CSV = 'export:save-csv'
const SWEEP_OPEN = 'engine:sweep-open'
const SWEEP_CLOSE = 'engine:sweep-close'
const SWEEP_EXIT = 'engine:sweep-exit'
const MODELS_LIST = 'models:list'
const MODELS_READ = 'models:read'
const MODELS_SAVE = 'models:save'
const MODELS_SAVE_ENTRY = 'models:save-entry'
const MODELS_REMOVE = 'models:remove'
const MODELS_OPEN_FILE = 'models:open-file'
const MODELS_SAVE_FILE = 'models:save-file'

// The main world must be able to receive the port: wait for the page's load event, which is registered here
// before any page script runs, so it cannot be missed.
const windowLoaded = new Promise<void>((resolve) => {
  if (document.readyState === 'complete') resolve()
  else window.addEventListener('load', () => resolve(), { once: true })
})

ipcRenderer.on(ENGINE_PORT, async (event, meta: { requestId?: string } | null) => {
  await windowLoaded
  const message: EnginePortMessage = { source: 'gradient-lab', kind: 'engine-port' }
  if (typeof meta?.requestId === 'string') message.requestId = meta.requestId
  // Same-window delivery; a file:// page has the opaque origin "null", so '*' is the only usable target.
  window.postMessage(message, '*', event.ports)
})

// A page that missed its port (or wants a second one) asks for one with a window message.
window.addEventListener('message', (event: MessageEvent) => {
  const data: unknown = event.data
  if (typeof data !== 'object' || data === null) return
  const { source, kind, requestId } = data as Record<string, unknown>
  if (source !== 'gradient-lab' || kind !== 'engine-port-request') return
  ipcRenderer.send(ENGINE_REQUEST_PORT, typeof requestId === 'string' ? { requestId } : {})
})

let latestStatus: EngineStatus | undefined
const statusListeners = new Set<(status: EngineStatus) => void>()

ipcRenderer.on(ENGINE_STATUS, (_event, status: EngineStatus) => {
  latestStatus = status
  for (const listener of statusListeners) {
    try {
      listener(status)
    } catch (error) {
      console.error('[gradient-lab] an engine status listener threw', error)
    }
  }
})

const api: GradientLabApi = {
  host: 'electron',
  chooseDatasetDirectory: () => ipcRenderer.invoke(CHOOSE_DIRECTORY) as Promise<ChooseDirectoryResult>,
  chooseImportDirectory: () => ipcRenderer.invoke(CHOOSE_IMPORT_DIRECTORY) as Promise<ChooseDirectoryResult>,
  onEngineStatus(callback) {
    if (typeof callback !== 'function') throw new TypeError('onEngineStatus expects a function')
    statusListeners.add(callback)
    const known = latestStatus
    if (known) queueMicrotask(() => statusListeners.has(callback) && callback(known))
    return () => {
      statusListeners.delete(callback)
    }
  },
  // The main process validates every argument again; nothing here is trusted.
  runs: {
    list: () => ipcRenderer.invoke(RUNS_LIST) as Promise<StoredRunFile[]>,
    read: (ids) => ipcRenderer.invoke(RUNS_READ, ids) as Promise<StoredRunFile[]>,
    save: (record) => ipcRenderer.invoke(RUNS_SAVE, record) as Promise<void>,
    remove: (id) => ipcRenderer.invoke(RUNS_REMOVE, id) as Promise<void>
  },
  models: {
    list: () => ipcRenderer.invoke(MODELS_LIST) as Promise<StoredModelFile[]>,
    read: (id) => ipcRenderer.invoke(MODELS_READ, id) as Promise<Uint8Array>,
    save: (entry, bytes) => ipcRenderer.invoke(MODELS_SAVE, entry, bytes) as Promise<void>,
    saveEntry: (entry) => ipcRenderer.invoke(MODELS_SAVE_ENTRY, entry) as Promise<void>,
    remove: (id) => ipcRenderer.invoke(MODELS_REMOVE, id) as Promise<void>,
    openModelFile: () => ipcRenderer.invoke(MODELS_OPEN_FILE) as Promise<OpenModelFileResult>,
    saveModelFile: (suggestedName, bytes) => ipcRenderer.invoke(MODELS_SAVE_FILE, suggestedName, bytes) as Promise<SaveTextFileResult>
  },
  saveCsvFile: (suggestedName, content) => ipcRenderer.invoke(SAVE_CSV, suggestedName, content) as Promise<SaveTextFileResult>,
  openSweepEngines: (count) => ipcRenderer.invoke(SWEEP_OPEN, count) as Promise<number>,
  closeSweepEngines: () => ipcRenderer.invoke(SWEEP_CLOSE) as Promise<void>,
  onSweepEngineExit(callback) {
    if (typeof callback !== 'function') throw new TypeError('onSweepEngineExit expects a function')
    const listener = (_event: unknown, info: { id?: unknown; reason?: unknown } | null): void => {
      if (typeof info?.id === 'string' && typeof info.reason === 'string') callback(info.id, info.reason)
    }
    ipcRenderer.on(SWEEP_EXIT, listener)
    return () => {
      ipcRenderer.off(SWEEP_EXIT, listener)
    }
  }
}

contextBridge.exposeInMainWorld('gradientLab', api)
