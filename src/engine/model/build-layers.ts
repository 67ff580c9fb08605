import type { Precision } from '../core/dtype'
import type { Random } from '../core/random'
import { describeProblems, type FieldProblem, type InitKind, type LayerKind, type LayerListSpec, type LayerSpec } from '../config/run-config'
import { fillGaussian, initStd } from './weight-init'
import { Affine } from '../layers/affine'
import { AvgPool2D } from '../layers/avg-pool'
import { BatchNorm } from '../layers/batch-norm'
import { ChannelBatchNorm } from '../layers/channel-batch-norm'
import { Conv2D } from '../layers/conv2d'
import { Dropout } from '../layers/dropout'
import { Flatten } from '../layers/flatten'
import { GroupNorm } from '../layers/group-norm'
import { InstanceNorm } from '../layers/instance-norm'
import type { Layer } from '../layers/layer'
import { LayerNorm } from '../layers/layer-norm'
import { MaxPool2D } from '../layers/max-pool'
import { Relu } from '../layers/relu'
import { Sigmoid } from '../layers/sigmoid'
import { Tanh } from '../layers/tanh'
import { EngineError } from '../protocol/error-codes'
import { DIGIT_CLASSES } from '../data/image-set'
import { parameterLimitProblem } from './memory-budget'
import { Network } from './network'

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

/**
 * Builds a layer-list network for one sample of `inputShape` ([1, 28, 28] for MNIST maps), checking that
 * every layer accepts the shape the previous one gives and that the last gives the `classCount` scores.
 * A mismatch is an INVALID_CONFIG naming the layer (index and kind) and the shapes, raised before any
 * weight is drawn. Weights are then drawn from `random` in layer order (He/Xavier fan_in = C·FH·FW for a
 * conv, the input size for an affine), biases start at zero.
 */
export function buildLayerNetwork(
  spec: LayerListSpec,
  inputShape: readonly number[],
  random: Random,
  precision: Precision,
  classCount: number = DIGIT_CLASSES.length
): Network {
  const specs = fitClassCount(spec.layers, classCount)
  const counts = new Map<LayerKind, number>()
  const layers: Layer[] = []
  let shape = [...inputShape]
  let parameters = 0
  specs.forEach((layerSpec, index) => {
    const where = `network.layers.${index}`
    const nth = (counts.get(layerSpec.kind) ?? 0) + 1
    counts.set(layerSpec.kind, nth)
    // Counted before the layer allocates its weights, so an oversized network fails without trying.
    parameters += weightCount(layerSpec, shape)
    const tooMany = parameterLimitProblem(parameters)
    if (tooMany) fail(where, `layer ${index} (${layerSpec.kind}): ${tooMany}`)
    try {
      const layer = createLayer(layerSpec, `${NAME_STEM[layerSpec.kind]}${nth}`, shape, random, precision)
      shape = layer.outputShape(shape)
      layers.push(layer)
    } catch (error) {
      if (!(error instanceof RangeError)) throw error
      fail(where, `layer ${index} (${layerSpec.kind}) does not fit its input [${shape.join(', ')}]: ${error.message}`)
    }
  })
  const problem = classScoresProblem(shape, classCount)
  if (problem) fail(`network.layers.${spec.layers.length - 1}`, problem)
  for (const [i, layer] of layers.entries()) initialize(layer, specs[i], spec, random)
  // The first layer's gradient would be d/dpixels: never needed, and for a conv the costliest product.
  const first = layers[0]
  if (first instanceof Conv2D || first instanceof Affine) first.propagateInputGrad = false
  return new Network(layers, inputShape, precision)
}

/** Why a stack's output is not one score per class, or null when it is. */
export function classScoresProblem(shape: readonly number[], classCount: number): string | null {
  if (shape.length === 1 && shape[0] === classCount) return null
  return `the last layer must give ${classCount} class scores, gives [${shape.join(', ')}] (end with an affine layer)`
}

function fail(field: string, message: string): never {
  const problems: FieldProblem[] = [{ field, message }]
  throw new EngineError('INVALID_CONFIG', describeProblems(problems), { problems })
}

/** Weights and biases of a conv or affine layer on `inputShape` (0 for the rest, whose few values do not matter). */
function weightCount(spec: LayerSpec, inputShape: readonly number[]): number {
  const size = inputShape.reduce((a, b) => a * b, 1)
  if (spec.kind === 'conv2d') return spec.filters * ((inputShape.length === 3 ? inputShape[0] : 1) * spec.size * spec.size + 1)
  if (spec.kind === 'affine') return spec.units * (size + 1)
  return 0
}

/** The layer a spec describes, sized for `inputShape`; a RangeError when it cannot take that input. */
export function createLayer(spec: LayerSpec, name: string, inputShape: readonly number[], random: Random, precision: Precision): Layer {
  const size = inputShape.reduce((a, b) => a * b, 1)
  const channels = (): number => {
    if (inputShape.length !== 3) throw new RangeError(`expects a [channels, height, width] map, gets [${inputShape.join(', ')}]`)
    return inputShape[0]
  }
  switch (spec.kind) {
    case 'conv2d':
      return new Conv2D(name, channels(), spec.filters, spec.size, spec.size, spec.stride, spec.pad, precision)
    case 'maxpool':
      return new MaxPool2D(name, spec.size, spec.stride, spec.pad)
    case 'avgpool':
      return new AvgPool2D(name, spec.size, spec.stride, spec.pad)
    case 'affine':
      return new Affine(name, size, spec.units, precision)
    case 'relu':
      return new Relu(name)
    case 'sigmoid':
      return new Sigmoid(name)
    case 'tanh':
      return new Tanh(name)
    case 'dropout':
      return new Dropout(name, spec.ratio, spec.mode, random)
    case 'batchnorm':
      return spec.mode === 'channel' ? new ChannelBatchNorm(name, channels(), precision) : new BatchNorm(name, size, precision)
    case 'groupnorm':
      return new GroupNorm(name, channels(), spec.groups, precision)
    case 'instancenorm':
      return new InstanceNorm(name, channels(), precision)
    case 'layernorm':
      return new LayerNorm(name, size, precision)
    case 'flatten':
      return new Flatten(name)
  }
}

function initialize(layer: Layer, spec: LayerSpec, network: LayerListSpec, random: Random): void {
  if (!(layer instanceof Conv2D || layer instanceof Affine)) return
  const override = spec as { init?: InitKind; initStd?: number }
  const kind = override.init ?? network.init
  const fanIn = layer instanceof Conv2D ? layer.fanIn : layer.inputSize
  fillGaussian(layer.W.value, initStd(kind, fanIn, override.initStd ?? network.initStd), random)
}
