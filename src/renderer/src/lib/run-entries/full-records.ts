import type { RunStorage } from '@renderer/lib/storage'
import { checkRunRecord, type RunRecord } from '@renderer/lib/storage/run-record'
import { takeHistory, type RunEntry } from './entry'

/** Whole records per storage read (the desktop app's main process takes at most 20). */
export const FULL_READ_BATCH = 20

export interface FullRecordHooks {
  storage: () => RunStorage | null
  entry: (id: string) => RunEntry | undefined
  /** The entry now has its history (and the changes that waited for it): tell the views, save if changed. */
  upgraded: (entry: RunEntry, changed: boolean) => void
  /** Records that could not be read whole, with why. */
  failed: (failures: { id: string; reason: string }[]) => void
  storageError: (error: unknown) => void
}

/**
 * Whole records loaded on demand for entries that hold only their summary: everything asked for in one
 * turn goes in one read (a chart of ten runs), up to FULL_READ_BATCH at a time. Changes that arrive for a
 * run while its record loads (a run followed across a reload) wait and are applied once it is there.
 */
export class FullRecordLoader {
  private readonly loading = new Map<string, { promise: Promise<RunEntry | undefined>; resolve: (entry: RunEntry | undefined) => void }>()
  /** Asked once, then the summary stays (and a warning says why). */
  private readonly unreadable = new Set<string>()
  private readonly deferred = new Map<string, Array<(entry: RunEntry) => void>>()
  private readonly inFlight = new Set<string>()
  private readScheduled = false

  constructor(private readonly hooks: FullRecordHooks) {}

  /** The run with its whole history: at once if it has it, else after its record is read (batched). */
  ensureFull(id: string): Promise<RunEntry | undefined> {
    const entry = this.hooks.entry(id)
    if (!entry || entry.detail === 'full' || !this.hooks.storage() || this.unreadable.has(id)) return Promise.resolve(entry)
    const pending = this.loading.get(id)
    if (pending) return pending.promise
    let resolve!: (entry: RunEntry | undefined) => void
    const promise = new Promise<RunEntry | undefined>((r) => (resolve = r))
    this.loading.set(id, { promise, resolve })
    if (!this.readScheduled) {
      this.readScheduled = true
      queueMicrotask(() => void this.readQueued())
    }
    return promise
  }

  /** For reading functions: they return what is here now, and the rest follows. */
  want(entry: RunEntry | undefined): void {
    if (entry?.detail === 'summary') void this.ensureFull(entry.id)
  }

  /** Changes a run's history now, or once its record is loaded (a summary's history is not here yet). */
  withHistory(entry: RunEntry, change: (entry: RunEntry) => void): void {
    if (entry.detail === 'full') {
      change(entry)
      return
    }
    if (this.unreadable.has(entry.id)) return
    const list = this.deferred.get(entry.id) ?? []
    list.push(change)
    this.deferred.set(entry.id, list)
    void this.ensureFull(entry.id)
  }

  private async readQueued(): Promise<void> {
    this.readScheduled = false
    const storage = this.hooks.storage()
    const ids = [...this.loading.keys()].filter((id) => !this.inFlight.has(id)).slice(0, FULL_READ_BATCH)
    if (ids.length === 0 || !storage) return
    for (const id of ids) this.inFlight.add(id)
    let items: Awaited<ReturnType<RunStorage['read']>>
    try {
      items = await storage.read(ids)
    } catch (error) {
      this.hooks.storageError(error)
      items = ids.map((id) => ({ id, error: error instanceof Error ? error.message : String(error) }))
    }
    const failures: { id: string; reason: string }[] = []
    for (const id of ids) {
      const item = items.find((i) => i.id === id)
      const checked = !item
        ? { ok: false as const, reason: 'not returned by the storage' }
        : 'error' in item
          ? { ok: false as const, reason: item.error }
          : 'data' in item
            ? checkRunRecord(item.data)
            : { ok: false as const, reason: 'a summary, not a record' }
      const entry = this.hooks.entry(id)
      if (checked.ok && entry?.detail === 'summary') this.upgrade(entry, checked.record)
      else if (!checked.ok) {
        this.unreadable.add(id)
        failures.push({ id, reason: checked.reason })
      }
      this.inFlight.delete(id)
      this.loading.get(id)?.resolve(this.hooks.entry(id))
      this.loading.delete(id)
      this.deferred.delete(id)
    }
    if (failures.length > 0) this.hooks.failed(failures)
    if (this.loading.size > 0 && !this.readScheduled) {
      this.readScheduled = true
      void this.readQueued()
    }
  }

  /** Gives a summary entry its history, then replays what arrived meanwhile. */
  private upgrade(entry: RunEntry, record: RunRecord): void {
    takeHistory(entry, record)
    const changes = this.deferred.get(entry.id) ?? []
    for (const change of changes) change(entry)
    this.hooks.upgraded(entry, changes.length > 0)
  }
}
