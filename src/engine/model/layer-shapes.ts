/**
 * What a network is made of, from its spec and shapes alone: each layer's output shape, the names and
 * shapes of its parameters and running statistics, its multiply-adds, or why it cannot take its input (in
 * the words the built layer uses). Pure arithmetic, no layer is built: the layer editor runs it on the
 * renderer's main thread and the model-file reader checks a file's tensors with it, and neither may pull
 * the layers' kernels in. test/engine/model/layer-shapes.test.ts holds it against the built layers.
 */
import { describeProblems, type FieldProblem, type LayerKind, type LayerSpec, type NetworkSpec } from '../config/run-config'
import { windowedSize, windowSettingsProblem } from '../kernels/conv-shape'
import { EngineError } from '../protocol/error-codes'
import { parameterLimitProblem } from './parameter-limit'

export interface TensorShape {
  readonly name: string
  readonly shape: readonly number[]
}

export interface LayerShape {
  /** One sample's output shape. */
  outputShape: number[]
  params: TensorShape[]
  /** Running statistics (batch norm's), saved with the parameters. */
  buffers: TensorShape[]
  /** Multiply-adds per image (convolutions and affine layers; the rest are counted as free). */
  macs: number
}

/** How layers of each kind are named: conv1, conv2, maxpool1, affine1, … (parameter names follow: conv1.W). */
export const NAME_STEM: Record<LayerKind, string> = {
  conv2d: 'conv',
  maxpool: 'maxpool',
  avgpool: 'avgpool',
  affine: 'affine',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  dropout: 'dropout',
  batchnorm: 'batchnorm',
  groupnorm: 'groupnorm',
  instancenorm: 'instancenorm',
  layernorm: 'layernorm',
  flatten: 'flatten'
}

/**
 * The layer list as it is built for `classCount` classes: the last affine layer gives one score per class
 * whatever units it names, so every preset and run file runs on any data set (MNIST's 10 leave it as it is).
 */
export function fitClassCount(layers: readonly LayerSpec[], classCount: number): LayerSpec[] {
  let last = -1
  layers.forEach((layer, i) => {
    if (layer.kind === 'affine') last = i
  })
  return layers.map((layer, i) => (i === last && layer.kind === 'affine' && layer.units !== classCount ? { ...layer, units: classCount } : layer))
}

/** Why a stack's output is not one score per class, or null when it is. */
export function classScoresProblem(shape: readonly number[], classCount: number): string | null {
  if (shape.length === 1 && shape[0] === classCount) return null
  return `the last layer must give ${classCount} class scores, gives [${shape.join(', ')}] (end with an affine layer)`
}

/** Weights and biases of a conv or affine layer on `inputShape` (0 for the rest, whose few values do not matter). */
export function weightCount(spec: LayerSpec, inputShape: readonly number[]): number {
  const size = product(inputShape)
  if (spec.kind === 'conv2d') return spec.filters * ((inputShape.length === 3 ? inputShape[0] : 1) * spec.size * spec.size + 1)
  if (spec.kind === 'affine') return spec.units * (size + 1)
  return 0
}

/** The layer a spec describes, sized for `inputShape`; a RangeError, as the layer's own, when it cannot take that input. */
export function layerShape(spec: LayerSpec, name: string, inputShape: readonly number[]): LayerShape {
  const size = product(inputShape)
  const channels = (): number => {
    if (inputShape.length !== 3) throw new RangeError(`expects a [channels, height, width] map, gets [${inputShape.join(', ')}]`)
    return inputShape[0]
  }
  const windowed = (window: number, stride: number, pad: number): [number, number] => {
    const problem = windowSettingsProblem(window, window, stride, pad)
    if (problem) throw new RangeError(`${name}: ${problem}`)
    try {
      return windowedSize(inputShape, window, window, stride, pad)
    } catch (error) {
      throw new RangeError(`${name}: ${(error as Error).message}`)
    }
  }
  const same = (): LayerShape => ({ outputShape: [...inputShape], params: [], buffers: [], macs: 0 })
  const affineLike = (w: number[], b: number[]): TensorShape[] => [tensor(`${name}.W`, w), tensor(`${name}.b`, b)]
  const scaleShift = (features: number): TensorShape[] => [tensor(`${name}.gamma`, [features]), tensor(`${name}.beta`, [features])]
  const running = (features: number): TensorShape[] => [tensor(`${name}.runningMean`, [features]), tensor(`${name}.runningVar`, [features])]
  switch (spec.kind) {
    case 'conv2d': {
      const c = channels()
      const outputShape = [spec.filters, ...windowed(spec.size, spec.stride, spec.pad)]
      const params = affineLike([spec.filters, c, spec.size, spec.size], [spec.filters])
      return { outputShape, params, buffers: [], macs: product(outputShape) * c * spec.size * spec.size }
    }
    case 'maxpool':
    case 'avgpool':
      return { ...same(), outputShape: [inputShape[0], ...windowed(spec.size, spec.stride, spec.pad)] }
    case 'affine':
      return { outputShape: [spec.units], params: affineLike([size, spec.units], [spec.units]), buffers: [], macs: size * spec.units }
    case 'relu':
    case 'sigmoid':
    case 'tanh':
      return same()
    case 'dropout':
      if (!(spec.ratio >= 0 && spec.ratio < 1)) throw new RangeError(`${name}: dropout ratio must be in [0, 1), got ${spec.ratio}`)
      return same()
    case 'batchnorm': {
      const features = spec.mode === 'channel' ? channels() : size
      return { ...same(), params: scaleShift(features), buffers: running(features) }
    }
    case 'groupnorm':
    case 'instancenorm': {
      const c = channels()
      const groups = spec.kind === 'groupnorm' ? spec.groups : c
      if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0) throw new RangeError(`${name}: ${groups} groups do not divide ${c} channels evenly`)
      return { ...same(), params: scaleShift(c) }
    }
    case 'layernorm':
      return { ...same(), params: scaleShift(size) }
    case 'flatten':
      return { ...same(), outputShape: [size] }
  }
}

