import { z } from 'zod'
import { RunConfigSchema } from '@engine/config/run-config'
import { EvaluationSchema } from '@engine/protocol'
import { FilterSnapshotLayerSchema, LandscapeResultSchema, LayerWeightSummarySchema, WeightUnitsSchema } from '@engine/protocol/messages'
import { MAX_STORED_CONFUSIONS, StoredConfusionSchema } from './run-record-confusion'
import { MAX_STORED_EMBEDDING_SNAPSHOTS, StoredEmbeddingImagesSchema, StoredEmbeddingSnapshotSchema } from './run-record-embedding'

/**
 * What is kept of a run on disk (Electron) or in IndexedDB (browser): its settings, seed and preset, its
 * status and its metric history, so it survives a restart and can be re-run exactly from the config.
 *
 * Versioned: a record of another version, or one that does not match this schema, is skipped with a
 * warning instead of breaking the list. Size is bounded: losses are kept at up to 20,000 points (longer
 * runs as means of consecutive iterations), evaluations at up to 1,000 evenly spaced ones plus the last.
 */
export const RUN_RECORD_VERSION = 1

/** Also a file name in Electron (`<id>.json`): letters, digits, dot, dash and underscore only. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/
export const RunIdSchema = z.string().regex(RUN_ID_PATTERN, 'not a valid run id')

export const MAX_STORED_LOSS_POINTS = 20_001
export const MAX_STORED_EVALUATIONS = 1_001

/** Filter snapshots kept per run (evenly thinned, the latest always kept): the filters-over-time timeline. */
export const MAX_STORED_FILTER_SNAPSHOTS = 25

export const FilterSnapshotSchema = z.object({ iter: z.number().int().min(0), layers: z.array(FilterSnapshotLayerSchema) })
export type FilterSnapshot = z.infer<typeof FilterSnapshotSchema>

/** The weights at the end of a run, summarised (and the first units as images), for side-by-side comparisons. */
export const StoredWeightsSchema = z.object({
  iter: z.number().int().min(0),
  layers: z.array(LayerWeightSummarySchema),
  units: WeightUnitsSchema.nullable()
})
export type StoredWeights = z.infer<typeof StoredWeightsSchema>

/** The latest loss landscape computed for the run, with the iteration its weights were at. */
export const StoredLandscapeSchema = z.object({ iter: z.number().int().min(0), result: LandscapeResultSchema })
export type StoredLandscape = z.infer<typeof StoredLandscapeSchema>

export const StoredStatusSchema = z.enum(['running', 'paused', 'completed', 'early-stopped', 'stopped', 'diverged', 'failed', 'interrupted'])
export type StoredStatus = z.infer<typeof StoredStatusSchema>

export const LossSnapshotSchema = z.object({
  /** Iterations per stored value: value i is the mean loss of iterations i·stride … (i+1)·stride − 1. */
  stride: z.number().int().min(1),
  /** null: no finite loss in that slot (not reached, or the loss was NaN/∞). */
  values: z.array(z.number().nullable()).max(MAX_STORED_LOSS_POINTS),
  /** Iterations recorded (may exceed values.length when stride > 1). */
  recorded: z.number().int().min(0)
})
export type LossSnapshot = z.infer<typeof LossSnapshotSchema>

/**
 * Runs stored before precision was a setting computed in float64: they keep it, so "re-run exactly" still
 * gives their numbers (a new run's settings default to float32).
 */
function ranBeforePrecisionSetting(config: unknown): unknown {
  if (typeof config !== 'object' || config === null || Array.isArray(config) || 'precision' in config) return config
  return { ...config, precision: 'float64' }
}

export const RunRecordSchema = z.object({
  version: z.literal(RUN_RECORD_VERSION),
  id: RunIdSchema,
  /** The preset the run came from (also for a custom run: the one it was edited from). */
  presetId: z.string().max(200).nullable(),
  /** True when any setting other than the seed differs from the preset's. */
  custom: z.boolean(),
  config: z.preprocess(ranBeforePrecisionSetting, RunConfigSchema),
  status: StoredStatusSchema,
  message: z.string().max(4000).nullable(),
  /** Or, when the app itself ended the run (e.g. the engine crashed), an i18n key for the message. */
  messageKey: z.string().max(200).nullable().default(null),
  dataset: z.string().max(500).nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  iter: z.number().int().min(0),
  totalIters: z.number().int().min(0),
  elapsedMs: z.number().min(0),
  losses: LossSnapshotSchema,
  evaluations: z.array(EvaluationSchema).max(MAX_STORED_EVALUATIONS),
  /* Added later in version 1; a record without them reads as having none. */
  filterSnapshots: z
    .array(FilterSnapshotSchema)
    .max(MAX_STORED_FILTER_SNAPSHOTS + 1)
    .default([]),
  weights: StoredWeightsSchema.nullable().default(null),
  landscape: StoredLandscapeSchema.nullable().default(null),
  /* Added later still (issue 21): errors and embeddings over training; older records have none. */
  confusions: z
    .array(StoredConfusionSchema)
    .max(MAX_STORED_CONFUSIONS + 1)
    .default([]),
  embeddingSnapshots: z
    .array(StoredEmbeddingSnapshotSchema)
    .max(MAX_STORED_EMBEDDING_SNAPSHOTS + 1)
    .default([]),
  embeddingImages: StoredEmbeddingImagesSchema.nullable().default(null)
})
export type RunRecord = z.infer<typeof RunRecordSchema>

export type RecordCheck = { ok: true; record: RunRecord } | { ok: false; reason: string }

/** Validates a stored value; the reason names the first few problems, for the warning. */
export function checkRunRecord(data: unknown): RecordCheck {
  if (typeof data === 'object' && data !== null && 'version' in data && data.version !== RUN_RECORD_VERSION) {
    return { ok: false, reason: `record version ${String((data as { version: unknown }).version)}, this app reads version ${RUN_RECORD_VERSION}` }
  }
  const parsed = RunRecordSchema.safeParse(data)
  if (parsed.success) return { ok: true, record: parsed.data }
  const reason = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`)
    .join('; ')
  return { ok: false, reason }
}
