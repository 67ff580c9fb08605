import { defineStore } from 'pinia'
import { computed, markRaw, reactive, ref, shallowRef } from 'vue'
import type { Evaluation, RunStatus } from '@engine/protocol'
import type { RunConfig } from '@engine/config/run-config'
import { LossHistory, type Point } from '@renderer/lib/loss-history'
import { EvaluationLog } from '@renderer/lib/evaluation-log'
import {
  checkRunRecord,
  MAX_STORED_FILTER_SNAPSHOTS,
  RUN_RECORD_VERSION,
  type FilterSnapshot,
  type RunRecord,
  type StoredLandscape,
  type StoredStatus,
  type StoredWeights
} from '@renderer/lib/storage/run-record'
import { checkRunSummary, type RunSummary } from '@renderer/lib/storage/run-summary'
import { ThinnedLog } from '@renderer/lib/snapshot-log'
import type { RunStorage } from '@renderer/lib/storage'
import { uiUpdates } from '@renderer/lib/update-coalescer'

/**
 * Every run this lab knows: the ones kept in storage and the one training now. Each entry holds the run's
 * settings, seed, preset, status and metric history (bounded), and is saved when the run starts, every few
 * seconds while it trains, and when it ends. A stored record that cannot be read is skipped and listed in
 * `warnings`, so the list itself never breaks.
 *
 * The run store (run.ts) drives the entry of the current run from the engine's events; the views read
 * entries from here.
 *
 * With many runs (the desktop app lists summaries from its index), an entry may hold only its summary: the
 * list, the tables and the filters work from that, and the history (losses, evaluations, filter snapshots,
 * weights, landscape) is loaded when something reads it (`lossPoints`, `evaluationsOf`, … or `ensureFull`),
 * a few records per request. So opening the app or #/compare with 1,000 runs reads 1,000 summaries, and
 * only the runs drawn are read whole.
 */

export type EntryStatus = 'starting' | StoredStatus

export interface RunEntry {
  readonly id: string
  presetId: string | null
  custom: boolean
  /** Unknown only while following a run the engine was already training when this window opened. */
  config: RunConfig | null
  status: EntryStatus
  message: string | null
  messageKey: string | null
  dataset: string | null
  createdAt: number
  updatedAt: number
  iter: number
  totalIters: number
  elapsedMs: number
  losses: LossHistory
  evaluations: EvaluationLog
  /** The conv filters at the start and at evaluations (thinned): filters over time. */
  filterSnapshots: ThinnedLog<FilterSnapshot>
  /** The weights at the end of the run, summarised; null until the run ends (or for older records). */
  weights: StoredWeights | null
  landscape: StoredLandscape | null
  /** 'summary': the history above is empty until the record is loaded (see `stored`); 'full': all here. */
  detail: 'summary' | 'full'
  /** What the stored record holds, while only its summary is here. */
  stored: StoredFacts | null
}

/** What a summary says of the history it leaves out. */
export type StoredFacts = Pick<RunSummary, 'lastEvaluation' | 'evaluationCount' | 'lossesRecorded' | 'filterSnapshotCount' | 'hasWeights' | 'hasLandscape'>

export interface StorageWarning {
  id: string
  reason: string
}

/** While a run trains, its record is rewritten at most this often (and always at its start and end). */
export const SAVE_INTERVAL_MS = 5000
/** Whole records per storage read (the desktop app's main process takes at most 20). */
export const FULL_READ_BATCH = 20
/** Longest stretch of checking listed runs before the page may draw again. */
const LOAD_SLICE_MS = 8

const LIVE: readonly EntryStatus[] = ['starting', 'running', 'paused']

export function isLive(status: EntryStatus): boolean {
  return LIVE.includes(status)
}

