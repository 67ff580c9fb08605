/**
 * Gradient Lab's model file: safetensors with the run described in `__metadata__` (JSON inside string
 * values, as the format allows only strings). A *model* holds the network's parameters and batch-norm
 * running statistics; a *checkpoint* adds the optimizer's buffers (`optimizer.<slot>.<param>`) and, in
 * metadata, everything else a run needs to continue bit for bit: the iteration, the generator's state,
 * the optimizer's counters, the elapsed time and the last evaluation.
 *
 * Each tensor is stored in the dtype the engine holds it in (core/dtype.ts), so a round trip is exact.
 * Reading validates the container, then the metadata, then every tensor's name and shape against the
 * network the metadata describes, before anything is built from it.
 */
import { version as APP_VERSION } from '../../../package.json'
import { checkRunConfig, describeProblems, type RunConfig } from '../config/run-config'
import { precisionOf, type FloatArray, type Precision } from '../core/dtype'
import type { StoppingState } from '../train/early-stopping'
import { DIGIT_CLASSES, IMAGE_LIMITS } from '../data/image-set'
import type { StateBuffer } from '../layers/layer'
import { networkShapes } from '../model/layer-shapes'
import type { Network } from '../model/network'
import type { OptimizerState } from '../optimizers/state'
import { EngineError } from '../protocol/error-codes'
import type { Evaluation } from '../protocol/messages'
import type { TrainerProgress } from '../train/trainer'
import { decodeSafetensors, encodeSafetensors, type NamedTensor, type SafetensorsContents } from './safetensors'

export const MODEL_FORMAT = 'gradient-lab-model'
export const MODEL_FORMAT_VERSION = 1
/** The largest model file any host reads (cnn-deep's checkpoint is ~4 MB): a bigger file is not one of ours. */
export const MAX_MODEL_FILE_BYTES = 256 * 1024 * 1024
export { APP_VERSION }

export interface DatasetRef {
  name: string
  fingerprint: string
}

export interface ModelMetrics {
  iter: number
  loss: number | null
  trainAcc: number | null
  testAcc: number | null
}

/** A checkpoint's metadata beyond the model's. */
export interface CheckpointInfo extends TrainerProgress {
  /** Training time so far, so a resumed run's elapsed times continue. */
  elapsedMs: number
  /** The last evaluation before the save (a resumed run that is stopped at once still reports it). */
  lastEvaluation: Evaluation | null
}

export interface ModelSummary {
  formatVersion: number
  kind: 'model' | 'checkpoint'
  config: RunConfig
  presetId: string | null
  /** One sample's input shape: [784] for an MLP, [1, 28, 28] for a conv net. */
  inputShape: number[]
  /** The images it takes, [channels, height, width] ([1, 28, 28] for MNIST; an MLP's input is their product). */
  imageShape: number[]
  /** Its classes' names, index = score ("0"…"9" for MNIST, and for files written before sets had names). */
  classes: string[]
  dataset: DatasetRef | null
  metrics: ModelMetrics | null
  appVersion: string
  savedAt: string
  precision: Precision
  parameterCount: number
  /** Iterations trained (a checkpoint continues from here). */
  iteration: number
  bytes: number
}

export interface ModelToWrite {
  network: Network
  /** The images the network was built for: [C, H, W]; MNIST's [1, 28, 28] when absent. */
  imageShape?: readonly number[]
  /** The data set's class names (one per score); the digits when absent. */
  classes?: readonly string[]
  config: RunConfig
  presetId?: string | null
  dataset: DatasetRef | null
  metrics: ModelMetrics | null
  iteration: number
  checkpoint?: { info: CheckpointInfo; optimizer: OptimizerState }
  savedAt?: Date
}

const invalid = (message: string): EngineError => new EngineError('INVALID_MODEL', message)

/** The network's own tensors: parameters, then batch-norm running statistics, in layer order. */
export function networkTensors(network: Network): NamedTensor[] {
  const buffers: StateBuffer[] = network.layers.flatMap((layer) => layer.buffers ?? [])
  return [...network.params, ...buffers].map(({ name, shape, value }) => ({ name, shape, value }))
}

