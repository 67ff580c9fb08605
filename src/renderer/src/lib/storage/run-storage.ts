import type { RunRecord } from './run-record'

/**
 * Where run records are kept. One interface, one adapter per host: IndexedDB in the browser, files in the
 * app's user-data folder in Electron (through the preload), memory in tests. Adapters move values; the
 * runs store validates what it reads, so every host handles a corrupt record the same way.
 */
export type StoredRunItem =
  /** A value as stored, not yet validated. */
  | { id: string; data: unknown }
  /** A value the adapter could not even read (for example a file that is not JSON). */
  | { id: string; error: string }

export interface RunStorage {
  readonly kind: 'indexeddb' | 'files' | 'memory'
  list(): Promise<StoredRunItem[]>
  /** Replaces the record with this id; resolves once it is stored. */
  save(record: RunRecord): Promise<void>
  remove(id: string): Promise<void>
}
