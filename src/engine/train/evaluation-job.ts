import type { Tensor } from '../core/tensor'
import type { Split } from '../data/image-set'
import type { LayerStats } from '../protocol/messages'

/** What one evaluation iteration reports, apart from the iteration's own number and loss. */
export interface EvaluationResult {
  trainAcc: number
  testAcc: number
  /** On the images set aside from training (config.validation), and how many when cut to evalSubset. */
  valAcc?: number
  valImages?: number
  layers: LayerStats[]
  /** How many images each accuracy used when an intermediate evaluation was cut to config.evalSubset. */
  subset?: { train: number; test: number }
  /** The test predictions as classes × classes counts, row = true class, column = predicted (row-major). */
  confusion: number[]
}

/** Forwards `count` (at most one batch) images of a split from `start` in inference mode; returns how many were right. */
export type ChunkCounter = (split: Split, start: number, count: number, confusion: number[] | null) => number

export type EvaluationRole = 'train' | 'validation' | 'test'

/** One split an evaluation counts, on its first `count` images. The test part's predictions also fill the confusion counts. */
export interface EvaluationPart {
  role: EvaluationRole
  split: Split
  count: number
}

/** Accuracy per counted split. */
export type Accuracies = Partial<Record<EvaluationRole, number>>

/**
 * One iteration's evaluation, done a chunk (one batch of images) at a time so that a caller can report
 * progress and answer messages between chunks; nothing may change the weights until it is finished. The
 * chunks are those a one-piece evaluation uses, in the same order, and an accuracy is a count: the result
 * does not depend on how the work was cut.
 */
export class EvaluationJob {
  private readonly correct: number[]
  private readonly confusion: number[]
  private part = 0
  private position = 0
  private evaluated = 0
  private result: EvaluationResult | null = null
  /** Images to evaluate, all parts together. */
  readonly total: number

  constructor(
    private readonly countChunk: ChunkCounter,
    private readonly chunk: number,
    private readonly parts: readonly EvaluationPart[],
    classes: number,
    /** Turns the accuracies and the confusion counts into the iteration's result (called once). */
    private readonly complete: (accuracies: Accuracies, confusion: number[]) => EvaluationResult
  ) {
    this.correct = parts.map(() => 0)
    this.confusion = new Array<number>(classes * classes).fill(0)
    this.total = parts.reduce((sum, p) => sum + p.count, 0)
  }

  /** Images evaluated so far. */
  get done(): number {
    return this.evaluated
  }

  get finished(): boolean {
    return this.part >= this.parts.length
  }

  /** Evaluates the next chunk (at most one batch of images); does nothing once finished. */
  advance(): void {
    if (this.finished) return
    const part = this.parts[this.part]
    const count = Math.min(this.chunk, part.count - this.position)
    if (count > 0) this.correct[this.part] += this.countChunk(part.split, this.position, count, part.role === 'test' ? this.confusion : null)
    this.position += count
    this.evaluated += count
    if (this.position >= part.count) {
      this.part++
      this.position = 0
    }
  }

  /** Runs whatever is left; the result, the same on every call. */
  finish(): EvaluationResult {
    while (!this.finished) this.advance()
    if (!this.result) {
      const accuracies: Accuracies = {}
      this.parts.forEach((p, i) => (accuracies[p.role] = this.correct[i] / p.count))
      this.result = this.complete(accuracies, this.confusion)
    }
    return this.result
  }
}

/**
 * Adds the first `rows` predictions to `confusion` (classes × classes, row = true class) and returns how
 * many were right: the predicted class is the first highest score, as countCorrect picks it.
 */
export function tallyConfusion(scores: Tensor, labels: Uint8Array, rows: number, confusion: number[]): number {
  const classes = scores.cols
  let correct = 0
  for (let i = 0; i < rows; i++) {
    let best = 0
    for (let j = 1; j < classes; j++) if (scores.data[i * classes + j] > scores.data[i * classes + best]) best = j
    confusion[labels[i] * classes + best]++
    if (best === labels[i]) correct++
  }
  return correct
}
