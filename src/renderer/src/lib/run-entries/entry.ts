import { markRaw } from 'vue'
import type { Evaluation } from '@engine/protocol'
import type { RunConfig } from '@engine/config/run-config'
import { LossHistory } from '@renderer/lib/loss-history'
import { EvaluationLog } from '@renderer/lib/evaluation-log'
import { ThinnedLog } from '@renderer/lib/snapshot-log'
import {
  MAX_STORED_FILTER_SNAPSHOTS,
  RUN_RECORD_VERSION,
  type FilterSnapshot,
  type RunRecord,
  type StoredLandscape,
  type StoredStatus,
  type StoredWeights
} from '@renderer/lib/storage/run-record'
import { confusionCapacity, MAX_STORED_CONFUSIONS, packConfusion, type StoredConfusion } from '@renderer/lib/storage/run-record-confusion'
import { MAX_STORED_EMBEDDING_SNAPSHOTS, type StoredEmbeddingImages, type StoredEmbeddingSnapshot } from '@renderer/lib/storage/run-record-embedding'
import type { RunSummary } from '@renderer/lib/storage/run-summary'

/*
 * One run as the library holds it in memory, and its conversions to and from what storage keeps (a whole
 * record, or the desktop index's summary).
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
  /** Without their confusion matrices: those are kept compactly in `confusions`. */
  evaluations: EvaluationLog
  /** The conv filters at the start and at evaluations (thinned): filters over time. */
  filterSnapshots: ThinnedLog<FilterSnapshot>
  /** The test confusion matrix of each evaluation (thinned): errors over training. */
  confusions: ThinnedLog<StoredConfusion>
  /** The 2-D embedding of the run's test images at its evaluations (thinned), and which images they are. */
  embeddingSnapshots: ThinnedLog<StoredEmbeddingSnapshot>
  embeddingImages: StoredEmbeddingImages | null
  /** The weights at the end of the run, summarised; null until the run ends (or for older records). */
  weights: StoredWeights | null
  landscape: StoredLandscape | null
  /** 'summary': the history above is empty until the record is loaded (see `stored`); 'full': all here. */
  detail: 'summary' | 'full'
  /** What the stored record holds, while only its summary is here. */
  stored: StoredFacts | null
}

/** What a summary says of the history it leaves out. */
export type StoredFacts = Pick<
  RunSummary,
  'lastEvaluation' | 'evaluationCount' | 'lossesRecorded' | 'filterSnapshotCount' | 'embeddingSnapshotCount' | 'hasWeights' | 'hasLandscape'
>

export interface NewRun {
  id: string
  presetId: string | null
  custom: boolean
  config: RunConfig | null
}

const LIVE: readonly EntryStatus[] = ['starting', 'running', 'paused']

export function isLive(status: EntryStatus): boolean {
  return LIVE.includes(status)
}

/** An evaluation as the log keeps it: its confusion matrix (if the engine sent one) goes to the confusion log. */
export function withoutConfusion(e: Evaluation): Evaluation {
  if (!('confusion' in e)) return e
  const { confusion: _confusion, ...rest } = e as Evaluation & { confusion?: unknown }
  return rest as Evaluation
}

/** Appends an evaluation's confusion matrix; the log's size is set by the first matrix's class count. */
export function pushConfusion(entry: RunEntry, iter: number, confusion: readonly number[] | readonly (readonly number[])[]): void {
  const packed = packConfusion(iter, confusion)
  if (!packed) return
  const capacity = confusionCapacity(packed.size)
  if (entry.confusions.count === 0 && entry.confusions.capacity !== capacity) entry.confusions = new ThinnedLog<StoredConfusion>(capacity)
  entry.confusions.push(packed)
}

const emptyConfusions = (): ThinnedLog<StoredConfusion> => new ThinnedLog<StoredConfusion>(MAX_STORED_CONFUSIONS)
const emptySnapshots = (): ThinnedLog<StoredEmbeddingSnapshot> => new ThinnedLog<StoredEmbeddingSnapshot>(MAX_STORED_EMBEDDING_SNAPSHOTS)

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
    confusions: entry.confusions.items(),
    embeddingSnapshots: entry.embeddingSnapshots.items(),
    embeddingImages: entry.embeddingImages,
    weights: entry.weights,
    landscape: entry.landscape
  }
}

/** What a stored record and its summary both say of the run itself (not its history). */
function storedRunFields(
  run: RunRecord | RunSummary
): Pick<
  RunEntry,
  'id' | 'presetId' | 'custom' | 'config' | 'status' | 'message' | 'messageKey' | 'dataset' | 'createdAt' | 'updatedAt' | 'iter' | 'totalIters' | 'elapsedMs'
