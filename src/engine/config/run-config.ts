import { z } from 'zod'
import { AugmentSchema } from '../data/augment'
import { RunEmbeddingSchema } from './embedding'
import { DEFAULT_PRECISION, PRECISIONS, type Precision } from '../core/dtype'
import { EarlyStoppingSchema, LrScheduleSchema, stoppingProblem, ValidationSchema } from './schedule'

/**
 * The complete, JSON-serialisable description of one training run. A run record holds exactly this, so a
 * run can be repeated bit for bit from it. Every field is validated before a run starts; the messages name
 * the field so the UI can show them next to it and the CLI can print them.
 */

const positiveFinite = z.number({ error: 'must be a finite number' }).positive('must be greater than 0')
const count = (what: string) => z.number({ error: `${what} must be a whole number` }).int(`${what} must be a whole number`)

export const ActivationSchema = z.enum(['relu', 'sigmoid', 'tanh'])
export type Activation = z.infer<typeof ActivationSchema>

/** gauss: std · N(0,1) with a fixed std; xavier: sqrt(1/fan_in) · N(0,1); he: sqrt(2/fan_in) · N(0,1). */
export const InitSchema = z.enum(['gauss', 'xavier', 'he'])
export type InitKind = z.infer<typeof InitSchema>

export const NormalizationSchema = z.enum(['none', 'batchnorm', 'layernorm'])
export type Normalization = z.infer<typeof NormalizationSchema>

/** 'inverted' scales kept units by 1/(1−p) in training; 'course' leaves them and scales by (1−p) at test. */
export const DropoutSpecSchema = z.object({
  ratio: z.number({ error: 'must be a number' }).min(0, 'must be at least 0').lt(1, 'must be less than 1'),
  mode: z.enum(['inverted', 'course'])
})

export const MlpSpecSchema = z.object({
  kind: z.literal('mlp'),
  hidden: z
    .array(count('a hidden size').min(1, 'a hidden size must be at least 1').max(4096, 'a hidden size must be at most 4096'))
    .min(1, 'needs at least one hidden layer')
    .max(32, 'at most 32 hidden layers'),
  activation: ActivationSchema,
  init: InitSchema,
  /** Standard deviation for init 'gauss'; ignored otherwise. */
  initStd: positiveFinite.max(10, 'must be at most 10').default(0.01),
  /** Between each hidden Affine and its activation, as the course's MultiLayerNet places batch norm. */
  normalization: NormalizationSchema.default('none'),
  /** After each hidden activation; ratio 0 means no dropout layers. */
  dropout: DropoutSpecSchema.default({ ratio: 0, mode: 'inverted' })
})
export type MlpSpec = z.infer<typeof MlpSpecSchema>

const sized = (what: string, min: number, max: number) => count(what).min(min, `${what} must be at least ${min}`).max(max, `${what} must be at most ${max}`)
/** A per-layer choice of initial weights; absent = the network's. */
const layerInit = { init: InitSchema.optional(), initStd: positiveFinite.max(10, 'must be at most 10').optional() }
const windowOf = (kind: string) => ({
  size: sized(`${kind} size`, 1, 32),
  pad: sized(`${kind} padding`, 0, 32).default(0)
})

/**
 * One layer of a layer-list network, in order from the image to the class scores. Conv and pooling take
 * [channels, height, width] maps; an affine layer flattens whatever it gets. Shapes are checked when the
 * network is built, before the run starts.
 */
