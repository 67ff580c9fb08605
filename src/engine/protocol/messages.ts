import { z } from 'zod'
import { RunConfigSchema } from '../config/run-config'
import { ERROR_CODES } from './error-codes'
import { DIGIT_CLASSES } from '../data/image-set'
import { AugmentSchema } from '../data/augment'
import { EMBED_MAX_POINTS, EMBED_MIN_POINTS, EmbedMethodSchema } from '../config/embedding'

/*
 * Every message between a host (renderer, CLI, test) and the engine. Both directions are validated with
 * these schemas on arrival: nothing untyped crosses a process boundary.
 */

const RunId = z.string().min(1).max(200)
const RequestId = z.string().min(1).max(200)
const LayerName = z.string().min(1).max(100)
const SplitName = z.enum(['train', 'test'])
const ImageIndex = z.number().int().min(0)

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

/** How an import turns images into a data set (data/import): size, colour, split, seed, strictness. */
export const ImportSettingsSchema = z
  .object({
    size: z.object({ height: z.number().int().min(8).max(128), width: z.number().int().min(8).max(128) }).optional(),
    colour: z.enum(['grey', 'colour']).optional(),
    testSplit: z.number().gt(0).lt(1).optional(),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    strict: z.boolean().optional()
  })
  .strict()
export type ImportSettings = z.infer<typeof ImportSettingsSchema>

/** Where an import reads: a folder on the engine's machine (Node hosts), or files a page picked and sent. */
export const ImportSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('directory'), path: z.string().min(1).max(4096) }),
  z.object({ kind: z.literal('files'), files: z.array(z.object({ path: z.string().min(1).max(4096), bytes: Bytes })).max(2_000_000) })
])

const DatasetName = z.string().trim().min(1).max(100)

/** An explanation's settings (src/engine/explain/explain.ts); each method reads its own, defaults otherwise. */
export const ExplanationOptionsSchema = z
  .object({
    /** Explain the class's score before softmax (the default) or its softmax probability. */
    output: z.enum(['score', 'probability']).optional(),
    samples: z.number().int().min(1).max(500).optional(),
    noise: z.number().min(0).max(1).optional(),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    steps: z.number().int().min(1).max(1000).optional(),
    rule: z.enum(['midpoint', 'trapezoid']).optional(),
    baseline: z.number().min(0).max(1).optional(),
    patch: z.number().int().min(1).max(128).optional(),
    stride: z.number().int().min(1).max(128).optional()
  })
  .strict()

/** Tuning of the projections (src/engine/embed); defaults otherwise. */
export const EmbedOptionsSchema = z
  .object({
    /** t-SNE: the effective number of neighbours each point's Gaussian is calibrated to. */
    perplexity: z.number().min(2).max(100).optional(),
    /** UMAP: neighbours of the k-nearest-neighbour graph. */
    neighbors: z.number().int().min(2).max(100).optional(),
    /** UMAP: how tightly points may pack. */
    minDist: z.number().min(0).max(1).optional(),
    /** t-SNE and UMAP: optimisation steps. */
    iterations: z.number().int().min(10).max(5000).optional()
  })
  .strict()
export type EmbedOptions = z.infer<typeof EmbedOptionsSchema>

// ---- host → engine ------------------------------------------------------------------------------