export function toRecord(entry: RunEntry): RunRecord | null {
  // A summary has no history: writing it would erase the stored one.
  if (!entry.config || entry.status === 'starting' || entry.detail === 'summary') return null
  return {
    version: RUN_RECORD_VERSION,
    id: entry.id,
    presetId: entry.presetId,
    custom: entry.custom,
    config: entry.config,
    status: entry.status,
    message: entry.message,
    messageKey: entry.messageKey,
    dataset: entry.dataset,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
    iter: entry.iter,
    totalIters: entry.totalIters,
    elapsedMs: entry.elapsedMs,
    losses: entry.losses.snapshot(),
    evaluations: entry.evaluations.items(),
    filterSnapshots: entry.filterSnapshots.items(),
    weights: entry.weights,
    landscape: entry.landscape
  }
}

export function fromRecord(record: RunRecord): RunEntry {
  return markRaw({
    id: record.id,
    presetId: record.presetId,
    custom: record.custom,
    config: record.config,
    // A run that was training when the app closed cannot go on: say so rather than pretend it is running.
    status: isLive(record.status) ? 'interrupted' : record.status,
    message: record.message,
    messageKey: record.messageKey,
    dataset: record.dataset,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    iter: record.iter,
    totalIters: record.totalIters,
    elapsedMs: record.elapsedMs,
    losses: LossHistory.restore(record.totalIters, record.losses),
    evaluations: EvaluationLog.from(record.evaluations),
    filterSnapshots: ThinnedLog.from(record.filterSnapshots, MAX_STORED_FILTER_SNAPSHOTS),
    weights: record.weights,
    landscape: record.landscape,
    detail: 'full',
    stored: null
  })
}

/** An entry that knows its run from a summary; its history is loaded on demand. */
export function fromSummary(summary: RunSummary): RunEntry {
  return markRaw({
    id: summary.id,
    presetId: summary.presetId,
    custom: summary.custom,
    config: summary.config,
    status: isLive(summary.status) ? 'interrupted' : summary.status,
    message: summary.message,
    messageKey: summary.messageKey,
    dataset: summary.dataset,
    createdAt: summary.createdAt,
    updatedAt: summary.updatedAt,
    iter: summary.iter,
    totalIters: summary.totalIters,
    elapsedMs: summary.elapsedMs,
    losses: new LossHistory(Math.max(1, summary.totalIters)),
    evaluations: new EvaluationLog(),
    filterSnapshots: new ThinnedLog<FilterSnapshot>(MAX_STORED_FILTER_SNAPSHOTS),
    weights: null,
    landscape: null,
    detail: 'summary',
    stored: {
      lastEvaluation: summary.lastEvaluation,
      evaluationCount: summary.evaluationCount,
      lossesRecorded: summary.lossesRecorded,
      filterSnapshotCount: summary.filterSnapshotCount,
      hasWeights: summary.hasWeights,
      hasLandscape: summary.hasLandscape
    }
  })
}

/** The last evaluation, from the history or, for a summary, from what the summary says. */
export function lastEvaluationOf(entry: RunEntry): Evaluation | null {
  return entry.stored ? entry.stored.lastEvaluation : (entry.evaluations.last() ?? null)
}
export const hasWeights = (entry: RunEntry): boolean => (entry.stored ? entry.stored.hasWeights : entry.weights !== null)
export const hasLandscape = (entry: RunEntry): boolean => (entry.stored ? entry.stored.hasLandscape : entry.landscape !== null)
export const filterSnapshotCount = (entry: RunEntry): number => (entry.stored ? entry.stored.filterSnapshotCount : entry.filterSnapshots.count)

