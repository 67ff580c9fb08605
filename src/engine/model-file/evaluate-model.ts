/**
 * A network on a whole test split: accuracy, the confusion matrix and every misclassified image, in
 * chunks so a host can report progress and cancel between them. And one drawn digit's class scores.
 */
import { portableExp } from '../core/portable-math'
import { Tensor } from '../core/tensor'
import { gatherRange } from '../data/batch'
import { imageSize, type Split } from '../data/image-set'
import type { Network } from '../model/network'

export interface Misclassified {
  index: number
  label: number
  predicted: number
  /** The model's softmax probability for its (wrong) guess. */
  confidence: number
  /** The image's bytes, for the first MAX_MISCLASSIFIED_IMAGES misclassified images. */
  pixels?: number[]
}

/** How many misclassified images travel with their pixels (a gallery's worth; C·H·W bytes each, 784 for a digit). */
export const MAX_MISCLASSIFIED_IMAGES = 120

export interface ModelEvaluation {
  testAcc: number
  n: number
  /** confusion[true label][predicted label] */
  confusion: number[][]
  misclassified: Misclassified[]
}

export interface EvaluationHooks {
  progress(done: number, total: number): void
  cancelled(): boolean
  /** Gives the host's event loop a turn between chunks. */
  pause(): Promise<void>
}

const CHUNK = 200

/** Resolves to null when cancelled. */
export async function evaluateNetwork(network: Network, split: Split, hooks: EvaluationHooks): Promise<ModelEvaluation | null> {
  const total = split.count
  const classCount = network.classCount
  const confusion = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0))
  const misclassified: Misclassified[] = []
  const x = Tensor.zeros([CHUNK, ...network.inputShape], network.precision)
  const labels = new Uint8Array(CHUNK)
  let correct = 0
  for (let start = 0; start < total; start += CHUNK) {
    if (hooks.cancelled()) return null
    // The last chunk keeps stale rows past the split's end, which are not counted (one batch shape throughout).
    gatherRange(split, start, x, labels)
    const rows = Math.min(CHUNK, total - start)
    const scores = network.infer(x)
    for (let i = 0; i < rows; i++) {
      const { best, probability } = bestClass(scores.data, i * classCount, classCount)
      const label = labels[i]
      confusion[label][best]++
      if (best === label) correct++
      else {
        const index = start + i
        const size = imageSize(split)
        const pixels = misclassified.length < MAX_MISCLASSIFIED_IMAGES ? Array.from(split.images.subarray(index * size, (index + 1) * size)) : undefined
        misclassified.push({ index, label, predicted: best, confidence: probability, ...(pixels ? { pixels } : {}) })
      }
    }
    hooks.progress(start + rows, total)
    await hooks.pause()
  }
  return { testAcc: total > 0 ? correct / total : 0, n: total, confusion, misclassified }
}

/** One image (row-major pixels in [0, 1]) → the class scores and their softmax. */
export function predictPixels(network: Network, pixels: readonly number[]): { scores: number[]; probabilities: number[] } {
  const x = Tensor.zeros([1, ...network.inputShape], network.precision)
  x.data.set(pixels)
  const scores = Array.from(network.infer(x).data)
  return { scores, probabilities: softmax(scores) }
}

function bestClass(scores: ArrayLike<number>, offset: number, classCount: number): { best: number; probability: number } {
  let best = 0
  for (let j = 1; j < classCount; j++) if (scores[offset + j] > scores[offset + best]) best = j
  let sum = 0
  for (let j = 0; j < classCount; j++) sum += portableExp(scores[offset + j] - scores[offset + best])
  return { best, probability: 1 / sum }
}

function softmax(scores: number[]): number[] {
  const max = Math.max(...scores)
  const exps = scores.map((s) => portableExp(s - max))
  const sum = exps.reduce((a, b) => a + b, 0)
  return exps.map((e) => e / sum)
}