export const CommandSchema = z.discriminatedUnion('type', [
  /** First message of every connection; the engine answers `ready`. */
  z.object({ type: z.literal('hello'), protocolVersion: z.number().int() }),
  /**
   * How many threads the matrix products may use (this one included), e.g. to keep a core free for the
   * page. Clamped to the cores there are; answered with `threads`. Numbers do not depend on it.
   */
  z.object({ type: z.literal('setThreads'), threads: z.number().int().min(1).max(256) }),
  z.object({ type: z.literal('loadDataset'), requestId: RequestId.optional(), name: z.string().min(1).max(500), files: DatasetFilesSchema }),
  /** Start a run. The config is validated in full; a problem answers `error` INVALID_CONFIG with the fields. */
  /*
   * With `resumeFrom` (a checkpoint file's bytes) the run continues from the checkpoint's iteration to
   * config.iterations; the config must be the checkpoint's own, where only iterations, evalInterval and
   * evalSubset may differ.
   */
  z.object({ type: z.literal('startRun'), runId: RunId, config: z.unknown(), presetId: z.string().optional(), resumeFrom: Bytes.optional() }),
  z.object({ type: z.literal('pauseRun'), runId: RunId }),
  z.object({ type: z.literal('resumeRun'), runId: RunId }),
  z.object({ type: z.literal('stopRun'), runId: RunId }),
  /*
   * Visualisation requests, answered from the active run's network (or the last run's once it ended),
   * between training slices. `layer` is a layer name from runStarted.layers, e.g. 'conv1'.
   */
  /** A conv layer's filters → `filters`. */
  z.object({ type: z.literal('getFilters'), requestId: RequestId, layer: LayerName }),
  /** One layer's output for one image of the run's (limited) split → `featureMaps`. */
  z.object({ type: z.literal('getFeatureMaps'), requestId: RequestId, layer: LayerName, split: SplitName, index: ImageIndex }),
  /** The im2col matrix of a conv layer's input for one image, each row with its window → `im2col`. */
  z.object({ type: z.literal('getIm2col'), requestId: RequestId, layer: LayerName, split: SplitName, index: ImageIndex }),
  /** Every weight's histogram and near-zero share, and the first affine layer's weights as images → `weights`. */
  z.object({ type: z.literal('getWeights'), requestId: RequestId, units: z.number().int().min(0).max(4096).default(100) }),
  /**
   * The loss on a plane through the inspected network's weights (see src/engine/landscape) → progress
   * events, then `landscape`; with estimateOnly, one timed point → `landscapeEstimate`. A new request
   * cancels the one computing.
   */
  z.object({
    type: z.literal('computeLandscape'),
    requestId: RequestId,
    /** 'random': two filter-normalized random directions; 'path': the run's training path's principal plane. */
    plane: z.enum(['random', 'path']).default('random'),
    split: SplitName.default('test'),
    images: z.number().int().min(1).max(100_000),
    /** Points per side, odd so the trained point is on the grid. */
    grid: z
      .number()
      .int()
      .min(3)
      .max(101)
      .refine((n) => n % 2 === 1, 'grid must be odd'),
    span: z.number().positive().max(100).default(1),
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    estimateOnly: z.boolean().default(false)
  }),
  z.object({ type: z.literal('cancelLandscape'), requestId: RequestId }),
  /*
   * Models. `saveModel` saves the active run (between slices, running or paused) or the last run as a
   * model file → `modelSaved`; `checkpoint` adds what continuing it needs. `loadModel` makes a file the
   * network the visualisation requests, `evaluateModel`, `predictDigit` and `exportModel` look at, until
   * a new run starts → `modelLoaded`.
   */
  z.object({ type: z.literal('saveModel'), requestId: RequestId, checkpoint: z.boolean().default(true) }),
  z.object({ type: z.literal('loadModel'), requestId: RequestId, bytes: Bytes }),
  /** The loaded model (or the last run's network) on the whole test split → progress, then `modelEvaluation`. */
  z.object({ type: z.literal('evaluateModel'), requestId: RequestId }),
  z.object({ type: z.literal('cancelEvaluation'), requestId: RequestId }),
  /** One 28×28 image, row-major, values in [0, 1] → `digitPrediction`. */
  z.object({ type: z.literal('predictDigit'), requestId: RequestId, pixels: z.array(z.number().min(0).max(1)).length(784) }),
  z.object({ type: z.literal('exportModel'), requestId: RequestId, format: z.literal('onnx') }),
  /** An image file (PNG, JPEG, BMP, WebP) classified by the loaded model, converted to its input → `imagePrediction`. */
  z.object({ type: z.literal('classifyImage'), requestId: RequestId, bytes: Bytes }),
  /**
   * Why the loaded model (or the last run's network) answers as it does for one image: image `index` of
   * the loaded data's split, or `pixels` ([C, H, W] values in [0, 1], a drawing) → `explanation`. The
   * method (saliency, gradxinput, smoothgrad, integrated, occlusion, gradcam) is checked by the engine:
   * an unknown one, an index outside the split or a Grad-CAM layer that is not a conv layer is an
   * INVALID_REQUEST.
   */
  z.object({
    type: z.literal('explainImage'),
    requestId: RequestId,
    split: SplitName.default('test'),
    index: ImageIndex.optional(),
    pixels: z
      .array(z.number().min(0).max(1))
      .max(3 * 128 * 128)
      .optional(),
    method: z.string().min(1).max(40),
    /** The class explained; the predicted one when absent. */
    class: z.number().int().min(0).optional(),
    /** Grad-CAM's conv layer; the last conv layer when absent. */
    layer: LayerName.optional(),
    options: ExplanationOptionsSchema.optional()
  }),
  /**
   * A layer's activations for the first `n` images of the loaded data's split, projected to 2-D →
   * `embeddingProgress` events, then `embedding` (or `embeddingCancelled`). `source`: 'model' the loaded
   * model, 'run' the active run's network (between slices) or the last run's; absent = as explainImage
   * (the loaded model, else the last run's). A new request cancels the one computing. A layer name the
   * network does not have is an INVALID_REQUEST.
   */
  z.object({
    type: z.literal('embed'),
    requestId: RequestId,
    source: z.enum(['model', 'run']).optional(),
    /** Any layer's output, flattened; absent = the last hidden layer before the class scores. */
    layer: LayerName.optional(),
    split: SplitName.default('test'),
    /** Absent = 1,000 or the whole split if it is smaller; more than the split holds is an INVALID_REQUEST. */
    n: z.number().int().min(EMBED_MIN_POINTS).max(EMBED_MAX_POINTS).optional(),
    method: EmbedMethodSchema,
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    options: EmbedOptionsSchema.optional()
  }),
  z.object({ type: z.literal('cancelEmbedding'), requestId: RequestId }),
  /** The layers an embedding can be made of, and the default one → `embeddingLayers`. */
  z.object({ type: z.literal('getEmbeddingLayers'), requestId: RequestId, source: z.enum(['model', 'run']).optional() }),
  /*
   * The data library (data sets imported once, stored as bytes with their fingerprint): list → `datasets`;
   * import → `datasetImportProgress` events, then `datasetImported` (the new set is also loaded), or an
   * error, or `datasetImportCancelled`; `useDataset` loads a stored set (or the bundled one) →
   * `datasetLoaded`; remove and rename answer with the new `datasets` list.
   */
  z.object({ type: z.literal('listDatasets'), requestId: RequestId }),
  z.object({
    type: z.literal('importDataset'),
    requestId: RequestId,
    name: DatasetName,
    source: ImportSourceSchema,
    settings: ImportSettingsSchema.default({}),
    /** Replace a stored set of that name (the app asks the user first); otherwise such a name is refused. */
    overwrite: z.boolean().default(false)
  }),
  z.object({ type: z.literal('cancelImport'), requestId: RequestId }),
  z.object({ type: z.literal('useDataset'), requestId: RequestId, name: DatasetName }),
  z.object({ type: z.literal('removeDataset'), requestId: RequestId, name: DatasetName }),
  z.object({ type: z.literal('renameDataset'), requestId: RequestId, from: DatasetName, to: DatasetName }),
  /**
   * Images of the loaded set for a gallery → `datasetSamples`: `count` images from `start` among those of
   * `label` (all classes when absent) in `split`; with `augment`, each as the run's augmentation would
   * change it (seeded by `seed`).
   */
  z.object({
    type: z.literal('getDatasetSamples'),
    requestId: RequestId,
    split: SplitName,
    label: z.number().int().min(0).max(99).optional(),
    start: z.number().int().min(0).default(0),
    count: z.number().int().min(1).max(2000),
    augment: AugmentSchema.optional(),
    seed: z.number().int().min(0).max(0xffffffff).default(1)
  })
])
export type Command = z.infer<typeof CommandSchema>

