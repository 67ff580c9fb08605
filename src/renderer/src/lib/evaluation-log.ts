import type { Evaluation } from '@engine/protocol'

/**
 * A run's evaluations (accuracies and per-layer statistics) in bounded memory.
 *
 * Up to `capacity` evaluations are kept exactly. Beyond that the log keeps every 2nd, then every 4th, …
 * evaluation, so the kept ones stay evenly spaced over the whole run (the first one included), and the
 * latest evaluation is always kept as well: it is what the readout and the histograms show.
 */
export const DEFAULT_EVALUATION_CAPACITY = 1000

export class EvaluationLog {
  private kept: { n: number; evaluation: Evaluation }[] = []
  private latest: { n: number; evaluation: Evaluation } | null = null
  private received = 0
  private stride = 1

  constructor(readonly capacity = DEFAULT_EVALUATION_CAPACITY) {}

  /** Rebuilds a log from stored evaluations (already thinned; they are taken as evenly spaced). */
  static from(evaluations: readonly Evaluation[], capacity = DEFAULT_EVALUATION_CAPACITY): EvaluationLog {
    const log = new EvaluationLog(capacity)
    for (const e of evaluations) log.push(e)
    return log
  }

  get count(): number {
    return this.received
  }

  push(evaluation: Evaluation): void {
    const n = this.received++
    this.latest = { n, evaluation }
    if (n % this.stride !== 0) return
    this.kept.push({ n, evaluation })
    while (this.kept.length > this.capacity) {
      this.stride *= 2
      this.kept = this.kept.filter((k) => k.n % this.stride === 0)
    }
  }

  /** The kept evaluations in order, ending with the latest one. */
  items(): Evaluation[] {
    const out = this.kept.map((k) => k.evaluation)
    if (this.latest && this.kept.at(-1)?.n !== this.latest.n) out.push(this.latest.evaluation)
    return out
  }

  last(): Evaluation | null {
    return this.latest?.evaluation ?? null
  }
}
