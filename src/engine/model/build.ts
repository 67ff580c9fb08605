import type { Random } from '../core/random'
import type { Activation, NetworkSpec } from '../config/run-config'
import { fillGaussian, initStd } from '../init'
import { Affine } from '../layers/affine'
import type { Layer } from '../layers/layer'
import { Relu } from '../layers/relu'
import { Sigmoid } from '../layers/sigmoid'
import { Tanh } from '../layers/tanh'
import { Network } from './network'
import { MNIST_CLASSES } from '../data/mnist'

/**
 * Builds the network a spec describes for inputs of `inputShape` (one sample), and initialises its weights
 * from `random` in layer order, biases at zero, as the course does.
 */
export function buildNetwork(spec: NetworkSpec, inputShape: readonly number[], random: Random): Network {
  const inputSize = inputShape.reduce((a, b) => a * b, 1)
  const sizes = [inputSize, ...spec.hidden, MNIST_CLASSES]
  const layers: Layer[] = []
  for (let i = 0; i + 1 < sizes.length; i++) {
    const affine = new Affine(`affine${i + 1}`, sizes[i], sizes[i + 1])
    fillGaussian(affine.W.value, initStd(spec.init, sizes[i], spec.initStd), random)
    if (i === 0) affine.propagateInputGrad = false
    layers.push(affine)
    if (i + 2 < sizes.length) layers.push(createActivation(spec.activation, `${spec.activation}${i + 1}`))
  }
  return new Network(layers, inputShape)
}

function createActivation(kind: Activation, name: string): Layer {
  switch (kind) {
    case 'relu':
      return new Relu(name)
    case 'sigmoid':
      return new Sigmoid(name)
    case 'tanh':
      return new Tanh(name)
  }
}
