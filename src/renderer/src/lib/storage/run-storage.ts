import type { RunRecord } from './run-record'

/**
 * Where run records are kept. One interface, one adapter per host: IndexedDB in the browser, files in the
 * app's user-data folder in Electron (through the preload), memory in tests. Adapters move values; the
 * runs store validates what it reads, so every host handles a corrupt record the same way.
 */
export type StoredRunItem =
  /** A whole record as stored, not yet validated. */
  | { id: string; data: unknown }
  /** Only the run's summary (run-summary.ts), not yet validated: the record itself comes from `read`. */
  | { id: string; summary: unknown }
  /** A value the adapter could not even read (for example a file that is not JSON). */
  | { id: string; error: string }

export interface RunStorage {
  readonly kind: 'indexeddb' | 'files' | 'memory'
  /**
   * Every stored run: summaries where the host keeps them (the desktop app's index, IndexedDB's summary
   * store), whole records otherwise (memory, in tests).
   */
  list(): Promise<StoredRunItem[]>
  /** Whole records for a few ids (those a view needs now), in that order. */
  read(ids: readonly string[]): Promise<StoredRunItem[]>
  /** Replaces the record with this id; resolves once it is stored. */
  save(record: RunRecord): Promise<void>
  remove(id: string): Promise<void>
}
