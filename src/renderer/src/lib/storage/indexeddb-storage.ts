import type { RunRecord } from './run-record'
import type { RunStorage, StoredRunItem } from './run-storage'
import { done, request } from './idb'

/** Browser host: one IndexedDB object store, records keyed by run id (out-of-line keys). */
export const DB_NAME = 'gradient-lab'
export const STORE_NAME = 'runs'
const DB_VERSION = 1

export class IndexedDbRunStorage implements RunStorage {
  readonly kind = 'indexeddb' as const
  private db: Promise<IDBDatabase> | null = null

  constructor(private readonly factory: IDBFactory = indexedDB) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const req = this.factory.open(DB_NAME, DB_VERSION)
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE_NAME)) req.result.createObjectStore(STORE_NAME)
      }
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'))
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of Gradient Lab'))
    })
    return this.db
  }

  async list(): Promise<StoredRunItem[]> {
    const db = await this.open()
    const tx = db.transaction(STORE_NAME, 'readonly')
    const store = tx.objectStore(STORE_NAME)
    const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())])
    return keys.map((key, i) => ({ id: String(key), data: values[i] }))
  }

  async read(ids: readonly string[]): Promise<StoredRunItem[]> {
    const db = await this.open()
    const store = db.transaction(STORE_NAME, 'readonly').objectStore(STORE_NAME)
    const values = await Promise.all(ids.map((id) => request(store.get(id))))
    return ids.map((id, i) => (values[i] === undefined ? { id, error: 'the record no longer exists' } : { id, data: values[i] }))
  }

  async save(record: RunRecord): Promise<void> {
    const db = await this.open()
    // One transaction per record: it is written whole or not at all.
    const tx = db.transaction(STORE_NAME, 'readwrite')
    tx.objectStore(STORE_NAME).put(record, record.id)
    await done(tx)
  }

  async remove(id: string): Promise<void> {
    const db = await this.open()
    const tx = db.transaction(STORE_NAME, 'readwrite')
    tx.objectStore(STORE_NAME).delete(id)
    await done(tx)
  }
}
