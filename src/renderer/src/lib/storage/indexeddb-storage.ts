import { RUN_SUMMARY_VERSION, summarizeRunRecord } from '../../../../main/run-summary'
import { assertBrowserQuota, browserFreeBytes } from './browser-quota'
import type { RunRecord } from './run-record'
import type { RunStorage, StoredRunItem } from './run-storage'
import { done, request } from './idb'

/*
 * Browser host: two IndexedDB object stores, keyed by run id (out-of-line keys).
 *
 * - `runs`: whole records, as the app saves them (up to ~1.5 MB each).
 * - `run-summaries`: each run's summary (the same summary the desktop app keeps in its index, made by the
 *   same pure function, src/main/run-summary.ts), written in the same transaction as its record.
 *
 * `list()` reads summaries only, so 1,000 runs list as fast as 10, and `read(ids)` gives the whole records a
 * view opens. A summary that is missing (records kept before summaries existed, or written by hand) or of
 * another summary version is rebuilt from its record, one record per transaction, yielding to the page every
 * few milliseconds, so the page keeps drawing while a library is rebuilt (bench:library: 1,000 records of
 * 1.4 MB, no task over ~230 ms, as at any start); a summary whose record is gone is dropped.
 */
export const DB_NAME = 'gradient-lab'
export const STORE_NAME = 'runs'
export const SUMMARY_STORE = 'run-summaries'
/** 2: the summary store was added (an existing database keeps its records and gets its summaries rebuilt). */
export const DB_VERSION = 2
/** Summaries per `getAll`: a slice at a time, so listing never holds the page for all of them at once. */
const LIST_SLICE = 250

/**
 * What the summary store holds for one run: its summary, or why its record could not be summarised, and
 * the record's size as JSON (what the quota counts).
 */
export type SummaryEntry = { summaryVersion: number; bytes: number } & ({ summary: Record<string, unknown> } | { error: string })

/** The record's size as JSON text: close to what IndexedDB keeps, and the same measure as the desktop's files. */
export function recordBytes(record: unknown): number {
  return JSON.stringify(record)?.length ?? 0
}

export function summaryEntryOf(record: unknown, bytes = recordBytes(record)): SummaryEntry {
  try {
    return { summaryVersion: RUN_SUMMARY_VERSION, bytes, summary: summarizeRunRecord(record) }
  } catch (error) {
    return { summaryVersion: RUN_SUMMARY_VERSION, bytes, error: error instanceof Error ? error.message : String(error) }
  }
}

function isCurrent(value: unknown): value is SummaryEntry {
  if (typeof value !== 'object' || value === null) return false
  const entry = value as Record<string, unknown>
  return (
    entry.summaryVersion === RUN_SUMMARY_VERSION &&
    typeof entry.bytes === 'number' &&
    ((typeof entry.summary === 'object' && entry.summary !== null) || typeof entry.error === 'string')
  )
}

/** Work between two yields to the page while summaries are rebuilt (one record is a few ms at most). */
const SLICE_MS = 8

/** Lets the page draw a frame when this slice of work has taken SLICE_MS. */
function yielder(): () => Promise<void> {
  let since = performance.now()
  return async () => {
    if (performance.now() - since < SLICE_MS) return
    await new Promise((resolve) => setTimeout(resolve, 0))
    since = performance.now()
  }
}

export class IndexedDbRunStorage implements RunStorage {
  readonly kind = 'indexeddb' as const
  private db: Promise<IDBDatabase> | null = null
  /** Each stored record's size, for the quota: filled from the summaries, kept up to date by every write. */
  private sizes: Map<string, number> | null = null