// ---- engine → host ------------------------------------------------------------------------------

export const SplitInfoSchema = z.object({
  count: z.number().int(),
  /** 1 (grey) or 3 (RGB) */
  channels: z.number().int(),
  rows: z.number().int(),
  cols: z.number().int()
})
export const DatasetInfoSchema = z.object({
  name: z.string(),
  /** The class names, index = label ("0"…"9" for MNIST). */
  classes: z.array(z.string()),
  train: SplitInfoSchema,
  test: SplitInfoSchema,
  /** Images per class in the training split, index = label. */
  trainClassCounts: z.array(z.number().int()),
  bytes: z.number().int()
})
export type DatasetInfo = z.infer<typeof DatasetInfoSchema>

/** One set of the data library, as listed (the bytes stay on disk until the set is used). */
export const DatasetEntrySchema = z.object({
  name: z.string(),
  /** 'bundled' for the MNIST that ships with the app; 'idx' for an IDX folder loaded without importing. */
  source: z.enum(['folders', 'cifar-10', 'cifar-100', 'idx', 'bundled']),
  /** True for the sets in the library (they can be renamed and removed). */
  stored: z.boolean(),
  train: z.number().int(),
  test: z.number().int(),
  channels: z.number().int(),
  height: z.number().int(),
  width: z.number().int(),
  classes: z.array(z.string()),
  fingerprint: z.string(),
  createdAt: z.string().nullable(),
  /** Files the import skipped, with the reason. */
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  /** Set when the entry could not be read (a damaged library folder): the set cannot be used. */
  problem: z.string().optional()
})
export type DatasetEntry = z.infer<typeof DatasetEntrySchema>

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
  activation: z.object({ lo: z.number(), hi: z.number(), counts: z.array(z.number().int()), below: z.number().int(), above: z.number().int() }).nullable()
})
export type LayerStats = z.infer<typeof LayerStatsSchema>

