import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef } from 'vue'
import type { Evaluation, RunStatus } from '@engine/protocol'
import type { RunConfig } from '@engine/config/run-config'
import { LossHistory, type Point } from '@renderer/lib/loss-history'
import { checkRunRecord, type FilterSnapshot, type StoredLandscape, type StoredWeights } from '@renderer/lib/storage/run-record'
import { checkRunSummary } from '@renderer/lib/storage/run-summary'
import type { StoredConfusion } from '@renderer/lib/storage/run-record-confusion'
import { packPoints, type StoredEmbeddingImages, type StoredEmbeddingSnapshot } from '@renderer/lib/storage/run-record-embedding'
import type { Point2 } from '@renderer/lib/embedding/geometry'
import type { RunStorage } from '@renderer/lib/storage'
import { uiUpdates } from '@renderer/lib/update-coalescer'
import {
  embeddingSnapshotCount,
  fromRecord,
  fromSummary,
  isLive,
  lastEvaluationOf,
  hasWeights,
  hasLandscape,
  filterSnapshotCount,
  newEntry,
  pushConfusion,
  withoutConfusion,
  type NewRun,
  type RunEntry
} from '@renderer/lib/run-entries/entry'
import { RecordSaver } from '@renderer/lib/run-entries/saver'
import { FullRecordLoader } from '@renderer/lib/run-entries/full-records'

// What the library's entries are, and how they are stored, lives in lib/run-entries/; re-exported here
// for the views and tests that know them from the store.
export {
  fromRecord,
  fromSummary,
  isLive,
  lastEvaluationOf,
  hasWeights,
  hasLandscape,
  filterSnapshotCount,
  embeddingSnapshotCount,
  toRecord,
  type EntryStatus,
  type NewRun,
  type RunEntry,
  type StoredFacts
} from '@renderer/lib/run-entries/entry'
export { SAVE_INTERVAL_MS } from '@renderer/lib/run-entries/saver'
export { FULL_READ_BATCH } from '@renderer/lib/run-entries/full-records'

export interface StorageWarning {
  id: string
  reason: string
}

/** Longest stretch of checking listed runs before the page may draw again. */
const LOAD_SLICE_MS = 8

/**
 * Every run this lab knows: the ones kept in storage and the one training now. Each entry holds the run's
 * settings, seed, preset, status and metric history (bounded), and is saved when the run starts, every few
 * seconds while it trains, and when it ends. A stored record that cannot be read is skipped and listed in
 * `warnings`, so the list itself never breaks.
 *
 * The run store (current-run.ts) drives the entry of the current run from the engine's events; the views read
 * entries from here.
 *
 * With many runs (the desktop app lists summaries from its index), an entry may hold only its summary: the
 * list, the tables and the filters work from that, and the history (losses, evaluations, filter snapshots,
 * weights, landscape) is loaded when something reads it (`lossPoints`, `evaluationsOf`, … or `ensureFull`),
 * a few records per request. So opening the app or #/compare with 1,000 runs reads 1,000 summaries, and
 * only the runs drawn are read whole.
 */

