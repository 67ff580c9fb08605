import type { FloatArray } from '../core/dtype'
import { portableExp, portableLog } from '../core/portable-math'
import { Tensor, reuse } from '../core/tensor'

/** The course's log guard: log(y + 1e-7) keeps a zero probability from giving −∞. */
const LOG_EPSILON = 1e-7

/**
 * Softmax over each row of scores, then mean cross-entropy against integer labels. Backward returns
 * (softmax − onehot) / N, the gradient of the mean loss with respect to the scores.
 */
export class SoftmaxCrossEntropy {
  private probabilities: Tensor | undefined
  private labels: Uint8Array | undefined
  private dx: Tensor | undefined

  /** Returns the mean loss over the batch. `labels` holds class ids 0 … classes−1. */
  forward(scores: Tensor, labels: Uint8Array): number {
    const n = scores.rows
    const classes = scores.cols
    const p = (this.probabilities = reuse(this.probabilities, scores.shape, scores.precision))
    softmaxRows(scores.data, p.data, n, classes)
    this.labels = labels
    let loss = 0
    for (let i = 0; i < n; i++) loss -= portableLog(p.data[i * classes + labels[i]] + LOG_EPSILON)
    return loss / n
  }

  backward(): Tensor {
    const p = this.probabilities
    const labels = this.labels
    if (!p || !labels) throw new Error('SoftmaxCrossEntropy: backward before forward')
    const n = p.rows
    const classes = p.cols
    const dx = (this.dx = reuse(this.dx, p.shape, p.precision))
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < classes; j++) {
        const k = i * classes + j
        dx.data[k] = (p.data[k] - (labels[i] === j ? 1 : 0)) / n
      }
    }
    return dx
  }
}

/** Row-wise softmax with the row maximum subtracted first, so large scores do not overflow. */
export function softmaxRows(scores: FloatArray, out: FloatArray, n: number, classes: number): void {
  for (let i = 0; i < n; i++) {
    const row = i * classes
    let max = -Infinity
    for (let j = 0; j < classes; j++) if (scores[row + j] > max) max = scores[row + j]
    let sum = 0
    for (let j = 0; j < classes; j++) {
      const e = portableExp(scores[row + j] - max)
      out[row + j] = e
      sum += e
    }
    for (let j = 0; j < classes; j++) out[row + j] /= sum
  }
}
