/*
 * Asynchronous successive halving (ASHA; Li et al. 2018, "A System for Massively Parallel Hyperparameter
 * Tuning"): rungs at minIterations · eta^k iterations, below the run's own length. A trial that reaches a
 * rung is judged at once against every trial that reached that rung before it: it goes on if it ranks
 * within the best ⌈n/eta⌉ of those n (itself included), else it stops there. Nobody waits for a rung to
 * fill, so workers never idle; the price is that early arrivals, judged against few, go on more easily
 * (the paper's asynchronous promotion has the same bias). Without a validation split the metric is test
 * accuracy; with one (run-config `validation`) it is validation accuracy, which keeps the test set honest.
 *
 * Pure bookkeeping: no timers, no runs. The scheduler reports, this decides.
 */

export type Decision = 'continue' | 'stop'

/** The iterations at which a run of `iterations` is judged: minIterations · eta^k < iterations. */
export function rungsFor(iterations: number, minIterations: number, eta: number): number[] {
  const rungs: number[] = []
  for (let r = minIterations; r < iterations; r *= eta) rungs.push(r)
  return rungs
}

export interface RungRecord {
  trial: number
  metric: number
}

export class Asha {
  /** Per rung index, the trials that reached it, in arrival order. */
  private readonly rungs: RungRecord[][] = []

  constructor(
    readonly minIterations: number,
    readonly eta: number
  ) {
    if (!Number.isInteger(minIterations) || minIterations < 1) throw new RangeError('minIterations must be a whole number ≥ 1')
    if (!Number.isInteger(eta) || eta < 2) throw new RangeError('eta must be a whole number ≥ 2')
  }

  /** The rung index of iteration `iter` in a run of `iterations`, or null when `iter` is not a rung. */
  rungAt(iter: number, iterations: number): number | null {
    const k = rungsFor(iterations, this.minIterations, this.eta).indexOf(iter)
    return k < 0 ? null : k
  }

  /**
   * Records that `trial` reached rung `rung` with `metric` (higher is better) and decides: within the
   * best ⌈n/eta⌉ of the n at this rung → continue, else stop. Ties go to the earlier arrival. A metric that
   * is not a number (a diverged run) always stops.
   */
  report(trial: number, rung: number, metric: number): Decision {
    const records = this.recordsAt(rung)
    records.push({ trial, metric })
    if (!Number.isFinite(metric)) return 'stop'
    const better = records.filter((r) => r.trial !== trial && Number.isFinite(r.metric) && r.metric > metric).length
    const ties = records.slice(0, -1).filter((r) => r.metric === metric).length
    return better + ties < Math.ceil(records.length / this.eta) ? 'continue' : 'stop'
  }

  /** Puts back what a finished trial reported (a resumed sweep), without deciding anything. */
  restore(trial: number, rung: number, metric: number): void {
    this.recordsAt(rung).push({ trial, metric })
  }

  /** What reached rung `rung`, in arrival order. */
  recorded(rung: number): readonly RungRecord[] {
    return this.rungs[rung] ?? []
  }

  private recordsAt(rung: number): RungRecord[] {
    while (this.rungs.length <= rung) this.rungs.push([])
    return this.rungs[rung]
  }
}