export const LayerSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('conv2d'),
    filters: sized('conv2d filters', 1, 512),
    ...windowOf('conv2d'),
    /** The course's defaults: stride 1, padding 0. */
    stride: sized('conv2d stride', 1, 32).default(1),
    ...layerInit
  }),
  /** The course's Pooling defaults to stride 1, which surprises; here the stride is always written out. */
  z.object({ kind: z.literal('maxpool'), ...windowOf('maxpool'), stride: sized('maxpool stride', 1, 32) }),
  z.object({ kind: z.literal('avgpool'), ...windowOf('avgpool'), stride: sized('avgpool stride', 1, 32) }),
  z.object({ kind: z.literal('affine'), units: sized('affine units', 1, 4096), ...layerInit }),
  z.object({ kind: z.literal('relu') }),
  z.object({ kind: z.literal('sigmoid') }),
  z.object({ kind: z.literal('tanh') }),
  DropoutSpecSchema.extend({ kind: z.literal('dropout') }),
  /** 'course': the course's BatchNormalization, statistics per value of the flattened map (C·H·W); 'channel': per channel. */
  z.object({ kind: z.literal('batchnorm'), mode: z.enum(['course', 'channel']).default('course') }),
  z.object({ kind: z.literal('groupnorm'), groups: sized('groupnorm groups', 1, 512) }),
  z.object({ kind: z.literal('instancenorm') }),
  z.object({ kind: z.literal('layernorm') }),
  z.object({ kind: z.literal('flatten') })
])
export type LayerSpec = z.infer<typeof LayerSpecSchema>
export type LayerKind = LayerSpec['kind']

/** A network written as a list of layers (the course's conv nets); the images arrive as [1, 28, 28] maps. */
export const LayerListSpecSchema = z.object({
  kind: z.literal('layers'),
  layers: z.array(LayerSpecSchema).min(1, 'needs at least one layer').max(64, 'at most 64 layers'),
  /** Initial weights of every conv and affine layer unless the layer says otherwise; fan_in = C·FH·FW for a conv. */
  init: InitSchema,
  initStd: positiveFinite.max(10, 'must be at most 10').default(0.01)
})
export type LayerListSpec = z.infer<typeof LayerListSpecSchema>

export const NetworkSpecSchema = z.discriminatedUnion('kind', [MlpSpecSchema, LayerListSpecSchema])
export type NetworkSpec = z.infer<typeof NetworkSpecSchema>

const learningRate = positiveFinite.max(1e3, 'must be at most 1000')
const unitInterval = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .min(0, `${what} must be at least 0`)
    .lt(1, `${what} must be less than 1`)

/** Update rules and constants as the course writes them (see src/engine/optimizers). */
export const OptimizerSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sgd'), lr: learningRate }),
  z.object({ kind: z.literal('momentum'), lr: learningRate, momentum: unitInterval('momentum').default(0.9) }),
  z.object({ kind: z.literal('nesterov'), lr: learningRate, momentum: unitInterval('momentum').default(0.9) }),
  z.object({
    kind: z.literal('adagrad'),
    lr: learningRate,
    /** 'book': h from 0, ε 1e-7; 'course': the answer notebook's h₀ = θ on the first step, no ε. */
    variant: z.enum(['book', 'course']).default('book'),
    initialH: positiveFinite.default(1e-4)
  }),
  z.object({ kind: z.literal('rmsprop'), lr: learningRate, decay: unitInterval('decay').default(0.99) }),
  z.object({ kind: z.literal('adam'), lr: learningRate, beta1: unitInterval('beta1').default(0.9), beta2: unitInterval('beta2').default(0.999) })
])
export type OptimizerSpec = z.infer<typeof OptimizerSpecSchema>

/**
 * Which "training accuracy" a run reports. The course notebooks disagree, so every preset records its own:
 * on the current mini-batch before or after that iteration's update, or on the whole (sliced) training set.
 */
export const TrainAccuracySchema = z.enum(['batch-before-update', 'batch-after-update', 'train-set'])
export type TrainAccuracyKind = z.infer<typeof TrainAccuracySchema>

/** Weight decay on weights (never biases or normalisation parameters), included in the reported loss. */
export const RegularizationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  /** loss + ½·λ·Σw², gradient + λ·w */
  z.object({ kind: z.literal('l2'), lambda: z.number({ error: 'λ must be a number' }).min(0, 'λ must be 0 or more').max(1e3, 'λ must be at most 1000') }),
  /** loss + λ·Σ|w|, gradient + λ·sign(w) */
  z.object({ kind: z.literal('l1'), lambda: z.number({ error: 'λ must be a number' }).min(0, 'λ must be 0 or more').max(1e3, 'λ must be at most 1000') })
])
export type Regularization = z.infer<typeof RegularizationSchema>