/** A network's tensors as a model file stores them: every parameter in layer order, then every running statistic. */
export interface NetworkShapes {
  params: TensorShape[]
  buffers: TensorShape[]
}

/**
 * The tensors of the network `spec` describes for one sample of `inputShape` and `classCount` classes,
 * with the INVALID_CONFIG the network's builder (build.ts) gives when it cannot be built.
 */
export function networkShapes(spec: NetworkSpec, inputShape: readonly number[], classCount: number): NetworkShapes {
  const layers = walkLayers(networkLayers(spec, inputShape, classCount), inputShape, classCount, layerShape, (layer) => layer.outputShape)
  return { params: layers.flatMap((l) => l.params), buffers: layers.flatMap((l) => l.buffers) }
}

/**
 * The layers a network spec stands for, as they are built for `classCount` classes: a layer list with its
 * last affine fitted to the classes, or the course's MultiLayerNet spelled out as one — per hidden layer
 * Affine → [norm] → activation → [dropout], then the output Affine. Its size is checked first, as a whole.
 */
export function networkLayers(spec: NetworkSpec, inputShape: readonly number[], classCount: number): LayerSpec[] {
  if (spec.kind === 'layers') return fitClassCount(spec.layers, classCount)
  const sizes = [product(inputShape), ...spec.hidden, classCount]
  const parameters = sizes.slice(1).reduce((sum, units, i) => sum + units * (sizes[i] + 1), 0)
  const tooMany = parameterLimitProblem(parameters)
  if (tooMany) throw new EngineError('INVALID_CONFIG', `network.hidden: ${tooMany}`, { problems: [{ field: 'network.hidden', message: tooMany }] })
  const layers: LayerSpec[] = []
  for (let depth = 1; depth < sizes.length; depth++) {
    layers.push({ kind: 'affine', units: sizes[depth] })
    if (depth === sizes.length - 1) break
    if (spec.normalization === 'batchnorm') layers.push({ kind: 'batchnorm', mode: 'course' })
    if (spec.normalization === 'layernorm') layers.push({ kind: 'layernorm' })
    layers.push({ kind: spec.activation })
    if (spec.dropout.ratio > 0) layers.push({ kind: 'dropout', ...spec.dropout })
  }
  return layers
}

/**
 * Walks a network's layers from the image to the class scores, as the builder and the shape planning both
 * do: names each layer (conv1, conv2, affine1, …), counts the weights against the limit before `make`
 * allocates any, passes each layer's output shape to the next, and turns a layer's RangeError into an
 * INVALID_CONFIG naming the layer and its input. `make` gives the layer (built, or its shapes only).
 */
export function walkLayers<T>(
  specs: readonly LayerSpec[],
  inputShape: readonly number[],
  classCount: number,
  make: (spec: LayerSpec, name: string, inputShape: readonly number[]) => T,
  outputShape: (layer: T, inputShape: readonly number[]) => number[]
): T[] {
  const counts = new Map<LayerKind, number>()
  const layers: T[] = []
  let shape = [...inputShape]
  let parameters = 0
  specs.forEach((layerSpec, index) => {
    const where = `network.layers.${index}`
    const nth = (counts.get(layerSpec.kind) ?? 0) + 1
    counts.set(layerSpec.kind, nth)
    parameters += weightCount(layerSpec, shape)
    const tooMany = parameterLimitProblem(parameters)
    if (tooMany) invalidConfig(where, `layer ${index} (${layerSpec.kind}): ${tooMany}`)
    try {
      const layer = make(layerSpec, `${NAME_STEM[layerSpec.kind]}${nth}`, shape)
      shape = outputShape(layer, shape)
      layers.push(layer)
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      invalidConfig(where, `layer ${index} (${layerSpec.kind}) does not fit its input [${shape.join(', ')}]: ${error.message}`)
    }
  })
  const problem = classScoresProblem(shape, classCount)
  if (problem) invalidConfig(`network.layers.${specs.length - 1}`, problem)
  return layers
}

function invalidConfig(field: string, message: string): never {
  const problems: FieldProblem[] = [{ field, message }]
  throw new EngineError('INVALID_CONFIG', describeProblems(problems), { problems })
}

const tensor = (name: string, shape: number[]): TensorShape => ({ name, shape })
const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1)