const optimizerTensorName = (slot: string, param: string): string => `optimizer.${slot}.${param}`

export function encodeModelFile(model: ModelToWrite): Uint8Array {
  const tensors = networkTensors(model.network)
  if (model.checkpoint) {
    for (const [slot, perParam] of Object.entries(model.checkpoint.optimizer.slots)) {
      for (const [param, value] of perParam.entries()) tensors.push({ name: optimizerTensorName(slot, param.name), shape: param.shape, value })
    }
  }
  const metadata: Record<string, string> = {
    format: MODEL_FORMAT,
    format_version: String(MODEL_FORMAT_VERSION),
    kind: model.checkpoint ? 'checkpoint' : 'model',
    config: JSON.stringify(model.config),
    input_shape: JSON.stringify(model.network.inputShape),
    dataset: JSON.stringify(model.dataset),
    metrics: JSON.stringify(model.metrics),
    iteration: String(model.iteration),
    app_version: APP_VERSION,
    saved_at: (model.savedAt ?? new Date()).toISOString()
  }
  // Written only where they differ from MNIST's, so an MNIST model's file is the same as it always was.
  if (model.imageShape && !sameShape(model.imageShape, MNIST_IMAGE_SHAPE)) metadata.image_shape = JSON.stringify(model.imageShape)
  if (model.classes && !sameNames(model.classes, DIGIT_CLASSES)) metadata.classes = JSON.stringify(model.classes)
  if (model.presetId) metadata.preset_id = model.presetId
  if (model.checkpoint) metadata.checkpoint = JSON.stringify(model.checkpoint.info)
  return encodeSafetensors(tensors, metadata)
}

/** A model file read and checked: its summary and its tensors, not yet put into a network. */
export interface ModelFile {
  summary: ModelSummary
  tensors: SafetensorsContents['tensors']
  checkpoint: CheckpointInfo | null
}

export function decodeModelFile(bytes: Uint8Array): ModelFile {
  const { metadata, tensors } = decodeSafetensors(bytes)
  if (metadata.format !== MODEL_FORMAT) {
    throw invalid('not a Gradient Lab model: its metadata does not say format "gradient-lab-model" (a safetensors file from another tool?)')
  }
  const version = Number(metadata.format_version)
  if (!Number.isInteger(version) || version < 1) throw invalid(`the model's format version "${metadata.format_version}" is not a version number`)
  if (version > MODEL_FORMAT_VERSION) {
    throw invalid(
      `the model was made by a newer Gradient Lab (format version ${version}; this version reads up to ${MODEL_FORMAT_VERSION}): update Gradient Lab to open it`
    )
  }
  const kind = metadata.kind
  if (kind !== 'model' && kind !== 'checkpoint') throw invalid(`the model's kind "${kind}" is neither "model" nor "checkpoint"`)

  const checked = checkRunConfig(parseJson(metadata.config, 'config'))
  if (!checked.ok) throw invalid(`the model's run settings are invalid: ${describeProblems(checked.problems)}`)
  const config = checked.config
  const imageShape = parseImageShape(metadata.image_shape)
  const inputShape = parseInputShape(metadata.input_shape, config, imageShape)
  const classes = parseClasses(metadata.classes)
  const dataset = parseDataset(parseJson(metadata.dataset ?? 'null', 'dataset'))
  const metrics = parseMetrics(parseJson(metadata.metrics ?? 'null', 'metrics'))
  const iteration = Number(metadata.iteration ?? 0)
  if (!Number.isInteger(iteration) || iteration < 0) throw invalid(`the model's iteration "${metadata.iteration}" is not a whole number`)
  const checkpoint = kind === 'checkpoint' ? parseCheckpoint(parseJson(metadata.checkpoint, 'checkpoint'), iteration) : null

  // The network the metadata describes (from shapes alone: nothing is built), every tensor's name and
  // shape checked against the file.
  const planned = networkShapes(config.network, inputShape, classes.length)
  const expected = [...planned.params, ...planned.buffers]
  const precisions = new Set<Precision>()
  for (const { name, shape } of expected) {
    const stored = tensors.get(name)
    if (!stored) throw invalid(`the model lacks tensor "${name}" that its network (${describeNetwork(config)}) needs`)
    if (!sameShape(stored.shape, shape)) {
      throw invalid(`tensor "${name}" has shape [${stored.shape.join(', ')}], but the network needs [${shape.join(', ')}]`)
    }
    precisions.add(stored.precision)
  }
  if (precisions.size > 1) throw invalid('the model mixes F32 and F64 tensors; Gradient Lab writes one dtype per model')
  // The tensors say what the engine held; settings saved before precision was a setting say nothing (and
  // default to float32), so the dtype on disk decides, and a resumed run continues in it.
  const precision: Precision = [...precisions][0] ?? config.precision
  const known = new Set(expected.map((t) => t.name))
  const paramShapes = new Map(planned.params.map((p) => [p.name, p.shape]))
  for (const [name, stored] of tensors) {
    if (known.has(name)) continue
    const optimizerSlot = /^optimizer\.([a-z]+)\.(.+)$/.exec(name)
    if (!optimizerSlot || kind !== 'checkpoint') throw invalid(`the model holds an unexpected tensor "${name}"`)
    const shape = paramShapes.get(optimizerSlot[2])
    if (!shape) throw invalid(`optimizer tensor "${name}" belongs to no parameter of the network`)
    if (!sameShape(stored.shape, shape)) throw invalid(`optimizer tensor "${name}" has shape [${stored.shape.join(', ')}], its parameter [${shape.join(', ')}]`)
    if (stored.precision !== precision) throw invalid(`optimizer tensor "${name}" is ${stored.precision}, the network's tensors ${precision}`)
  }

  const summary: ModelSummary = {
    formatVersion: version,
    kind,
    config: { ...config, precision },
    presetId: metadata.preset_id ?? null,
    inputShape,
    imageShape,
    classes,
    dataset,
    metrics,
    appVersion: metadata.app_version ?? 'unknown',
    savedAt: metadata.saved_at ?? '',
    precision,
    parameterCount: planned.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0),
    iteration,
    bytes: bytes.length
  }
  return { summary, tensors, checkpoint }
}

