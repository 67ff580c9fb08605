import type { Random } from '../core/random'
import { Tensor } from '../core/tensor'
import { kernelsOf } from '../kernels/backend'
import { imageSize, type Split } from './image-set'

/** The first `limit` images of a split, as views (no copy); the course slices its sets this way. */
export function firstImages(split: Split, limit: number | undefined): Split {
  if (limit === undefined || limit >= split.count) return split
  const pixels = imageSize(split)
  return { ...split, count: limit, images: split.images.subarray(0, limit * pixels), labels: split.labels.subarray(0, limit) }
}

/** Draws `indices.length` training indices uniformly with replacement, as the course's np.random.choice does. */
export function sampleWithReplacement(random: Random, count: number, indices: Int32Array): void {
  for (let i = 0; i < indices.length; i++) indices[i] = random.int(count)
}

/** Copies the chosen images into `x` as pixel / 255 floats, and their labels into `labels`. */
export function gatherBatch(split: Split, indices: ArrayLike<number>, x: Tensor, labels: Uint8Array): void {
  for (let i = 0; i < indices.length; i++) labels[i] = split.labels[indices[i]]
  kernelsOf(x.data).gatherPixels(split.images, indices, imageSize(split), x.data)
}

/** Copies a contiguous range [start, start + x.rows) of images, for evaluation in chunks. */
export function gatherRange(split: Split, start: number, x: Tensor, labels: Uint8Array): void {
  const n = x.rows
  labels.set(split.labels.subarray(start, start + n))
  kernelsOf(x.data).gatherPixelRange(split.images, start, n, imageSize(split), x.data)
}