export interface NewRun {
  id: string
  presetId: string | null
  custom: boolean
  config: RunConfig | null
}

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
  const lastSaved = new Map<string, number>()
  const saving = new Map<string, { busy: boolean; again: boolean }>()

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
    if (!id) return undefined
    void revisions.get(id)
    void entries.value
    return byId.get(id)
  }

  function get(id: string | null | undefined): RunEntry | undefined {
    return id ? byId.get(id) : undefined
  }

  // ---- storage ----------------------------------------------------------------------------------

  function reportStorageError(error: unknown): void {
    storageError.value = error instanceof Error ? error.message : String(error)
  }

  /** Saves now, one write per run at a time; a save asked for meanwhile is done once the current one ends. */
  function save(entry: RunEntry): void {
    if (!storage) return
    const state = saving.get(entry.id) ?? { busy: false, again: false }
    saving.set(entry.id, state)
    if (state.busy) {
      state.again = true
      return
    }
    const record = toRecord(entry)
    if (!record) return
    state.busy = true
    lastSaved.set(entry.id, Date.now())
    storage
      .save(record)
      .then(() => {
        storageError.value = null
      }, reportStorageError)
      .finally(() => {
        state.busy = false
        if (state.again && byId.get(entry.id) === entry) {
          state.again = false
          save(entry)
        } else {
          saving.delete(entry.id)
        }
      })
  }

  function saveSoon(entry: RunEntry): void {
    if (Date.now() - (lastSaved.get(entry.id) ?? 0) >= SAVE_INTERVAL_MS) save(entry)
  }

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

  const loadingFull = new Map<string, { promise: Promise<RunEntry | undefined>; resolve: (entry: RunEntry | undefined) => void }>()
  /** Records that could not be read whole: asked once, then the summary stays (and a warning says why). */
  const unreadable = new Set<string>()
  /** Changes that arrived for a run while its record was loading, applied once it is there. */
  const deferred = new Map<string, Array<(entry: RunEntry) => void>>()
  let readScheduled = false

  /** The run with its whole history: at once if it has it, else after its record is read (batched). */
  function ensureFull(id: string): Promise<RunEntry | undefined> {
    const entry = byId.get(id)
    if (!entry || entry.detail === 'full' || !storage || unreadable.has(id)) return Promise.resolve(entry)
    const pending = loadingFull.get(id)
    if (pending) return pending.promise
    let resolve!: (entry: RunEntry | undefined) => void
    const promise = new Promise<RunEntry | undefined>((r) => (resolve = r))
    loadingFull.set(id, { promise, resolve })
    if (!readScheduled) {
      readScheduled = true
      // Everything asked for in this turn (a chart of ten runs) goes in one read.
      queueMicrotask(() => void readQueued())
    }
    return promise
  }

  /** For the reading functions below: they return what is here now, and the rest follows. */
  function wantFull(entry: RunEntry | undefined): void {
    if (entry?.detail === 'summary') void ensureFull(entry.id)
  }

  async function readQueued(): Promise<void> {
    readScheduled = false
    const ids = [...loadingFull.keys()].filter((id) => !inFlight.has(id)).slice(0, FULL_READ_BATCH)
    if (ids.length === 0 || !storage) return
    for (const id of ids) inFlight.add(id)
    let items: Awaited<ReturnType<RunStorage['read']>>
    try {
      items = await storage.read(ids)
    } catch (error) {
      reportStorageError(error)
      items = ids.map((id) => ({ id, error: error instanceof Error ? error.message : String(error) }))
    }
    const failures: StorageWarning[] = []
    for (const id of ids) {
      const item = items.find((i) => i.id === id)
      const checked = !item ? { ok: false as const, reason: 'not returned by the storage' } : 'error' in item ? { ok: false as const, reason: item.error } : 'data' in item ? checkRunRecord(item.data) : { ok: false as const, reason: 'a summary, not a record' }
      const entry = byId.get(id)
      if (checked.ok && entry?.detail === 'summary') upgrade(entry, checked.record)
      else if (!checked.ok) {
        unreadable.add(id)
        failures.push({ id, reason: checked.reason })
      }
      inFlight.delete(id)
      loadingFull.get(id)?.resolve(byId.get(id))
      loadingFull.delete(id)
      deferred.delete(id)
    }
    if (failures.length > 0) warnings.value = [...warnings.value, ...failures]
    if (loadingFull.size > 0 && !readScheduled) {
      readScheduled = true
      void readQueued()
    }
  }
  const inFlight = new Set<string>()

  /** Gives a summary entry its history, then replays what arrived meanwhile (a run followed while loading). */
  function upgrade(entry: RunEntry, record: RunRecord): void {
    const full = fromRecord(record)
    entry.losses = full.losses
    entry.evaluations = full.evaluations
    entry.filterSnapshots = full.filterSnapshots
    entry.weights = full.weights
    entry.landscape = full.landscape
    entry.detail = 'full'
    entry.stored = null
    const changes = deferred.get(entry.id) ?? []
    for (const change of changes) change(entry)
    notify(entry, { losses: true, evaluations: true })
    if (changes.length > 0) save(entry)
  }

  /** Changes a run's history now, or once its record is loaded (a summary's history is not here yet). */
  function withHistory(entry: RunEntry, change: (entry: RunEntry) => void): void {
    if (entry.detail === 'full') {
      change(entry)
      return
    }
    if (unreadable.has(entry.id)) return
    const list = deferred.get(entry.id) ?? []
    list.push(change)
    deferred.set(entry.id, list)
    void ensureFull(entry.id)
  }

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
    const now = Date.now()
    const total = run.config?.iterations ?? 1
    const entry: RunEntry = markRaw({
      id: run.id,
      presetId: run.presetId,
      custom: run.custom,
      config: run.config,
      status: 'starting',
      message: null,
      messageKey: null,
      dataset: null,
      createdAt: now,
      updatedAt: now,
      iter: 0,
      totalIters: run.config?.iterations ?? 0,
      elapsedMs: 0,
      losses: new LossHistory(total),
      evaluations: new EvaluationLog(),
      filterSnapshots: new ThinnedLog<FilterSnapshot>(MAX_STORED_FILTER_SNAPSHOTS),
      weights: null,
      landscape: null,
      detail: 'full',
      stored: null
    })
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
    withHistory(entry, (x) => x.evaluations.push(e))
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
    if (added) withHistory(entry, (e) => e.evaluations.last()?.iter !== last.iter && e.evaluations.push(last))
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

  function filterSnapshotsOf(id: string | null | undefined): FilterSnapshot[] {
    if (!id) return []
    void evalRevisions.get(id)
    void entries.value
    const entry = byId.get(id)
    wantFull(entry)
    return entry?.filterSnapshots.items() ?? []
  }

  // ---- reading ----------------------------------------------------------------------------------

  /** Per-iteration losses at stored resolution (up to 20,000 points). */
  function lossPoints(id: string | null | undefined): Point[] {
    if (!id) return []
    void lossRevisions.get(id)
    void entries.value
    const entry = byId.get(id)
    wantFull(entry)
    return entry?.losses.points() ?? []
  }

  function evaluationsOf(id: string | null | undefined): Evaluation[] {
    if (!id) return []
    void evalRevisions.get(id)
    void entries.value
    const entry = byId.get(id)
    wantFull(entry)
    return entry?.evaluations.items() ?? []
  }

  function lastEvaluation(id: string | null | undefined): Evaluation | null {
    if (!id) return null
    void evalRevisions.get(id)
    void entries.value
    const entry = byId.get(id)
    return entry ? lastEvaluationOf(entry) : null
  }

  /** Iterations recorded (changes with the losses only). */
  function lossCount(id: string | null | undefined): number {
    if (!id) return 0
    void lossRevisions.get(id)
    void entries.value
    const entry = byId.get(id)
    if (!entry) return 0
    return entry.stored ? entry.stored.lossesRecorded : entry.losses.recorded
  }

  /** The weights kept with a run (loading its record if only its summary is here). */
  function storedWeights(id: string | null | undefined): StoredWeights | null {
    if (!id) return null
    void revisions.get(id)
    void entries.value
    const entry = byId.get(id)
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
    filterSnapshotsOf
  }
})