/** The summary alone (what a model library lists); validates the whole file all the same. */
export function readModelSummary(bytes: Uint8Array): ModelSummary {
  return decodeModelFile(bytes).summary
}

/** Copies a file's network tensors into a network built from the same settings. */
export function loadNetworkTensors(file: ModelFile, network: Network): void {
  for (const { name, value } of networkTensors(network)) copyInto(value, file.tensors.get(name)!.value)
}

/** Puts a checkpoint's optimizer buffers back into a live optimizer of the same network. */
export function loadOptimizerTensors(file: ModelFile, network: Network, optimizer: OptimizerState): void {
  const params = new Map(network.params.map((p) => [p.name, p]))
  for (const [name, stored] of file.tensors) {
    const match = /^optimizer\.([a-z]+)\.(.+)$/.exec(name)
    if (!match) continue
    const slot = optimizer.slots[match[1]]
    if (!slot) throw invalid(`the checkpoint has optimizer state "${match[1]}", which ${file.summary.config.optimizer.kind} does not keep`)
    slot.load(params.get(match[2])!, stored.value)
  }
}

function copyInto(target: FloatArray, source: FloatArray): void {
  if (precisionOf(target) !== precisionOf(source)) {
    // A float64 model opened by a float32 engine (or the reverse): values convert, the file is unchanged.
    for (let i = 0; i < target.length; i++) target[i] = source[i]
  } else target.set(source)
}

function parseJson(text: string | undefined, field: string): unknown {
  if (text === undefined) throw invalid(`the model's metadata lacks "${field}"`)
  try {
    return JSON.parse(text)
  } catch {
    throw invalid(`the model's metadata "${field}" is not valid JSON`)
  }
}

const MNIST_IMAGE_SHAPE: readonly number[] = [1, 28, 28]

