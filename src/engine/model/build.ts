import type { Precision } from '../core/dtype'
import type { Random } from '../core/random'
import type { Activation, MlpSpec, NetworkSpec } from '../config/run-config'
import { fillGaussian, initStd } from './weight-init'
import { Affine } from '../layers/affine'
import { BatchNorm } from '../layers/batch-norm'
import { Dropout } from '../layers/dropout'
import { LayerNorm } from '../layers/layer-norm'
import type { Layer } from '../layers/layer'
import { Relu } from '../layers/relu'
import { Sigmoid } from '../layers/sigmoid'
import { Tanh } from '../layers/tanh'
import { Network } from './network'
import { buildLayerNetwork } from './build-layers'
import { DIGIT_CLASSES } from '../data/image-set'
import { parameterLimitProblem } from './memory-budget'
import { EngineError } from '../protocol/error-codes'

/** Builds the network a spec describes for inputs of `inputShape` (one sample) and `classCount` classes. */
export function buildNetwork(
  spec: NetworkSpec,
  inputShape: readonly number[],
  random: Random,
  precision: Precision,
  classCount: number = DIGIT_CLASSES.length
): Network {
  return spec.kind === 'layers' ? buildLayerNetwork(spec, inputShape, random, precision, classCount) : buildMlp(spec, inputShape, classCount, random, precision)
}

/**
 * The course's MultiLayerNet: per hidden layer Affine → [norm] → activation → [dropout], then the output Affine.
 * Weights are drawn from `random` in layer order, biases start at zero; dropout masks later draw from the
 * same generator, so one seed fixes the whole run.
 */
function buildMlp(spec: MlpSpec, inputShape: readonly number[], classCount: number, random: Random, precision: Precision): Network {
  const inputSize = inputShape.reduce((a, b) => a * b, 1)
  const sizes = [inputSize, ...spec.hidden, classCount]
  const parameters = sizes.slice(1).reduce((sum, units, i) => sum + units * (sizes[i] + 1), 0)
  const tooMany = parameterLimitProblem(parameters)
  if (tooMany) {
    const problems = [{ field: 'network.hidden', message: tooMany }]
    throw new EngineError('INVALID_CONFIG', `network.hidden: ${tooMany}`, { problems })
  }
  const layers: Layer[] = []
  for (let i = 0; i + 1 < sizes.length; i++) {
    const depth = i + 1
    const affine = new Affine(`affine${depth}`, sizes[i], sizes[i + 1], precision)
    fillGaussian(affine.W.value, initStd(spec.init, sizes[i], spec.initStd), random)
    if (i === 0) affine.propagateInputGrad = false
    layers.push(affine)
    if (depth === sizes.length - 1) break
    if (spec.normalization === 'batchnorm') layers.push(new BatchNorm(`batchnorm${depth}`, sizes[depth], precision))
    if (spec.normalization === 'layernorm') layers.push(new LayerNorm(`layernorm${depth}`, sizes[depth], precision))
    layers.push(createActivation(spec.activation, `${spec.activation}${depth}`))
    if (spec.dropout.ratio > 0) layers.push(new Dropout(`dropout${depth}`, spec.dropout.ratio, spec.dropout.mode, random))
  }
  return new Network(layers, inputShape, precision)
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