export const EvaluationSchema = z.object({
  iter: z.number().int(),
  /** Loss of that iteration's mini-batch (with any weight-decay penalty), computed before its update. */
  loss: z.number(),
  trainAcc: z.number(),
  testAcc: z.number(),
  /** Accuracy on the images set aside from training (config.validation); absent without a split. */
  valAcc: z.number().optional(),
  /** How many validation images valAcc used when this evaluation was cut to config.evalSubset. */
  valImages: z.number().int().optional(),
  elapsedMs: z.number(),
  layers: z.array(LayerStatsSchema).optional(),
  /** Present when this evaluation used only the first images of each split (config.evalSubset): how many. */
  subset: z.object({ train: z.number().int(), test: z.number().int() }).optional(),
  /**
   * The test images' predictions as classes × classes counts, row-major, row = true class, column =
   * predicted: the same predictions as testAcc (the diagonal's sum / the total). Absent in older records.
   */
  confusion: z.array(z.number().int()).optional()
})
export type Evaluation = z.infer<typeof EvaluationSchema>

/** One layer of a run's network, for a UI to offer in its pickers. */
export const LayerInfoSchema = z.object({
  name: z.string(),
  /** The layer-list kind: 'conv2d', 'maxpool', 'affine', 'relu', … */
  kind: z.string(),
  /** One sample's output shape: [channels, height, width] for maps, [units] otherwise. */
  outputShape: z.array(z.number().int()),
  /** Number of trainable values (weights and biases, γ and β). */
  params: z.number().int()
})
export type LayerInfo = z.infer<typeof LayerInfoSchema>

/** A values array in row-major order with its shape. */
const ShapedValuesSchema = z.object({ shape: z.array(z.number().int()), values: z.array(z.number()) })

const HistogramSchema = z.object({ lo: z.number(), hi: z.number(), counts: z.array(z.number().int()) })