function parseImageShape(text: string | undefined): number[] {
  if (text === undefined) return [...MNIST_IMAGE_SHAPE]
  const shape = parseJson(text, 'image_shape')
  const { channels, minSide, maxSide } = IMAGE_LIMITS
  const side = (d: unknown): boolean => Number.isSafeInteger(d) && (d as number) >= minSide && (d as number) <= maxSide
  if (!Array.isArray(shape) || shape.length !== 3 || !channels.includes(shape[0]) || !side(shape[1]) || !side(shape[2])) {
    throw invalid(`the model's image_shape is not [channels 1 or 3, height, width] with sides ${minSide} to ${maxSide}`)
  }
  return shape as number[]
}

function parseInputShape(text: string | undefined, config: RunConfig, imageShape: readonly number[]): number[] {
  const shape = parseJson(text, 'input_shape')
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d > 0)) throw invalid("the model's input_shape is not a list of sizes")
  const expected = config.network.kind === 'layers' ? [...imageShape] : [imageShape.reduce((a, b) => a * b, 1)]
  if (!sameShape(shape, expected)) {
    throw invalid(`the model's input shape [${shape.join(', ')}] does not fit its images [${imageShape.join(', ')}]: expected [${expected.join(', ')}]`)
  }
  return shape as number[]
}

function parseClasses(text: string | undefined): string[] {
  if (text === undefined) return [...DIGIT_CLASSES]
  const classes = parseJson(text, 'classes')
  const { minClasses, maxClasses } = IMAGE_LIMITS
  if (!Array.isArray(classes) || !classes.every((c) => typeof c === 'string') || classes.length < minClasses || classes.length > maxClasses) {
    throw invalid(`the model's classes are not a list of ${minClasses} to ${maxClasses} names`)
  }
  return classes as string[]
}

const sameNames = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((name, i) => name === b[i])

function parseDataset(value: unknown): DatasetRef | null {
  if (value === null) return null
  const v = value as Partial<DatasetRef>
  if (typeof v !== 'object' || typeof v.name !== 'string' || typeof v.fingerprint !== 'string') throw invalid("the model's dataset record is malformed")
  return { name: v.name, fingerprint: v.fingerprint }
}

function parseMetrics(value: unknown): ModelMetrics | null {
  if (value === null) return null
  const v = value as Record<string, unknown>
  const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null)
  if (typeof v !== 'object' || !Number.isInteger(v.iter)) throw invalid("the model's metrics are malformed")
  return { iter: v.iter as number, loss: num(v.loss), trainAcc: num(v.trainAcc), testAcc: num(v.testAcc) }
}

function parseCheckpoint(value: unknown, iteration: number): CheckpointInfo {
  const v = value as Record<string, unknown>
  const random = v?.random
  if (
    typeof v !== 'object' ||
    v === null ||
    v.iteration !== iteration ||
    !Array.isArray(random) ||
    random.length !== 5 ||
    !random.slice(0, 4).every((x) => Number.isInteger(x)) ||
    !(random[4] === null || typeof random[4] === 'number') ||
    typeof v.optimizer !== 'object' ||
    v.optimizer === null ||
    !Object.values(v.optimizer).every((x) => Number.isInteger(x)) ||
    typeof v.elapsedMs !== 'number'
  ) {
    throw invalid("the checkpoint's state (iteration, generator, optimizer counters) is malformed")
  }
  return {
    iteration,
    random: random as (number | null)[],
    optimizer: v.optimizer as Record<string, number>,
    elapsedMs: v.elapsedMs,
    lastEvaluation: (v.lastEvaluation as Evaluation | null) ?? null,
    ...(isStoppingState(v.earlyStopping) ? { earlyStopping: v.earlyStopping } : {})
  }
}

/** Early stopping's saved state (train/early-stopping.ts), present in checkpoints of runs that use it. */
function isStoppingState(v: unknown): v is StoppingState {
  const s = v as Record<string, unknown> | null
  return typeof s === 'object' && s !== null && (s.best === null || typeof s.best === 'number') && Number.isInteger(s.bestIter) && Number.isInteger(s.stale)
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i])
}

function describeNetwork(config: RunConfig): string {
  return config.network.kind === 'mlp' ? `MLP ${config.network.hidden.join('-')}` : `${config.network.layers.length} layers`
}
