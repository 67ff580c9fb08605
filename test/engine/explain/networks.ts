import type { NetworkSpec } from '../../../src/engine/config/run-config'
import { Random } from '../../../src/engine/core/random'
import { Tensor } from '../../../src/engine/core/tensor'
import { BatchNorm } from '../../../src/engine/layers/batch-norm'
import { ChannelBatchNorm } from '../../../src/engine/layers/channel-batch-norm'
import { buildNetwork } from '../../../src/engine/model/build'
import type { Network } from '../../../src/engine/model/network'

/** A float64 MLP on 2×4×4 images: batch norm, tanh, the course's dropout, 5 classes. */
export const MLP_SPEC: NetworkSpec = {
  kind: 'mlp',
  hidden: [12, 8],
  activation: 'tanh',
  init: 'xavier',
  initStd: 0.01,
  normalization: 'batchnorm',
  dropout: { ratio: 0.3, mode: 'course' }
}

/** A float64 conv net on 2×6×6 images: conv, channel and course batch norm, ReLU, max and average pooling, dropout, 5 classes. */
export const CONV_SPEC: NetworkSpec = {
  kind: 'layers',
  init: 'he',
  initStd: 0.01,
  layers: [
    { kind: 'conv2d', filters: 4, size: 3, pad: 1, stride: 1 },
    { kind: 'batchnorm', mode: 'channel' },
    { kind: 'relu' },
    { kind: 'maxpool', size: 2, stride: 2, pad: 0 },
    { kind: 'conv2d', filters: 3, size: 2, pad: 0, stride: 1 },
    { kind: 'batchnorm', mode: 'course' },
    { kind: 'tanh' },
    { kind: 'avgpool', size: 2, stride: 1, pad: 0 },
    { kind: 'affine', units: 7 },
    { kind: 'relu' },
    { kind: 'dropout', ratio: 0.5, mode: 'course' },
    { kind: 'affine', units: 5 }
  ]
}

export const IMAGE: readonly [number, number, number] = [2, 6, 6]
export const MLP_IMAGE: readonly [number, number, number] = [2, 4, 4]

/** The network with random weights and batch norms whose running statistics are far from the identity. */
export function randomNetwork(spec: NetworkSpec, shape: readonly [number, number, number], seed: number): Network {
  const random = new Random(seed)
  const inputShape = spec.kind === 'mlp' ? [shape[0] * shape[1] * shape[2]] : [...shape]
  const network = buildNetwork(spec, inputShape, random, 'float64', 5)
  for (const layer of network.layers) {
    if (!(layer instanceof BatchNorm || layer instanceof ChannelBatchNorm)) continue
    layer.runningMean.forEach((_, i) => (layer.runningMean[i] = 0.3 * random.normal()))
    layer.runningVar.forEach((_, i) => (layer.runningVar[i] = 0.3 + random.uniform()))
    layer.gamma.value.forEach((_, i) => (layer.gamma.value[i] = 1 + 0.3 * random.normal()))
    layer.beta.value.forEach((_, i) => (layer.beta.value[i] = 0.3 * random.normal()))
  }
  return network
}

export function randomImage(shape: readonly [number, number, number], seed: number): Float64Array {
  const random = new Random(seed)
  return Float64Array.from({ length: shape[0] * shape[1] * shape[2] }, () => random.uniform())
}

/** The source network's own test-mode class scores for one image: the oracle the copy is checked against. */
export function scoresOf(network: Network, image: Float64Array): Float64Array {
  const x = Tensor.zeros([1, ...network.inputShape], 'float64')
  x.data.set(image)
  return Float64Array.from(network.predict(x, 'test').data)
}
