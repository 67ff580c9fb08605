import { z } from 'zod'
import { RunConfigSchema } from '../config/run-config'
import { ERROR_CODES } from './error-codes'

/*
 * Every message between a host (renderer, CLI, test) and the engine. Both directions are validated with
 * these schemas on arrival: nothing untyped crosses a process boundary.
 */

const RunId = z.string().min(1).max(200)
const RequestId = z.string().min(1).max(200)

/** IDX file contents as transferred: an ArrayBuffer or any byte view of one. */
const Bytes = z.custom<ArrayBuffer | Uint8Array>(
  (v) => v instanceof ArrayBuffer || v instanceof Uint8Array,
  'expected the bytes of a file (ArrayBuffer or Uint8Array)'
)

export const DatasetFilesSchema = z.object({
  trainImages: Bytes,
  trainLabels: Bytes,
  testImages: Bytes,
  testLabels: Bytes
})
export type DatasetFiles = z.infer<typeof DatasetFilesSchema>

// ---- host → engine ------------------------------------------------------------------------------

export const CommandSchema = z.discriminatedUnion('type', [
  /** First message of every connection; the engine answers `ready`. */
  z.object({ type: z.literal('hello'), protocolVersion: z.number().int() }),
  z.object({ type: z.literal('loadDataset'), requestId: RequestId.optional(), name: z.string().min(1).max(500), files: DatasetFilesSchema }),
  /** Start a run. The config is validated in full; a problem answers `error` INVALID_CONFIG with the fields. */
  z.object({ type: z.literal('startRun'), runId: RunId, config: z.unknown(), presetId: z.string().optional() }),
  z.object({ type: z.literal('pauseRun'), runId: RunId }),
  z.object({ type: z.literal('resumeRun'), runId: RunId }),
  z.object({ type: z.literal('stopRun'), runId: RunId })
])
export type Command = z.infer<typeof CommandSchema>

// ---- engine → host ------------------------------------------------------------------------------

export const SplitInfoSchema = z.object({ count: z.number().int(), rows: z.number().int(), cols: z.number().int() })
export const DatasetInfoSchema = z.object({
  name: z.string(),
  train: SplitInfoSchema,
  test: SplitInfoSchema,
  /** Images per class in the training split, index = digit. */
  trainClassCounts: z.array(z.number().int()),
  bytes: z.number().int()
})
export type DatasetInfo = z.infer<typeof DatasetInfoSchema>

export const PresetSummarySchema = z.object({
  id: z.string(),
  lesson: z.string(),
  title: z.string(),
  summary: z.string(),
  description: z.string(),
  quirks: z.array(z.string()),
  config: RunConfigSchema
})
export type PresetSummary = z.infer<typeof PresetSummarySchema>

/** Per Affine layer, by depth: the vanishing-gradient lesson's evidence. */
export const LayerStatsSchema = z.object({
  name: z.string(),
  depth: z.number().int(),
  /** Mean |∂L/∂W| of the layer's weights on this iteration's batch (before the update). */
  meanAbsGrad: z.number(),
  /** Histogram of the activation after this layer on the batch (fixed range per activation); null for the output layer. */
  activation: z
    .object({ lo: z.number(), hi: z.number(), counts: z.array(z.number().int()), below: z.number().int(), above: z.number().int() })
    .nullable()
})
export type LayerStats = z.infer<typeof LayerStatsSchema>

export const EvaluationSchema = z.object({
  iter: z.number().int(),
  /** Loss of that iteration's mini-batch (with any weight-decay penalty), computed before its update. */
  loss: z.number(),
  trainAcc: z.number(),
  testAcc: z.number(),
  elapsedMs: z.number(),
  layers: z.array(LayerStatsSchema).optional()
})
export type Evaluation = z.infer<typeof EvaluationSchema>

export const RunStatusSchema = z.enum(['completed', 'stopped', 'diverged', 'failed'])
export type RunStatus = z.infer<typeof RunStatusSchema>

export const EventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    protocolVersion: z.number().int(),
    presets: z.array(PresetSummarySchema),
    dataset: DatasetInfoSchema.nullable(),
    /** The run in progress when a client (re)connects, if any. */
    activeRunId: z.string().nullable()
  }),
  z.object({ type: z.literal('datasetLoading'), requestId: RequestId.optional(), name: z.string() }),
  z.object({ type: z.literal('datasetLoaded'), requestId: RequestId.optional(), dataset: DatasetInfoSchema }),
  z.object({ type: z.literal('runStarted'), runId: RunId, presetId: z.string().optional(), config: RunConfigSchema, dataset: z.string() }),
  z.object({
    type: z.literal('progress'),
    runId: RunId,
    iter: z.number().int(),
    totalIters: z.number().int(),
    elapsedMs: z.number(),
    itersPerSec: z.number(),
    /** Per-iteration mini-batch losses since the previous progress event: iterations firstIter, firstIter+1, … */
    losses: z.object({ firstIter: z.number().int(), values: z.array(z.number()) })
  }),
  z.object({ type: z.literal('evaluation'), runId: RunId, evaluation: EvaluationSchema }),
  z.object({ type: z.literal('runPaused'), runId: RunId, iter: z.number().int() }),
  z.object({ type: z.literal('runResumed'), runId: RunId, iter: z.number().int() }),
  z.object({
    type: z.literal('runFinished'),
    runId: RunId,
    status: RunStatusSchema,
    iter: z.number().int(),
    elapsedMs: z.number(),
    last: EvaluationSchema.nullable(),
    /** Why a run ended early: the divergence or failure message, for the user. */
    message: z.string().optional()
  }),
  z.object({
    type: z.literal('error'),
    code: z.enum(ERROR_CODES),
    message: z.string(),
    requestId: RequestId.optional(),
    runId: RunId.optional(),
    /** Field-level problems of an INVALID_CONFIG, for showing next to the fields. */
    problems: z.array(z.object({ field: z.string(), message: z.string() })).optional()
  })
])
export type EngineEvent = z.infer<typeof EventSchema>
export type EngineEventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>
