import type { ClassOutput } from './class-output'
import type { InferenceCopy } from './inference-copy'
import { classOutputs } from './input-gradients'

export interface OcclusionOptions {
  /** Side of the square patch, in pixels. */
  patch: number
  stride: number
  /** The value the patch puts on every channel: 0 is black. */
  baseline: number
}

/** A patch of about a seventh of the image's shorter side (4 pixels on MNIST), moved by half a patch. */
export function occlusionDefaults(height: number, width: number): OcclusionOptions {
  const patch = Math.max(1, Math.round(Math.min(height, width) / 7))
  return { patch, stride: Math.max(1, Math.round(patch / 2)), baseline: 0 }
}

/** Batches of occluded images made at a time: bounded memory on large colour images. */
const BATCH = 64

/**
 * Occlusion (Zeiler & Fergus 2014): the drop f(x) − f(x with a patch set to the baseline) for a patch
 * slid over the image; each pixel gets the mean drop of the patches that cover it. Positions run every
 * `stride` pixels, plus the last one flush with the edge, so every pixel is covered.
 */
export function occlusion(
  copy: InferenceCopy,
  image: Float64Array,
  shape: readonly [number, number, number],
  target: number,
  output: ClassOutput,
  options: OcclusionOptions
): Float64Array {
  const [channels, height, width] = shape
  const { patch, stride, baseline } = options
  const ys = positions(height, patch, stride)
  const xs = positions(width, patch, stride)
  const windows = ys.flatMap((y) => xs.map((x) => ({ y, x })))
  const original = classOutputs(copy, image, 1, target, output)[0]
  const size = image.length
  const sum = new Float64Array(height * width)
  const count = new Float64Array(height * width)
  for (let start = 0; start < windows.length; start += BATCH) {
    const batch = windows.slice(start, start + BATCH)
    const images = new Float64Array(batch.length * size)
    batch.forEach(({ y, x }, b) => {
      images.set(image, b * size)
      for (let c = 0; c < channels; c++) {
        for (let dy = 0; dy < patch; dy++)
          images.fill(baseline, b * size + (c * height + y + dy) * width + x, b * size + (c * height + y + dy) * width + x + patch)
      }
    })
    const occluded = classOutputs(copy, images, batch.length, target, output)
    batch.forEach(({ y, x }, b) => {
      const drop = original - occluded[b]
      for (let dy = 0; dy < patch; dy++) {
        for (let dx = 0; dx < patch; dx++) {
          sum[(y + dy) * width + x + dx] += drop
          count[(y + dy) * width + x + dx]++
        }
      }
    })
  }
  return sum.map((s, p) => s / count[p])
}

function positions(size: number, patch: number, stride: number): number[] {
  const result: number[] = []
  for (let p = 0; p + patch <= size; p += stride) result.push(p)
  if (result.at(-1) !== size - patch) result.push(size - patch)
  return result
}
