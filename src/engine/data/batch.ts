import type { Random } from '../core/random'
import { isFloat32 } from '../core/dtype'
import { Tensor } from '../core/tensor'
import { activeF32Kernels, forgetPixelTerms } from '../kernels/gemm'
import { imageSize, type Split } from './image-set'

/** byte → byte / 255, looked up instead of divided: the same values, several times faster per pixel. */
const PIXEL_VALUE = Float64Array.from({ length: 256 }, (_, v) => v / 255)

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
  const pixels = imageSize(split)
  const { images } = split
  const out = x.data
  for (let i = 0; i < indices.length; i++) labels[i] = split.labels[indices[i]]
  // float32: on the kernels (the same values, several times faster, with the non-zero pixels listed).
  if (isFloat32(out) && activeF32Kernels()?.gatherPixels(images, indices, pixels, out)) return
  forgetPixelTerms(out)
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i] * pixels
    const to = i * pixels
    for (let p = 0; p < pixels; p++) out[to + p] = PIXEL_VALUE[images[from + p]]
  }
}

/** Copies a contiguous range [start, start + x.rows) of images, for evaluation in chunks. */
export function gatherRange(split: Split, start: number, x: Tensor, labels: Uint8Array): void {
  const pixels = imageSize(split)
  const n = x.rows
  const out = x.data
  labels.set(split.labels.subarray(start, start + n))
  const source = split.images.subarray(start * pixels, (start + n) * pixels)
  if (isFloat32(out) && source.length === out.length && activeF32Kernels()?.gatherPixelRange(split.images, start, n, pixels, out)) return
  forgetPixelTerms(out)
  for (let k = 0; k < source.length; k++) out[k] = PIXEL_VALUE[source[k]]
}
