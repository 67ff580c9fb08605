import type { Split } from '../data/image-set'
import { imageSize } from '../data/image-set'
import type { InferenceCopy } from '../explain/inference-copy'

/** One row of `dimensions` values per image, and the network's answer for each. */
export interface Activations {
  rows: Float64Array
  count: number
  dimensions: number
  labels: Uint8Array
  predicted: Int32Array
}

/** Images through the network per forward pass: the layer outputs of a batch stay small. */
const BATCH = 100

/**
 * Layer `layer`'s output, flattened, for the first `count` images of `split`, in inference mode on the
 * copy (dropout off, batch norm's running statistics), so the source network and its generator are
 * untouched. `progress` hears after each batch.
 */
export function layerActivations(
  copy: InferenceCopy,
  split: Split,
  count: number,
  layer: number,
  progress?: (done: number, total: number) => void
): Activations {
  const size = imageSize(split)
  const classes = copy.classCount
  let rows = new Float64Array(0)
  let dimensions = 0
  const predicted = new Int32Array(count)
  const pixels = new Float64Array(BATCH * size)
  for (let start = 0; start < count; start += BATCH) {
    const batch = Math.min(BATCH, count - start)
    const bytes = split.images.subarray(start * size, (start + batch) * size)
    for (let k = 0; k < bytes.length; k++) pixels[k] = bytes[k] / 255
    const scores = copy.forward(pixels.subarray(0, batch * size), batch)
    const out = copy.output(layer)
    if (start === 0) {
      dimensions = out.data.length / batch
      rows = new Float64Array(count * dimensions)
    }
    rows.set(out.data.subarray(0, batch * dimensions), start * dimensions)
    for (let i = 0; i < batch; i++) {
      let best = 0
      for (let j = 1; j < classes; j++) if (scores.data[i * classes + j] > scores.data[i * classes + best]) best = j
      predicted[start + i] = best
    }
    progress?.(start + batch, count)
  }
  return { rows, count, dimensions, labels: split.labels.slice(0, count), predicted }
}