  constructor(
    private readonly factory: IDBFactory = indexedDB,
    private readonly freeBytes: () => Promise<number | null> = browserFreeBytes
  ) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const req = this.factory.open(DB_NAME, DB_VERSION)
      req.onupgradeneeded = () => {
        const names = req.result.objectStoreNames
        if (!names.contains(STORE_NAME)) req.result.createObjectStore(STORE_NAME)
        if (!names.contains(SUMMARY_STORE)) req.result.createObjectStore(SUMMARY_STORE)
      }
      req.onsuccess = () => {
        // Another tab upgrading the database (a newer build) must not wait for this one forever.
        req.result.onversionchange = () => req.result.close()
        resolve(req.result)
      }
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'))
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of Gradient Lab'))
    })
    return this.db
  }

  async list(): Promise<StoredRunItem[]> {
    const db = await this.open()
    const recordIds = (await request(db.transaction(STORE_NAME, 'readonly').objectStore(STORE_NAME).getAllKeys())).map(String)
    const entries = await this.allSummaries(db)
    const present = new Set(recordIds)
    const orphans = [...entries.keys()].filter((id) => !present.has(id))
    if (orphans.length > 0) await this.deleteSummaries(db, orphans)

    const out: StoredRunItem[] = []
    const sizes = new Map<string, number>()
    const pause = yielder()
    for (const id of recordIds.sort()) {
      let entry = entries.get(id)
      if (!entry) {
        entry = await this.rebuildSummary(db, id)
        if (!entry) continue // deleted meanwhile
        await pause()
      }
      sizes.set(id, entry.bytes)
      out.push('summary' in entry ? { id, summary: entry.summary } : { id, error: entry.error })
    }
    this.sizes = sizes
    return out
  }

  /** Every current summary, read a slice at a time; stale ones are left out (and so rebuilt). */
  /** The sizes the quota counts; listing fills them, so this reads the summaries only before a first list. */
  private async storedSizes(db: IDBDatabase): Promise<Map<string, number>> {
    if (!this.sizes) this.sizes = new Map([...(await this.allSummaries(db))].map(([id, entry]) => [id, entry.bytes]))
    return this.sizes
  }

  private async allSummaries(db: IDBDatabase): Promise<Map<string, SummaryEntry>> {
    const entries = new Map<string, SummaryEntry>()
    let after: IDBValidKey | undefined
    const pause = yielder()
    for (;;) {
      const store = db.transaction(SUMMARY_STORE, 'readonly').objectStore(SUMMARY_STORE)
      const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true)
      const [keys, values] = await Promise.all([request(store.getAllKeys(range, LIST_SLICE)), request(store.getAll(range, LIST_SLICE))])
      keys.forEach((key, i) => {
        if (isCurrent(values[i])) entries.set(String(key), values[i] as SummaryEntry)
      })
      if (keys.length < LIST_SLICE) return entries
      after = keys[keys.length - 1]
      await pause()
    }
  }

  /** Reads one record and writes its summary, in one transaction (a save cannot slip in between). */
  private async rebuildSummary(db: IDBDatabase, id: string): Promise<SummaryEntry | undefined> {
    const tx = db.transaction([STORE_NAME, SUMMARY_STORE], 'readwrite')
    const record: unknown = await request(tx.objectStore(STORE_NAME).get(id))
    if (record === undefined) {
      await done(tx)
      return undefined
    }
    const entry = summaryEntryOf(record)
    tx.objectStore(SUMMARY_STORE).put(entry, id)
    await done(tx)
    return entry
  }

  private async deleteSummaries(db: IDBDatabase, ids: readonly string[]): Promise<void> {
    const tx = db.transaction(SUMMARY_STORE, 'readwrite')
    for (const id of ids) tx.objectStore(SUMMARY_STORE).delete(id)
    await done(tx)
  }

  async read(ids: readonly string[]): Promise<StoredRunItem[]> {
    const db = await this.open()
    const store = db.transaction(STORE_NAME, 'readonly').objectStore(STORE_NAME)
    const values = await Promise.all(ids.map((id) => request(store.get(id))))
    return ids.map((id, i) => (values[i] === undefined ? { id, error: 'the record no longer exists' } : { id, data: values[i] }))
  }

  async save(record: RunRecord): Promise<void> {
    const db = await this.open()
    const sizes = await this.storedSizes(db)
    const bytes = recordBytes(record)
    let stored = 0
    for (const [id, size] of sizes) if (id !== record.id) stored += size
    await assertBrowserQuota({ store: 'runs', storedBytes: stored, writeBytes: bytes, replacedBytes: sizes.get(record.id) ?? 0, freeBytes: this.freeBytes })
    // Record and summary in one transaction: both are written, or neither.
    const tx = db.transaction([STORE_NAME, SUMMARY_STORE], 'readwrite')
    tx.objectStore(STORE_NAME).put(record, record.id)
    tx.objectStore(SUMMARY_STORE).put(summaryEntryOf(record, bytes), record.id)
    await done(tx)
    sizes.set(record.id, bytes)
  }

  async remove(id: string): Promise<void> {
    const db = await this.open()
    const tx = db.transaction([STORE_NAME, SUMMARY_STORE], 'readwrite')
    tx.objectStore(STORE_NAME).delete(id)
    tx.objectStore(SUMMARY_STORE).delete(id)
    await done(tx)
    this.sizes?.delete(id)
  }
}
