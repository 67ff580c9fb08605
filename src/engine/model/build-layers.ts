import type { Precision } from '../core/dtype'
import type { Random } from '../core/random'
import type { InitKind, LayerSpec } from '../config/run-config'
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

/**
 * Draws a conv or affine layer's weights from `random` (He/Xavier fan_in = C·FH·FW for a conv, the input size
 * for an affine; the layer's own init, else the network's); biases stay at zero, other layers have no weights.
 */
export function initializeWeights(layer: Layer, spec: LayerSpec, network: { init: InitKind; initStd: number }, random: Random): void {
  if (!(layer instanceof Conv2D || layer instanceof Affine)) return
  const override = spec as { init?: InitKind; initStd?: number }
  const kind = override.init ?? network.init
  const fanIn = layer instanceof Conv2D ? layer.fanIn : layer.inputSize
  fillGaussian(layer.W.value, initStd(kind, fanIn, override.initStd ?? network.initStd), random)
}
