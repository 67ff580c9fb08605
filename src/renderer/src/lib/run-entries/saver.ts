import type { RunStorage } from '@renderer/lib/storage'
import { toRecord, type RunEntry } from './entry'

/** While a run trains, its record is rewritten at most this often (and always at its start and end). */
export const SAVE_INTERVAL_MS = 5000

/**
 * Writes runs' records: one write per run at a time, and a save asked for meanwhile is done once the
 * current one ends (with the entry as it is then), so the last state always reaches storage.
 */
export class RecordSaver {
  private readonly lastSaved = new Map<string, number>()
  private readonly saving = new Map<string, { busy: boolean; again: boolean }>()

  constructor(
    private readonly storage: () => RunStorage | null,
    /** Whether this entry is still the library's (a deleted run is not written again). */
    private readonly current: (entry: RunEntry) => boolean,
    private readonly onResult: (error: unknown | null) => void
  ) {}

  save(entry: RunEntry): void {
    const storage = this.storage()
    if (!storage) return
    const state = this.saving.get(entry.id) ?? { busy: false, again: false }
    this.saving.set(entry.id, state)
    if (state.busy) {
      state.again = true
      return
    }
    const record = toRecord(entry)
    if (!record) return
    state.busy = true
    this.lastSaved.set(entry.id, Date.now())
    storage
      .save(record)
      .then(
        () => this.onResult(null),
        (error: unknown) => this.onResult(error)
      )
      .finally(() => {
        state.busy = false
        if (state.again && this.current(entry)) {
          state.again = false
          this.save(entry)
        } else {
          this.saving.delete(entry.id)
        }
      })
  }

  /** Saves if the last save of this run is SAVE_INTERVAL_MS old. */
  saveSoon(entry: RunEntry): void {
    if (Date.now() - (this.lastSaved.get(entry.id) ?? 0) >= SAVE_INTERVAL_MS) this.save(entry)
  }
}
