import { portableExp } from '../core/portable-math'

/**
 * What an attribution explains: one class's score before softmax (the default: it is linear in the last
 * layer's activations and does not depend on the other classes' scores), or its softmax probability.
 */
export type ClassOutput = 'score' | 'probability'

export function softmax(scores: ArrayLike<number>, offset = 0, classes = scores.length): number[] {
  let max = -Infinity
  for (let j = 0; j < classes; j++) max = Math.max(max, scores[offset + j])
  const exps = Array.from({ length: classes }, (_, j) => portableExp(scores[offset + j] - max))
  const sum = exps.reduce((a, b) => a + b, 0)
  return exps.map((e) => e / sum)
}

/** The explained output of row `row` of a batch of class scores. */
export function classOutputValue(scores: ArrayLike<number>, row: number, classes: number, target: number, output: ClassOutput): number {
  return output === 'score' ? scores[row * classes + target] : softmax(scores, row * classes, classes)[target]
}

/**
 * ∂(explained output)/∂scores for every row: one-hot at the class for a score; for a probability
 * p_c = softmax(s)_c it is p_c·(δ_cj − p_j).
 */
export function classOutputGradient(scores: ArrayLike<number>, rows: number, classes: number, target: number, output: ClassOutput): Float64Array {
  const grad = new Float64Array(rows * classes)
  for (let i = 0; i < rows; i++) {
    if (output === 'score') {
      grad[i * classes + target] = 1
      continue
    }
    const p = softmax(scores, i * classes, classes)
    for (let j = 0; j < classes; j++) grad[i * classes + j] = p[target] * ((j === target ? 1 : 0) - p[j])
  }
  return grad
}

/** Index of the largest score of row `row`. */
export function argmax(scores: ArrayLike<number>, row = 0, classes = scores.length): number {
  let best = 0
  for (let j = 1; j < classes; j++) if (scores[row * classes + j] > scores[row * classes + best]) best = j
  return best
}
