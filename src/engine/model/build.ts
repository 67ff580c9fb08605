import type { Precision } from '../core/dtype'
import type { Random } from '../core/random'
import type { NetworkSpec } from '../config/run-config'
import { Affine } from '../layers/affine'
import { Conv2D } from '../layers/conv2d'
import { Network } from './network'
import { createLayer, initializeWeights } from './build-layers'
import { DIGIT_CLASSES } from '../data/image-set'
import { networkLayers, walkLayers } from './layer-shapes'

/**
 * Builds the network a spec describes for inputs of `inputShape` (one sample) and `classCount` classes, on
 * the walk the shape planning takes (layer-shapes.ts): every layer is checked against the shape the one
 * before gives, and a mismatch is an INVALID_CONFIG naming the layer, raised before any weight is drawn.
 * Weights are then drawn from `random` in layer order; dropout masks later draw from the same generator,
 * so one seed fixes the whole run.
 */
export function buildNetwork(
  spec: NetworkSpec,
  inputShape: readonly number[],
  random: Random,
  precision: Precision,
  classCount: number = DIGIT_CLASSES.length
): Network {
  const specs = networkLayers(spec, inputShape, classCount)
  const make = (layerSpec: (typeof specs)[number], name: string, shape: readonly number[]) => createLayer(layerSpec, name, shape, random, precision)
  const layers = walkLayers(specs, inputShape, classCount, make, (layer, shape) => layer.outputShape(shape))
  layers.forEach((layer, i) => initializeWeights(layer, specs[i], spec, random))
  // The first layer's gradient would be d/dpixels: never needed, and for a conv the costliest product.
  const first = layers[0]
  if (first instanceof Conv2D || first instanceof Affine) first.propagateInputGrad = false
  return new Network(layers, inputShape, precision)
}
