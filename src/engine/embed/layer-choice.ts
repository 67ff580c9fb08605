import { Affine } from '../layers/affine'
import { Dropout } from '../layers/dropout'
import { Flatten } from '../layers/flatten'
import type { Network } from '../model/network'
import { EngineError } from '../protocol/error-codes'

/**
 * Which layer's output an embedding shows: a named one, or by default the last hidden layer before the
 * class scores (the input of the last affine layer). Dropout and flatten only pass values on at test
 * time, so the default steps back over them to the layer that made the values.
 */
export function embedLayerIndex(network: Network, name?: string): number {
  const layers = network.layers
  if (name !== undefined) {
    const index = layers.findIndex((layer) => layer.name === name)
    if (index < 0) throw new EngineError('INVALID_REQUEST', `the network has no layer "${name}" (it has ${layers.map((l) => l.name).join(', ')})`)
    return index
  }
  let scores = layers.length - 1
  while (scores > 0 && !(layers[scores] instanceof Affine)) scores--
  let index = scores - 1
  while (index > 0 && (layers[index] instanceof Dropout || layers[index] instanceof Flatten)) index--
  // A single affine layer (logistic regression): its class scores are all there is to show.
  return index < 0 ? scores : index
}