export const useRunLibraryStore = defineStore('run-library', () => {
  const byId = new Map<string, RunEntry>()
  /** Newest first. Replaced (not mutated) when runs come or go, so lists recompute. */
  const entries = shallowRef<RunEntry[]>([])
  /**
   * Per-run change counters: reading one subscribes a computed to that run's changes only. Three of them,
   * so a chart of accuracies is not redrawn for every batch of losses, nor the loss chart per evaluation:
   * `revisions` for the run's state (status, iteration), `lossRevisions`, `evalRevisions`.
   */
  const revisions = reactive(new Map<string, number>())
  const lossRevisions = reactive(new Map<string, number>())
  const evalRevisions = reactive(new Map<string, number>())
  const warnings = ref<StorageWarning[]>([])
  /** The last storage failure (saving or listing), for the UI; cleared by the next success. */
  const storageError = ref<string | null>(null)
  const loaded = ref(false)
  let storage: RunStorage | null = null

  const list = computed(() => entries.value)

  function relist(): void {
    entries.value = [...byId.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
  }

  function bump(entry: RunEntry, what: { losses?: boolean; evaluations?: boolean } = {}): void {
    entry.updatedAt = Date.now()
    notify(entry, what)
  }

  /** Tells the views that read this run (its data changed, or its history arrived). */
  function notify(entry: RunEntry, what: { losses?: boolean; evaluations?: boolean } = {}): void {
    revisions.set(entry.id, (revisions.get(entry.id) ?? 0) + 1)
    if (what.losses) lossRevisions.set(entry.id, (lossRevisions.get(entry.id) ?? 0) + 1)
    if (what.evaluations) evalRevisions.set(entry.id, (evalRevisions.get(entry.id) ?? 0) + 1)
  }

  /** Data is stored at once; telling the views is coalesced (see update-coalescer.ts). */
  const pendingBumps = new Map<string, { losses: boolean; evaluations: boolean }>()
  function bumpSoon(entry: RunEntry, what: { losses?: boolean; evaluations?: boolean }): void {
    const pending = pendingBumps.get(entry.id) ?? { losses: false, evaluations: false }
    pending.losses ||= !!what.losses
    pending.evaluations ||= !!what.evaluations
    pendingBumps.set(entry.id, pending)
    uiUpdates.schedule('runs', flushBumps)
  }
  function flushBumps(): void {
    for (const [id, what] of pendingBumps) {
      const entry = byId.get(id)
      if (entry) bump(entry, what)
    }
    pendingBumps.clear()
  }

  function forget(id: string): void {
    revisions.delete(id)
    lossRevisions.delete(id)
    evalRevisions.delete(id)
  }

  /** Reads the run's change counter (for computeds) and returns the entry. */
  function watchEntry(id: string | null | undefined): RunEntry | undefined {
    return follows(id, revisions)
  }

  /** The entry, read so that a computed calling this follows the list and the run's `counters` (one of the three). */
  function follows(id: string | null | undefined, counters: Map<string, number>): RunEntry | undefined {
    if (!id) return undefined
    void counters.get(id)
    void entries.value
    return byId.get(id)
  }

  /** The same, the run's whole record loaded: the histories a chart draws. */
  function followsFull(id: string | null | undefined, counters: Map<string, number>): RunEntry | undefined {
    const entry = follows(id, counters)
    wantFull(entry)
    return entry
  }

  function get(id: string | null | undefined): RunEntry | undefined {
    return id ? byId.get(id) : undefined
  }

  // ---- storage ----------------------------------------------------------------------------------

  function reportStorageError(error: unknown): void {
    storageError.value = error instanceof Error ? error.message : String(error)
  }

  const saver = new RecordSaver(
    () => storage,
    (entry) => byId.get(entry.id) === entry,
    (error) => (error === null ? (storageError.value = null) : reportStorageError(error))
  )
  const save = (entry: RunEntry): void => saver.save(entry)
  const saveSoon = (entry: RunEntry): void => saver.saveSoon(entry)

  function attachStorage(s: RunStorage): void {
    storage = s
  }

  /** Reads every stored record; the unreadable ones become warnings. Runs already in memory are kept. */
  async function load(): Promise<void> {
    if (!storage) return
    let items
    try {
      items = await storage.list()
    } catch (error) {
      reportStorageError(error)
      loaded.value = true
      return
    }
    const skipped: StorageWarning[] = []
    let since = performance.now()
    for (const item of items) {
      // Checking a thousand summaries takes a while: let the page draw between slices of them.
      if (performance.now() - since > LOAD_SLICE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0))
        since = performance.now()
      }
      if ('error' in item) {
        skipped.push({ id: item.id, reason: item.error })
        continue
      }
      const checked = 'summary' in item ? checkRunSummary(item.summary) : checkRunRecord(item.data)
      if (!checked.ok) {
        skipped.push({ id: item.id, reason: checked.reason })
        continue
      }
      const run = 'summary' in checked ? checked.summary : checked.record
      const live = byId.get(run.id)
      if (live) {
        // The run this window follows (the engine kept training across a reload): fill in what it lacks.
        if (!live.config) {
          live.config = run.config
          live.presetId = run.presetId
          live.custom = run.custom
          live.createdAt = run.createdAt
          bump(live, { losses: true, evaluations: true })
        }
        continue
      }
      byId.set(run.id, 'summary' in checked ? fromSummary(checked.summary) : fromRecord(checked.record))
    }
    warnings.value = skipped
    relist()
    loaded.value = true
  }

  // ---- whole records, loaded on demand -------------------------------------------------------------

  const records = new FullRecordLoader({
    storage: () => storage,
    entry: (id) => byId.get(id),
    upgraded: (entry, changed) => {
      notify(entry, { losses: true, evaluations: true })
      if (changed) save(entry)
    },
    failed: (failures) => (warnings.value = [...warnings.value, ...failures]),
    storageError: reportStorageError
  })
  const ensureFull = (id: string): Promise<RunEntry | undefined> => records.ensureFull(id)
  const wantFull = (entry: RunEntry | undefined): void => records.want(entry)
  const withHistory = (entry: RunEntry, change: (entry: RunEntry) => void): void => records.withHistory(entry, change)

  async function remove(id: string): Promise<void> {
    const entry = byId.get(id)
    if (entry && isLive(entry.status)) return
    byId.delete(id)
    forget(id)
    relist()
    if (!storage) return
    try {
      await storage.remove(id)
    } catch (error) {
      reportStorageError(error)
    }
  }

  /**
   * Deletes these runs (a live one is kept): gone from the list at once, then from storage one by one.
   * Resolves with how many were deleted; a failure stops there, is reported, and the rest are listed again.
   */
  async function removeMany(ids: readonly string[]): Promise<number> {
    const doomed = ids.map((id) => byId.get(id)).filter((e): e is RunEntry => e !== undefined && !isLive(e.status))
    for (const entry of doomed) {
      byId.delete(entry.id)
      forget(entry.id)
    }
    relist()
    if (!storage) return doomed.length
    let deleted = 0
    try {
      for (const entry of doomed) {
        await storage.remove(entry.id)
        deleted++
      }
    } catch (error) {
      reportStorageError(error)
      // What storage still holds is listed again, so the list never hides a run that is still there.
      for (const entry of doomed.slice(deleted)) byId.set(entry.id, entry)
      relist()
    }
    return deleted
  }

  function dismissWarnings(): void {
    warnings.value = []
  }

  // ---- the current run, driven by run.ts ------------------------------------------------------

  /** A run about to be sent to the engine; not stored until the engine confirms it started. */
  function create(run: NewRun): RunEntry {
    const entry = newEntry(run, Date.now())
    byId.set(entry.id, entry)
    relist()
    return entry
  }

  /** The engine refused to start it: it never was a run. */
  function discard(id: string): void {
    const entry = byId.get(id)
    if (entry?.status !== 'starting') return
    byId.delete(id)
    forget(id)
    relist()
  }

  /** Follows a run the engine was already training (a window reload in Electron). */
  function follow(id: string): RunEntry {
    const existing = byId.get(id)
    if (existing) {
      existing.status = 'running'
      existing.message = null
      bump(existing)
      return existing
    }
    const entry = create({ id, presetId: null, custom: false, config: null })
    entry.status = 'running'
    return entry
  }

  function started(id: string, info: { config: RunConfig; presetId?: string; dataset: string }): void {
    const entry = byId.get(id)
    if (!entry) return
    const planned = entry.config?.iterations
    entry.config = info.config
    entry.presetId = entry.presetId ?? info.presetId ?? null
    entry.dataset = info.dataset
    entry.totalIters = info.config.iterations
    entry.status = 'running'
    if (planned !== info.config.iterations) entry.losses = new LossHistory(info.config.iterations)
    bump(entry, { losses: true })
    save(entry)
  }

  function progress(id: string, p: { iter: number; totalIters: number; elapsedMs: number; firstIter: number; values: readonly number[] }): void {
    const entry = byId.get(id)
    if (!entry) return
    entry.iter = p.iter
    entry.elapsedMs = p.elapsedMs
    if (entry.totalIters !== p.totalIters) {
      entry.totalIters = p.totalIters
      if (entry.losses.recorded === 0) entry.losses = new LossHistory(p.totalIters)
    }
    if (p.values.length > 0) withHistory(entry, (e) => e.losses.push(p.firstIter, p.values))
    bumpSoon(entry, { losses: p.values.length > 0 })
    saveSoon(entry)
  }

  function evaluation(id: string, e: Evaluation): void {
    const entry = byId.get(id)
    if (!entry) return
    const confusion = (e as { confusion?: readonly number[] }).confusion
    withHistory(entry, (x) => {
      x.evaluations.push(withoutConfusion(e))
      if (confusion) pushConfusion(x, e.iter, confusion)
    })
    bumpSoon(entry, { evaluations: true })
  }

  function setPaused(id: string, paused: boolean): void {
    const entry = byId.get(id)
    if (!entry || !isLive(entry.status)) return
    uiUpdates.flush()
    entry.status = paused ? 'paused' : 'running'
    bump(entry)
    save(entry)
  }

  function finish(
    id: string,
    f: { status: RunStatus | 'interrupted'; iter?: number; elapsedMs?: number; last?: Evaluation | null; message?: string | null; messageKey?: string | null }
  ): void {
    const entry = byId.get(id)
    if (!entry) return
    uiUpdates.flush()
    if (f.iter !== undefined) entry.iter = f.iter
    if (f.elapsedMs !== undefined) entry.elapsedMs = f.elapsedMs
    // The final evaluation may not have arrived as its own event (e.g. a run stopped between two).
    const last = f.last
    const added = !!last && lastEvaluationOf(entry)?.iter !== last.iter
    if (added) withHistory(entry, (e) => e.evaluations.last()?.iter !== last.iter && e.evaluations.push(withoutConfusion(last)))
    entry.status = f.status
    entry.message = f.message ?? null
    entry.messageKey = f.messageKey ?? null
    bump(entry, { evaluations: added })
    save(entry)
  }

  // ---- what the visual lessons add to a run (see stores/weights.ts and stores/landscape.ts) -----

  function filterSnapshot(id: string, snapshot: FilterSnapshot): void {
    const entry = byId.get(id)
    if (!entry) return
    withHistory(entry, (e) => e.filterSnapshots.push(snapshot))
    bumpSoon(entry, { evaluations: true })
  }

  /** Kept with the run and saved at once (the run has usually ended, so no later save would carry it). */
  function setWeights(id: string, weights: StoredWeights): void {
    const entry = byId.get(id)
    if (!entry) return
    withHistory(entry, (e) => (e.weights = weights))
    bump(entry)
    save(entry)
  }

  function setLandscape(id: string, landscape: StoredLandscape): void {
    const entry = byId.get(id)
    if (!entry) return
    withHistory(entry, (e) => (e.landscape = landscape))
    bump(entry)
    save(entry)
  }

  /** The 2-D points of the run's test images at an evaluation (#/embedding over training). */
  function embeddingSnapshot(
    id: string,
    snapshot: { iter: number; layer: string; method: string; points: readonly Point2[]; predicted?: readonly number[] },
    images?: StoredEmbeddingImages
  ): void {
    const entry = byId.get(id)
    if (!entry) return
    withHistory(entry, (e) => {
      e.embeddingSnapshots.push(packPoints(snapshot))
      if (images && !e.embeddingImages) e.embeddingImages = images
    })
    bumpSoon(entry, { evaluations: true })
  }

  function embeddingSnapshotsOf(id: string | null | undefined): { snapshots: StoredEmbeddingSnapshot[]; images: StoredEmbeddingImages | null } {
    const entry = followsFull(id, evalRevisions)
    return { snapshots: entry?.embeddingSnapshots.items() ?? [], images: entry?.embeddingImages ?? null }
  }

  /** The run's confusion matrices over its evaluations (thinned, the latest always). */
  function confusionsOf(id: string | null | undefined): StoredConfusion[] {
    const entry = followsFull(id, evalRevisions)
    return entry?.confusions.items() ?? []
  }

  function filterSnapshotsOf(id: string | null | undefined): FilterSnapshot[] {
    const entry = followsFull(id, evalRevisions)
    return entry?.filterSnapshots.items() ?? []
  }

  // ---- reading ----------------------------------------------------------------------------------

  /** Per-iteration losses at stored resolution (up to 20,000 points). */
  function lossPoints(id: string | null | undefined): Point[] {
    const entry = followsFull(id, lossRevisions)
    return entry?.losses.points() ?? []
  }

  function evaluationsOf(id: string | null | undefined): Evaluation[] {
    const entry = followsFull(id, evalRevisions)
    return entry?.evaluations.items() ?? []
  }

  function lastEvaluation(id: string | null | undefined): Evaluation | null {
    const entry = follows(id, evalRevisions)
    return entry ? lastEvaluationOf(entry) : null
  }

  /** Iterations recorded (changes with the losses only). */
  function lossCount(id: string | null | undefined): number {
    const entry = follows(id, lossRevisions)
    if (!entry) return 0
    return entry.stored ? entry.stored.lossesRecorded : entry.losses.recorded
  }

  /** The weights kept with a run (loading its record if only its summary is here). */
  function storedWeights(id: string | null | undefined): StoredWeights | null {
    const entry = follows(id, revisions)
    if (entry?.stored?.hasWeights) wantFull(entry)
    return entry?.weights ?? null
  }

  return {
    list,
    ensureFull,
    storedWeights,
    hasWeights,
    hasLandscape,
    filterSnapshotCount,
    embeddingSnapshotCount,
    warnings,
    storageError,
    loaded,
    get,
    watchEntry,
    revision: (id: string) => revisions.get(id) ?? 0,
    attachStorage,
    load,
    remove,
    removeMany,
    dismissWarnings,
    create,
    discard,
    follow,
    started,
    progress,
    evaluation,
    setPaused,
    finish,
    lossPoints,
    lossCount,
    evaluationsOf,
    lastEvaluation,
    filterSnapshot,
    setWeights,
    setLandscape,
    filterSnapshotsOf,
    embeddingSnapshot,
    embeddingSnapshotsOf,
    confusionsOf
  }
})