/** One weight (never a bias) of an affine or conv layer, summarised. */
export const LayerWeightSummarySchema = z.object({
  layer: z.string(),
  shape: z.array(z.number().int()),
  count: z.number().int(),
  /** How many weights have |w| < 1e-3. */
  nearZero: z.number().int(),
  /** Weights that are NaN or ±∞ (a diverged run), left out of both histograms. Absent in older records: 0. */
  nonFinite: z.number().int().default(0),
  maxAbs: z.number(),
  /** On [−maxAbs, maxAbs]. */
  histogram: HistogramSchema,
  /** Of log₁₀|w| on a fixed range (the same for every run); `below` counts smaller ones, zeros included. */
  magnitude: HistogramSchema.extend({ below: z.number().int() })
})
export type LayerWeightSummary = z.infer<typeof LayerWeightSummarySchema>

/** The first units' incoming weights as images (a weights answer's, and a stored run's, `units`). */
export const WeightUnitsSchema = z.object({
  layer: z.string(),
  /** 1 grey, 3 RGB; absent in records kept before colour data: 1. Each unit's values are [C, H, W]. */
  channels: z.number().int().default(1),
  rows: z.number().int(),
  cols: z.number().int(),
  units: z.number().int(),
  shown: z.number().int(),
  values: z.array(z.number())
})

export const FilterSnapshotLayerSchema = z.object({ layer: z.string(), shape: z.array(z.number().int()), values: z.array(z.number()) })
export type FilterSnapshotLayer = z.infer<typeof FilterSnapshotLayerSchema>

/** Loss values may be NaN or ∞ far from the trained point; they travel as null. */
const LossValue = z.number().nullable()

export const LandscapeResultSchema = z.object({
  plane: z.enum(['random', 'path']),
  split: SplitName,
  images: z.number().int(),
  grid: z.number().int(),
  xs: z.array(z.number()),
  ys: z.array(z.number()),
  /** grid × grid, row-major: loss[j·grid + i] at (xs[i], ys[j]). */
  loss: z.array(LossValue),
  /** The loss plus the run's weight-decay penalty, when it has one. */
  regularized: z.array(LossValue).nullable(),
  centerLoss: LossValue,
  /** Plane of the path: the snapshots' iterations and coordinates (the trained point at 0, 0). */
  path: z.array(z.object({ iter: z.number().int(), x: z.number(), y: z.number() })).nullable(),
  explained: z.tuple([z.number(), z.number()]).nullable()
})
export type LandscapeResult = z.infer<typeof LandscapeResultSchema>

/** 'early-stopped': validation accuracy stopped improving (config.earlyStopping) before the last iteration. */
export const RunStatusSchema = z.enum(['completed', 'early-stopped', 'stopped', 'diverged', 'failed'])
export type RunStatus = z.infer<typeof RunStatusSchema>

/** What a model file says about itself (src/engine/model-file/model-file.ts ModelSummary). */
export const ModelSummarySchema = z.object({
  formatVersion: z.number().int(),
  kind: z.enum(['model', 'checkpoint']),
  config: RunConfigSchema,
  presetId: z.string().nullable(),
  inputShape: z.array(z.number().int()),
  /** [channels, height, width] of the images it takes; absent in summaries stored before data sets were general. */
  imageShape: z.array(z.number().int()).default([1, 28, 28]),
  /** Its classes' names, index = score; absent in older stored summaries: the digits. */
  classes: z.array(z.string()).default(DIGIT_CLASSES.slice()),
  dataset: z.object({ name: z.string(), fingerprint: z.string() }).nullable(),
  metrics: z.object({ iter: z.number().int(), loss: z.number().nullable(), trainAcc: z.number().nullable(), testAcc: z.number().nullable() }).nullable(),
  appVersion: z.string(),
  savedAt: z.string(),
  precision: z.enum(['float32', 'float64']),
  parameterCount: z.number().int(),
  iteration: z.number().int(),
  bytes: z.number().int()
})

/** The engine's threads: what was asked, the most this host has, and whether it can run more than one. */
export const ThreadsInfoSchema = z.object({
  wanted: z.number().int().min(1),
  max: z.number().int().min(1),
  /** False where memory cannot be shared (a page that is not cross-origin isolated): one thread only. */
  available: z.boolean()
})
export type ThreadsInfo = z.infer<typeof ThreadsInfoSchema>