> {
  return {
    id: run.id,
    presetId: run.presetId,
    custom: run.custom,
    config: run.config,
    // A run that was training when the app closed cannot go on: say so rather than pretend it is running.
    status: isLive(run.status) ? 'interrupted' : run.status,
    message: run.message,
    messageKey: run.messageKey,
    dataset: run.dataset,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    iter: run.iter,
    totalIters: run.totalIters,
    elapsedMs: run.elapsedMs
  }
}

export function fromRecord(record: RunRecord): RunEntry {
  const first = record.confusions[0]
  return markRaw({
    ...storedRunFields(record),
    losses: LossHistory.restore(record.totalIters, record.losses),
    evaluations: EvaluationLog.from(record.evaluations.map(withoutConfusion)),
    filterSnapshots: ThinnedLog.from(record.filterSnapshots, MAX_STORED_FILTER_SNAPSHOTS),
    confusions: ThinnedLog.from(record.confusions, first ? confusionCapacity(first.size) : MAX_STORED_CONFUSIONS),
    embeddingSnapshots: ThinnedLog.from(record.embeddingSnapshots, MAX_STORED_EMBEDDING_SNAPSHOTS),
    embeddingImages: record.embeddingImages,
    weights: record.weights,
    landscape: record.landscape,
    detail: 'full',
    stored: null
  })
}

/** Empty histories, the loss history sized for `lossSlots` iterations: a summary's or a new run's. */
function noHistory(
  lossSlots: number
): Pick<RunEntry, 'losses' | 'evaluations' | 'filterSnapshots' | 'confusions' | 'embeddingSnapshots' | 'embeddingImages' | 'weights' | 'landscape'> {
  return {
    losses: new LossHistory(lossSlots),
    evaluations: new EvaluationLog(),
    filterSnapshots: new ThinnedLog<FilterSnapshot>(MAX_STORED_FILTER_SNAPSHOTS),
    confusions: emptyConfusions(),
    embeddingSnapshots: emptySnapshots(),
    embeddingImages: null,
    weights: null,
    landscape: null
  }
}

/** An entry that knows its run from a summary; its history is loaded on demand. */
export function fromSummary(summary: RunSummary): RunEntry {
  return markRaw({
    ...storedRunFields(summary),
    ...noHistory(Math.max(1, summary.totalIters)),
    detail: 'summary',
    stored: {
      lastEvaluation: summary.lastEvaluation,
      evaluationCount: summary.evaluationCount,
      lossesRecorded: summary.lossesRecorded,
      filterSnapshotCount: summary.filterSnapshotCount,
      embeddingSnapshotCount: summary.embeddingSnapshotCount,
      hasWeights: summary.hasWeights,
      hasLandscape: summary.hasLandscape
    }
  })
}

/** A run about to be sent to the engine: no history yet. */
export function newEntry(run: NewRun, now: number): RunEntry {
  return markRaw({
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
    ...noHistory(run.config?.iterations ?? 1),
    detail: 'full',
    stored: null
  })
}

/** Gives a summary entry the history of its whole record. */
export function takeHistory(entry: RunEntry, record: RunRecord): void {
  const full = fromRecord(record)
  entry.losses = full.losses
  entry.evaluations = full.evaluations
  entry.filterSnapshots = full.filterSnapshots
  entry.confusions = full.confusions
  entry.embeddingSnapshots = full.embeddingSnapshots
  entry.embeddingImages = full.embeddingImages
  entry.weights = full.weights
  entry.landscape = full.landscape
  entry.detail = 'full'
  entry.stored = null
}

/** The last evaluation, from the history or, for a summary, from what the summary says. */
export function lastEvaluationOf(entry: RunEntry): Evaluation | null {
  return entry.stored ? entry.stored.lastEvaluation : (entry.evaluations.last() ?? null)
}
export const hasWeights = (entry: RunEntry): boolean => (entry.stored ? entry.stored.hasWeights : entry.weights !== null)
export const hasLandscape = (entry: RunEntry): boolean => (entry.stored ? entry.stored.hasLandscape : entry.landscape !== null)
export const filterSnapshotCount = (entry: RunEntry): number => (entry.stored ? entry.stored.filterSnapshotCount : entry.filterSnapshots.count)
export const embeddingSnapshotCount = (entry: RunEntry): number => (entry.stored ? entry.stored.embeddingSnapshotCount : entry.embeddingSnapshots.count)
