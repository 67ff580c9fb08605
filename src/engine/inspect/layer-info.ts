import type { LayerKind } from '../config/run-config'
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
import type { Network } from '../model/network'
import type { LayerInfo } from '../protocol/messages'

/** Layer classes and the layer-list kind each one is written as; InstanceNorm before the GroupNorm it extends. */
const KINDS: Array<[abstract new (...args: never[]) => Layer, LayerKind]> = [
  [Conv2D, 'conv2d'],
  [MaxPool2D, 'maxpool'],
  [AvgPool2D, 'avgpool'],
  [Affine, 'affine'],
  [Relu, 'relu'],
  [Sigmoid, 'sigmoid'],
  [Tanh, 'tanh'],
  [Dropout, 'dropout'],
  [BatchNorm, 'batchnorm'],
  [ChannelBatchNorm, 'batchnorm'],
  [InstanceNorm, 'instancenorm'],
  [GroupNorm, 'groupnorm'],
  [LayerNorm, 'layernorm'],
  [Flatten, 'flatten']
]

export function layerKind(layer: Layer): string {
  return KINDS.find(([type]) => layer instanceof type)?.[1] ?? 'layer'
}

/** Every layer of a network with its kind, one sample's output shape and its parameter count. */
export function describeLayers(network: Network): LayerInfo[] {
  let shape: readonly number[] = network.inputShape
  return network.layers.map((layer) => {
    shape = layer.outputShape(shape)
    return { name: layer.name, kind: layerKind(layer), outputShape: [...shape], params: layer.params.reduce((n, p) => n + p.value.length, 0) }
  })
}