/** An answer about one image of a split (its index and label) at one layer of a run: feature maps, im2col. */
const OneImageAtLayer = {
  requestId: RequestId,
  runId: RunId,
  layer: z.string(),
  split: SplitName,
  index: z.number().int(),
  label: z.number().int()
}

export const EventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    protocolVersion: z.number().int(),
    presets: z.array(PresetSummarySchema),
    dataset: DatasetInfoSchema.nullable(),
    /** The run in progress when a client (re)connects, if any. */
    activeRunId: z.string().nullable(),
    /**
     * Which matrix kernels this host runs: 'wasm' (WebAssembly SIMD) or 'ts' (the plain TypeScript
     * fallback, e.g. where a CSP forbids compiling WebAssembly). Both give bit-identical numbers.
     */
    kernels: z.enum(['wasm', 'ts']).optional(),
    threads: ThreadsInfoSchema.optional()
  }),
  z.object({ type: z.literal('threads'), threads: ThreadsInfoSchema }),
  z.object({ type: z.literal('datasetLoading'), requestId: RequestId.optional(), name: z.string() }),
  z.object({ type: z.literal('datasetLoaded'), requestId: RequestId.optional(), dataset: DatasetInfoSchema }),
  /** The data library; `active` names the loaded set. */
  z.object({ type: z.literal('datasets'), requestId: RequestId.optional(), sets: z.array(DatasetEntrySchema), active: z.string().nullable() }),
  z.object({ type: z.literal('datasetImportProgress'), requestId: RequestId, phase: z.string(), done: z.number().int(), total: z.number().int() }),
  z.object({ type: z.literal('datasetImported'), requestId: RequestId, entry: DatasetEntrySchema }),
  z.object({ type: z.literal('datasetImportCancelled'), requestId: RequestId }),
  z.object({
    type: z.literal('datasetSamples'),
    requestId: RequestId,
    split: SplitName,
    channels: z.number().int(),
    rows: z.number().int(),
    cols: z.number().int(),
    /** Index of each image in the split, and its label. */
    indices: z.array(z.number().int()),
    labels: z.array(z.number().int()),
    /** How many images of that class (or of the split) there are, for paging. */
    total: z.number().int(),
    /** The images' bytes, [N, C, H, W]. */
    pixels: Bytes
  }),
  z.object({
    type: z.literal('runStarted'),
    runId: RunId,
    presetId: z.string().optional(),
    config: RunConfigSchema,
    dataset: z.string(),
    /** The network's layers in order, with output shapes: what the visualisation requests can name. */
    layers: z.array(LayerInfoSchema).optional()
  }),
  z.object({
    type: z.literal('progress'),
    runId: RunId,
    iter: z.number().int(),
    totalIters: z.number().int(),
    elapsedMs: z.number(),
    itersPerSec: z.number(),
    /** Per-iteration mini-batch losses since the previous progress event: iterations firstIter, firstIter+1, … */
    /** null for a loss that was not finite: the iteration a run diverged at (JSON and zod have no NaN). */
    losses: z.object({ firstIter: z.number().int(), values: z.array(z.number().nullable()) }),
    /** While the iteration's evaluation runs (training waits for it): images evaluated so far, of how many. */
    evaluating: z.object({ done: z.number().int(), total: z.number().int() }).optional()
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
    /** Why a run ended early: the divergence or failure message, or early stopping's reason, for the user. */
    message: z.string().optional(),
    /** With early stopping: the best validation accuracy seen and the iteration it was measured at. */
    best: z.object({ iter: z.number().int(), valAcc: z.number() }).optional()
  }),
  z.object({
    type: z.literal('filters'),
    requestId: RequestId,
    runId: RunId,
    layer: z.string(),
    /** [filters, channels, height, width], the course's W shape. */
    shape: z.array(z.number().int()),
    /** weights[f][c][y][x] */
    weights: z.array(z.array(z.array(z.array(z.number())))),
    bias: z.array(z.number())
  }),
  z.object({
    type: z.literal('featureMaps'),
    ...OneImageAtLayer,
    /** The image as the network saw it: [C, H, W] pixel values in [0, 1] ([1, 28, 28] for MNIST). */
    image: ShapedValuesSchema,
    /** The layer's output for that image in inference mode: [channels, height, width] for maps, [units] otherwise. */
    output: ShapedValuesSchema
  }),
  z.object({
    type: z.literal('im2col'),
    ...OneImageAtLayer,
    /** The conv layer's input for that image, [channels, height, width] (before padding). */
    input: ShapedValuesSchema,
    window: z.object({ height: z.number().int(), width: z.number().int(), stride: z.number().int(), pad: z.number().int() }),
    /** Output height and width: there is one row per output position, OH·OW rows. */
    outHeight: z.number().int(),
    outWidth: z.number().int(),
    /** The (OH·OW, C·FH·FW) matrix, columns ordered channel, filter row, filter column. */
    rows: z.array(z.array(z.number())),
    /** For rows[i]: its output position (oy, ox) and its window's top-left (y, x) in the padded input. */
    windows: z.array(z.object({ oy: z.number().int(), ox: z.number().int(), y: z.number().int(), x: z.number().int() }))
  }),
  z.object({
    type: z.literal('weights'),
    requestId: RequestId,
    runId: RunId,
    /** Iterations the network has trained. */
    iter: z.number().int(),
    layers: z.array(LayerWeightSummarySchema),
    /** The first affine layer's weights into each unit as rows×cols images, unit after unit; null when its input is not an image. */
    units: WeightUnitsSchema.nullable()
  }),
  /** A run's conv filters at one iteration (its start and its evaluations, thinned): the filters-over-time timeline. */
  z.object({ type: z.literal('filterSnapshot'), runId: RunId, iter: z.number().int(), layers: z.array(FilterSnapshotLayerSchema) }),
  z.object({
    type: z.literal('landscapeEstimate'),
    requestId: RequestId,
    runId: RunId,
    points: z.number().int(),
    msPerPoint: z.number(),
    estimatedMs: z.number()
  }),
  z.object({ type: z.literal('landscapeProgress'), requestId: RequestId, runId: RunId, done: z.number().int(), total: z.number().int() }),
  z.object({ type: z.literal('landscape'), requestId: RequestId, runId: RunId, iter: z.number().int(), result: LandscapeResultSchema }),
  z.object({ type: z.literal('landscapeCancelled'), requestId: RequestId }),
  z.object({ type: z.literal('modelSaved'), requestId: RequestId, runId: RunId, bytes: Bytes, summary: ModelSummarySchema }),
  z.object({ type: z.literal('modelLoaded'), requestId: RequestId, summary: ModelSummarySchema, layers: z.array(LayerInfoSchema) }),
  z.object({ type: z.literal('modelEvaluationProgress'), requestId: RequestId, done: z.number().int(), total: z.number().int() }),
  z.object({
    type: z.literal('modelEvaluation'),
    requestId: RequestId,
    testAcc: z.number(),
    n: z.number().int(),
    /** confusion[true label][predicted label] = count */
    confusion: z.array(z.array(z.number().int())),
    /** Every misclassified test image (index into the test split), with the model's confidence in its guess. */
    misclassified: z.array(
      z.object({
        index: z.number().int(),
        label: z.number().int(),
        predicted: z.number().int(),
        confidence: z.number(),
        /** The image's C·H·W bytes (0–255, [C, H, W]; 784 for a digit), for the first MAX_MISCLASSIFIED_IMAGES of them: a gallery can draw them. */
        pixels: z.array(z.number().int().min(0).max(255)).optional()
      })
    ),
    /** Set when the loaded data differ from the model's training data. */
    datasetNote: z.string().optional()
  }),
  z.object({ type: z.literal('modelEvaluationCancelled'), requestId: RequestId }),
  z.object({ type: z.literal('digitPrediction'), requestId: RequestId, probabilities: z.array(z.number()), scores: z.array(z.number()) }),
  z.object({
    type: z.literal('imagePrediction'),
    requestId: RequestId,
    probabilities: z.array(z.number()),
    scores: z.array(z.number()),
    /** The image as the model saw it: its channels, height and width, and the [C, H, W] bytes. */
    channels: z.number().int(),
    rows: z.number().int(),
    cols: z.number().int(),
    pixels: Bytes
  }),
  z.object({ type: z.literal('modelExported'), requestId: RequestId, format: z.literal('onnx'), bytes: Bytes }),
  z.object({
    type: z.literal('explanation'),
    requestId: RequestId,
    method: z.string(),
    /** Where the image came from; absent for pixels sent with the request. */
    split: SplitName.optional(),
    index: z.number().int().optional(),
    label: z.number().int().optional(),
    predicted: z.number().int(),
    class: z.number().int(),
    /** Class scores before softmax. */
    scores: z.array(z.number()),
    output: z.enum(['score', 'probability']),
    height: z.number().int(),
    width: z.number().int(),
    /** height × width values, row-major; larger = more important for the class. */
    map: z.array(z.number()),
    /** How the pixel methods summed the channels into the map: Σ|a_c| (gradients), Σa_c (attributions); 'none' for occlusion and Grad-CAM. */
    reduction: z.enum(['absolute', 'signed', 'none']),
    channels: z.number().int(),
    /** The pixel methods' signed attribution per value, [C, H, W]. */
    channelMaps: z.array(z.number()).optional(),
    layer: z.string().optional(),
    /** Integrated gradients: Σ attributions against f(x) − f(baseline). */
    completeness: z.object({ attributionSum: z.number(), outputDifference: z.number(), relativeError: z.number() }).optional(),
    /** The settings the method ran with, defaults filled in. */
    settings: z.record(z.string(), z.union([z.number(), z.string()]))
  }),
  /** Phases of an `embed` request: 'activations' (images through the network), then 'projection' (iterations). */
  z.object({
    type: z.literal('embeddingProgress'),
    requestId: RequestId,
    phase: z.enum(['activations', 'projection']),
    done: z.number().int(),
    total: z.number().int()
  }),
  z.object({
    type: z.literal('embedding'),
    requestId: RequestId,
    method: EmbedMethodSchema,
    layer: z.string(),
    split: SplitName,
    n: z.number().int(),
    /** Values per image in the layer's output (the dimension projected from). */
    dimensions: z.number().int(),
    seed: z.number().int(),
    /** One [x, y] per image, in the order of `indices`. */
    points: z.array(z.tuple([z.number(), z.number()])),
    /** Each image's true label and the network's answer for it. */
    labels: z.array(z.number().int()),
    predicted: z.array(z.number().int()),
    /** Each point's image: its index in the split (the first n images: 0 … n−1). */
    indices: z.array(z.number().int()),
    /** PCA: the share of the variance along each axis. */
    explained: z.tuple([z.number(), z.number()]).optional(),
    /** The settings the method ran with, defaults filled in. */
    settings: z.record(z.string(), z.union([z.number(), z.string()]))
  }),
  z.object({ type: z.literal('embeddingCancelled'), requestId: RequestId }),
  z.object({ type: z.literal('embeddingLayers'), requestId: RequestId, layers: z.array(LayerInfoSchema), defaultLayer: z.string() }),
  /**
   * A run's embedding at one evaluation (config.embedding): the first n test images of the run's test
   * split, aligned (Procrustes) onto the previous snapshot so a timeline moves smoothly. Points are rounded
   * to 4 significant digits; labels are the images' true labels, predicted the network's answers then.
   */
  z.object({
    type: z.literal('embeddingSnapshot'),
    runId: RunId,
    iter: z.number().int(),
    layer: z.string(),
    method: EmbedMethodSchema,
    points: z.array(z.tuple([z.number(), z.number()])),
    labels: z.array(z.number().int()),
    predicted: z.array(z.number().int())
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
