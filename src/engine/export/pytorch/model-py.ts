/**
 * model.py of an exported project: the lab's network as one nn.Module, layer by layer in the lab's order
 * and with the lab's names, so a model file's tensors (`conv1.W`, `batchnorm1.runningMean`, …) load by
 * name. Each layer becomes one line; the layers themselves are in lab_layers.py.
 */
import { Affine } from '../../layers/affine'
import { AvgPool2D } from '../../layers/avg-pool'
import { BatchNorm } from '../../layers/batch-norm'
import { ChannelBatchNorm } from '../../layers/channel-batch-norm'
import { Conv2D } from '../../layers/conv2d'
import { Dropout } from '../../layers/dropout'
import { Flatten } from '../../layers/flatten'
import { GroupNorm } from '../../layers/group-norm'
import { InstanceNorm } from '../../layers/instance-norm'
import type { Layer } from '../../layers/layer'
import { LayerNorm } from '../../layers/layer-norm'
import { MaxPool2D } from '../../layers/max-pool'
import { Relu } from '../../layers/relu'
import { Sigmoid } from '../../layers/sigmoid'
import { Tanh } from '../../layers/tanh'
import type { Network } from '../../model/network'
import { EngineError } from '../../protocol/error-codes'

/** The constructor call of one layer, or a refusal naming the layer when PyTorch cannot express it exactly. */
function moduleFor(layer: Layer): string {
  if (layer instanceof Affine) return `Affine(${layer.inputSize}, ${layer.outputSize})`
  if (layer instanceof Conv2D) {
    if (layer.fh !== layer.fw) throw refusal(layer, `its ${layer.fh}×${layer.fw} filters are not square`)
    return `Conv(${layer.inChannels}, ${layer.filters}, ${layer.fh}, stride=${layer.stride}, pad=${layer.pad})`
  }
  if (layer instanceof MaxPool2D) return `Pool("max", ${layer.size}, ${layer.stride}, pad=${layer.pad})`
  if (layer instanceof AvgPool2D) return `Pool("avg", ${layer.size}, ${layer.stride}, pad=${layer.pad})`
  if (layer instanceof Relu) return 'nn.ReLU()'
  if (layer instanceof Sigmoid) return 'nn.Sigmoid()'
  if (layer instanceof Tanh) return 'nn.Tanh()'
  if (layer instanceof Flatten) return 'nn.Flatten()'
  if (layer instanceof Dropout) return `Dropout(${layer.ratio}, "${layer.mode}", self.context)`
  if (layer instanceof BatchNorm || layer instanceof ChannelBatchNorm) {
    const { epsilon, momentum } = layer.options
    if (epsilon !== 1e-6) throw refusal(layer, `its ε ${epsilon} is not the course's 1e-6`)
    const features = layer instanceof BatchNorm ? layer.features : layer.channels
    return `BatchNorm(${features}, "${layer instanceof BatchNorm ? 'course' : 'channel'}", self.context, momentum=${momentum})`
  }
  if (layer instanceof GroupNorm) {
    if (layer.epsilon !== 1e-6) throw refusal(layer, `its ε ${layer.epsilon} is not 1e-6`)
    return `GroupNorm(${layer.channels}, ${layer.groups})${layer instanceof InstanceNorm ? '  # instance norm: one channel a group' : ''}`
  }
  if (layer instanceof LayerNorm) {
    if (layer.epsilon !== 1e-6) throw refusal(layer, `its ε ${layer.epsilon} is not 1e-6`)
    return `LayerNorm(${layer.features})`
  }
  throw refusal(layer, `PyTorch export does not know its kind (${layer.constructor.name})`)
}

function refusal(layer: Layer, why: string): EngineError {
  return new EngineError('INVALID_REQUEST', `cannot export layer "${layer.name}" to PyTorch exactly: ${why}`)
}

/** model.py for `network`; `description` says which run it is. */
export function modelPy(network: Network, description: string): string {
  const inputShape = [...network.inputShape]
  let shape: readonly number[] = inputShape
  const declarations: string[] = []
  for (const layer of network.layers) {
    const call = moduleFor(layer)
    shape = layer.outputShape(shape)
    const padding = ' '.repeat(Math.max(1, 62 - layer.name.length - call.length))
    declarations.push(`        self.${layer.name} = ${call}${call.includes('#') ? '' : `${padding}# -> [${shape.join(', ')}]`}`)
  }
  const classes = shape.reduce((a, b) => a * b, 1)
  return `"""
${description}, as a PyTorch module.

The layers run in the lab's order and carry the lab's names, so the parameters and running statistics
of a Gradient Lab model file load by name (model.load_state_dict): affine1.W is [inputs, outputs] as the
lab stores it, conv1.W is [filters, channels, height, width]. lab_layers.py says what each layer computes.
"""
import torch.nn as nn

from lab_layers import Affine, BatchContext, BatchNorm, Conv, Dropout, GroupNorm, LayerNorm, Pool  # noqa: F401

INPUT_SHAPE = [${inputShape.join(', ')}]  # one sample as the lab feeds it: ${inputShape.length === 3 ? '[channels, height, width], pixels = byte / 255' : 'the image flattened, pixels = byte / 255'}
CLASSES = ${classes}  # the last layer's scores, one per class (before softmax)


class LabNet(nn.Module):
    def __init__(self):
        super().__init__()
        # The lab's generator and this process's rows of the lab batch, for dropout and batch norm (train.py sets them).
        self.context = BatchContext()
${declarations.join('\n')}

    def forward(self, x):
${network.layers.map((layer) => `        x = self.${layer.name}(x)`).join('\n')}
        return x
`
}
