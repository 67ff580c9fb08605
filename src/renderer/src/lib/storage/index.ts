import { ElectronRunStorage } from './electron-storage'
import { IndexedDbRunStorage } from './indexeddb-storage'
import { MemoryRunStorage } from './memory-storage'
import type { RunStorage } from './run-storage'

export type { RunStorage, StoredRunItem } from './run-storage'

/** The storage of the host this renderer runs in: user-data files in Electron, IndexedDB in a browser. */
export function createRunStorage(): RunStorage {
  const bridge = globalThis.window?.gradientLab
  if (bridge?.host === 'electron' && bridge.runs) return new ElectronRunStorage(bridge)
  if (typeof indexedDB !== 'undefined') return new IndexedDbRunStorage(indexedDB)
  return new MemoryRunStorage()
}
