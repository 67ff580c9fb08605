import { Random } from '../core/random'
import type { Validation } from '../config/schedule'
import { imageSize, type Split } from './image-set'

/**
 * Sets images of the training split aside for validation. The draw has its own generator (from the run's
 * seed, mixed with a constant), so the run's own stream — initial weights, batches, dropout — starts as
 * it would without a split. Both parts keep the images' original order; nothing is shared between them.
 */
const VALIDATION_STREAM = 0x76616c69 // "vali"

/** How many images a validation setting takes from `trainCount`. */
export function validationCount(validation: Validation, trainCount: number): number {
  return validation.count ?? Math.round((validation.fraction ?? 0) * trainCount)
}

/** The images chosen for validation, ascending: a partial Fisher–Yates shuffle of 0…n−1 with the split's seed. */
export function validationIndices(trainCount: number, take: number, seed: number): Int32Array {
  const random = new Random((seed ^ VALIDATION_STREAM) >>> 0)
  const order = Int32Array.from({ length: trainCount }, (_, i) => i)
  for (let i = 0; i < take; i++) {
    const j = i + random.int(trainCount - i)
    const swap = order[i]
    order[i] = order[j]
    order[j] = swap
  }
  return order.slice(0, take).sort()
}

export interface HeldOut {
  train: Split
  validation: Split
}

/** Splits `split` into the images trained on and the validation images (copies: the parts are disjoint). */
export function holdOut(split: Split, validation: Validation, seed: number): HeldOut {
  const chosen = validationIndices(split.count, validationCount(validation, split.count), seed)
  const isChosen = new Uint8Array(split.count)
  for (const i of chosen) isChosen[i] = 1
  const rest = Int32Array.from({ length: split.count - chosen.length })
  let r = 0
  for (let i = 0; i < split.count; i++) if (!isChosen[i]) rest[r++] = i
  return { train: pick(split, rest), validation: pick(split, chosen) }
}

function pick(split: Split, indices: Int32Array): Split {
  const pixels = imageSize(split)
  const images = new Uint8Array(indices.length * pixels)
  const labels = new Uint8Array(indices.length)
  indices.forEach((from, to) => {
    images.set(split.images.subarray(from * pixels, (from + 1) * pixels), to * pixels)
    labels[to] = split.labels[from]
  })
  return { ...split, count: indices.length, images, labels }
}
