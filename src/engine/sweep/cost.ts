import type { NetworkSpec, RunConfig } from '../config/run-config'
import { planLayers } from '../model/layer-plan'

/** What one network costs: trainable values and multiply-adds to classify one image. */
export interface NetworkCost {
  params: number
  /** Multiply-adds per image of a forward pass: convolutions and affine layers (the rest are counted as free). */
  macs: number
}

/**
 * The cost of the network a run would build for images of `imageShape` ([C, H, W]) and `classCount`
 * classes. A layer list is planned by the layer editor's own plan (layer-plan.ts), which builds each layer
 * as a run does; the course's MLP is counted here: per affine layer in·out weights and out biases, and γ,
 * β per unit of its normalisation. Null when the network does not fit the images.
 */
export function networkCost(network: NetworkSpec, imageShape: readonly number[], classCount: number): NetworkCost | null {
  if (network.kind === 'layers') {
    const plan = planLayers(network.layers, imageShape, classCount)
    return plan.ok ? { params: plan.params, macs: plan.macs } : null
  }
  const sizes = [imageShape.reduce((a, b) => a * b, 1), ...network.hidden, classCount]
  let params = 0
  let macs = 0
  for (let i = 1; i < sizes.length; i++) {
    macs += sizes[i - 1] * sizes[i]
    params += sizes[i - 1] * sizes[i] + sizes[i]
    if (i < sizes.length - 1 && network.normalization !== 'none') params += 2 * sizes[i]
  }
  return { params, macs }
}

/** A run's cost on data of `imageShape`: its images are resized to config.inputSize first when it sets one. */
export function runCost(config: Pick<RunConfig, 'network' | 'inputSize'>, imageShape: readonly number[], classCount: number): NetworkCost | null {
  const shape = config.inputSize === undefined ? imageShape : [imageShape[0], config.inputSize, config.inputSize]
  return networkCost(config.network, shape, classCount)
}
