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
import { parameterLimitProblem } from './parameter-limit'
import { classScoresProblem, fitClassCount, NAME_STEM, weightCount } from './layer-shapes'
import { Network } from './network'

// The naming, class fitting and checks from shapes alone are shared with the pure planning (layer-shapes.ts).
export { classScoresProblem, fitClassCount, NAME_STEM }

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

function fail(field: string, message: string): never {
  const problems: FieldProblem[] = [{ field, message }]
  throw new EngineError('INVALID_CONFIG', describeProblems(problems), { problems })
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