/**
 * Parameters the course's hand-written update loops never touch, kept as selectable quirks:
 * batch-norm γ/β in 2_3 and 2_4, the output layer's W/b in 2_5's inline L1/L2 loops.
 */
export const FreezeSchema = z.object({
  normalization: z.boolean().default(false),
  outputLayer: z.boolean().default(false)
})

export const RunConfigSchema = z
  .object({
    network: NetworkSpecSchema,
    optimizer: OptimizerSpecSchema,
    batchSize: count('batch size').min(1, 'batch size must be at least 1').max(100_000, 'batch size must be at most 100000'),
    iterations: count('iterations').min(1, 'iterations must be at least 1').max(10_000_000, 'iterations must be at most 10000000'),
    evalInterval: count('evaluation interval').min(1, 'evaluation interval must be at least 1'),
    seed: count('seed').min(0, 'seed must be 0 or more').max(0xffffffff, 'seed must fit in 32 bits'),
    trainAccuracy: TrainAccuracySchema,
    regularization: RegularizationSchema.default({ kind: 'none' }),
    freeze: FreezeSchema.default({ normalization: false, outputLayer: false }),
    /** Use only the first N training / test images (the course slices its sets); absent = all. */
    trainLimit: count('training image limit').min(1, 'training image limit must be at least 1').optional(),
    testLimit: count('test image limit').min(1, 'test image limit must be at least 1').optional(),
    /**
     * A faster evaluation schedule: intermediate evaluations use only the first K images of each split (of
     * the limited ones); the last iteration is always evaluated on all of them. Absent = all, every time.
     */
    evalSubset: count('evaluation subset').min(1, 'evaluation subset must be at least 1').optional(),
    /**
     * What the engine computes in: float32 (the fast default) or float64 (the course's precision, what the
     * presets' texts quote). core/dtype.ts is the one place that knows what each means.
     */
    precision: z.enum(PRECISIONS as [Precision, ...Precision[]]).default(DEFAULT_PRECISION),
    /** Seeded changes to each training batch (shift, flip, rotation, crop, noise); absent = none, nothing drawn. */
    augment: AugmentSchema.optional(),
    /**
     * Every image resized to inputSize × inputSize (area averaging) before the run: the resolution axis of
     * model scaling (presets/model-scaling.ts). Absent = the data's own size.
     */
    inputSize: count('input size').min(8, 'input size must be at least 8 pixels').max(128, 'input size must be at most 128 pixels').optional(),
    /** A 2-D embedding of N test images at each evaluation (session/run-embeddings.ts); absent = none. */
    embedding: RunEmbeddingSchema.optional(),
    /** How the learning rate moves, a validation split, early stopping on it (config/schedule.ts); absent = none. */
    lrSchedule: LrScheduleSchema.optional(),
    validation: ValidationSchema.optional(),
    earlyStopping: EarlyStoppingSchema.optional()
  })
  .superRefine((config, ctx) => {
    const problem = stoppingProblem(config)
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['earlyStopping'] })
  })
export type RunConfig = z.infer<typeof RunConfigSchema>
/** What a caller may send: defaults not yet applied. */
export type RunConfigInput = z.input<typeof RunConfigSchema>

/** A config written in code (presets, tests) with defaults filled in; throws if it is invalid. */
export function defineRunConfig(input: RunConfigInput): RunConfig {
  return RunConfigSchema.parse(input)
}

export interface FieldProblem {
  /** Dotted path of the field, e.g. `optimizer.lr` or `network.hidden.1`. */
  field: string
  message: string
}

export type ConfigCheck = { ok: true; config: RunConfig } | { ok: false; problems: FieldProblem[] }

/** Validates a run configuration, returning every problem with the field it belongs to. */
export function checkRunConfig(input: unknown): ConfigCheck {
  const parsed = RunConfigSchema.safeParse(input)
  if (parsed.success) return { ok: true, config: parsed.data }
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(config)', message: issue.message }))
  }
}

export function describeProblems(problems: FieldProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join('; ')
}
