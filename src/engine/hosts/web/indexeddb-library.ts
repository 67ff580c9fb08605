import type { DataLibrary } from '../../data/data-library'
import type { DatasetEntry } from '../../protocol/messages'
import { createSetLibrary, type SetChange, type SetStore } from './set-library'

/*
 * The browser version's data library in IndexedDB (reachable from the engine's Web Worker). Two object
 * stores keyed by the set's name: `entries` (what the list shows) and `sets` (the stored bytes, one
 * safetensors array each). Every change is one transaction over both, so a set is whole or absent even if
 * the tab closes mid-write.
 */

const DB_NAME = 'gradient-lab-datasets'
const DB_VERSION = 1
const ENTRIES = 'entries'
const SETS = 'sets'

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'))
  })
}

export function openLibraryDatabase(factory: IDBFactory = indexedDB): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = factory.open(DB_NAME, DB_VERSION)
    open.onupgradeneeded = () => {
      const db = open.result
      if (!db.objectStoreNames.contains(ENTRIES)) db.createObjectStore(ENTRIES, { keyPath: 'name' })
      if (!db.objectStoreNames.contains(SETS)) db.createObjectStore(SETS, { keyPath: 'name' })
    }
    open.onsuccess = () => resolve(open.result)
    open.onerror = () => reject(open.error ?? new Error('the data library (IndexedDB) could not be opened'))
    open.onblocked = () => reject(new Error('the data library (IndexedDB) is held open by an older tab of the lab: close it'))
  })
}

export function createIndexedDbStore(database: () => Promise<IDBDatabase>): SetStore {
  async function read<T>(store: string, action: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await database()
    return request(action(db.transaction(store, 'readonly').objectStore(store)))
  }

  return {
    entries: () => read<DatasetEntry[]>(ENTRIES, (s) => s.getAll()),
    entry: (name) => read<DatasetEntry | undefined>(ENTRIES, (s) => s.get(name)),
    bytes: async (name) => (await read<{ name: string; bytes: Uint8Array } | undefined>(SETS, (s) => s.get(name)))?.bytes,
    async commit(change: SetChange) {
      const db = await database()
      const tx = db.transaction([ENTRIES, SETS], 'readwrite')
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve()
        tx.onabort = () => reject(tx.error ?? new Error('the change was aborted'))
        tx.onerror = () => reject(tx.error ?? new Error('the change failed'))
      })
      const entries = tx.objectStore(ENTRIES)
      const sets = tx.objectStore(SETS)
      if (change.put) {
        entries.put(change.put.entry)
        sets.put({ name: change.put.entry.name, bytes: change.put.bytes })
      }
      for (const name of change.delete ?? []) {
        entries.delete(name)
        sets.delete(name)
      }
      if (change.rename) {
        const { from, to } = change.rename
        // Moved inside the transaction: the bytes never leave the database, and a failure changes nothing.
        const old = sets.get(from)
        old.onsuccess = () => {
          const record = old.result as { bytes: Uint8Array } | undefined
          if (!record) return tx.abort()
          sets.put({ name: to.name, bytes: record.bytes })
          sets.delete(from)
          entries.delete(from)
          entries.put(to)
        }
      }
      await done
    }
  }
}

/** The library of the browser version; the database opens on first use (and again after a failure). */
export function createIndexedDbLibrary(factory?: IDBFactory): DataLibrary {
  let opening: Promise<IDBDatabase> | null = null
  const database = (): Promise<IDBDatabase> => {
    opening ??= openLibraryDatabase(factory).catch((error: unknown) => {
      opening = null
      throw error
    })
    return opening
  }
  return createSetLibrary(createIndexedDbStore(database), { freeBytes: storageLeft })
}

/** What this origin may still store, by the browser's estimate (workers have navigator.storage too). */
async function storageLeft(): Promise<number | null> {
  try {
    const estimate = await (
      globalThis as { navigator?: { storage?: { estimate?: () => Promise<{ quota?: number; usage?: number }> } } }
    ).navigator?.storage?.estimate?.()
    if (estimate?.quota === undefined || estimate.usage === undefined) return null
    return Math.max(0, estimate.quota - estimate.usage)
  } catch {
    return null
  }
}
