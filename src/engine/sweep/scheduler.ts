import type { Evaluation } from '../protocol/messages'
import { Asha, type Decision } from './asha'
import type { NetworkCost } from './cost'
import { metricOf, type TrialResult } from './results'
import type { HalvingSpec } from './sweep-file'
import type { Trial } from './trials'

/** How a trial's run ended, as the engine's `runFinished` says it. */
export interface TrialRun {
  status: string
  iter: number
  elapsedMs: number
  last: (Evaluation & { valAcc?: number | null }) | null
  message?: string
}

/**
 * One engine that runs trials one at a time: an in-process session in a CLI worker process, an engine
 * worker in the app. `run` trains the trial's config as an ordinary run and calls `onEvaluation` at each
 * evaluation; when that answers 'stop' the runner stops the run (it may train a few iterations more
 * before the stop arrives). `cancel` stops whatever it is running.
 */
export interface TrialRunner {
  run(trial: Trial, onEvaluation: (evaluation: Evaluation & { valAcc?: number | null }) => Decision): Promise<TrialRun>
  cancel(): void
}

export interface SweepOptions {
  trials: readonly Trial[]
  runners: readonly TrialRunner[]
  halving?: HalvingSpec | null
  /** Trials finished by an earlier, interrupted attempt (the state file): kept, not run again. */
  kept?: readonly TrialResult[]
  /** A trial's network's cost on the loaded data (cost.ts networkCost). */
  cost(trial: Trial): NetworkCost | null
  /** Called once per trial that ends (kept ones are not reported again); awaited before the next starts on that runner. */
  onTrialFinished?(result: TrialResult): void | Promise<void>
  /** Every evaluation of every trial, for a live view. */
  onEvaluation?(trial: Trial, evaluation: Evaluation): void
}

/**
 * Runs a sweep's trials on several runners at once, each taking the next trial when it is free, with
 * asynchronous successive halving when the sweep asks for it (asha.ts). A trial that diverges is a result
 * like any other; a trial whose run fails (a bug, a crash) is reported with status 'failed' and is not
 * kept by a resume. A runner that throws (bad settings for the data, a dead worker), or an
 * onTrialFinished that throws (the state could not be written), ends the sweep: the others are cancelled
 * and `run` rejects with that error.
 */
export class SweepScheduler {
  private cancelled = false
  private readonly asha: Asha | null

  constructor(private readonly options: SweepOptions) {
    const h = options.halving
    this.asha = h ? new Asha(h.minIterations, h.eta) : null
    for (const kept of options.kept ?? []) {
      const trial = options.trials.find((t) => t.trial === kept.trial)
      if (!trial || !this.asha) continue
      for (const rung of kept.rungs) {
        const k = this.asha.rungAt(rung.iter, trial.config.iterations)
        if (k !== null) this.asha.restore(kept.trial, k, rung.metric)
      }
    }
  }

  /** All results, kept and new, by trial number. */
  async run(): Promise<TrialResult[]> {
    const done = new Set((this.options.kept ?? []).map((r) => r.trial))
    const queue = this.options.trials.filter((t) => !done.has(t.trial))
    const results: TrialResult[] = [...(this.options.kept ?? [])]
    let failure: unknown = null
    const work = async (runner: TrialRunner): Promise<void> => {
      for (let trial = queue.shift(); trial && !this.cancelled; trial = queue.shift()) {
        try {
          const result = await this.runTrial(runner, trial)
          if (!result) return
          results.push(result)
          await this.options.onTrialFinished?.(result)
        } catch (error) {
          // A runner that failed, or a result that could not be kept: stop everything, report the first.
          if (failure === null) failure = error
          this.cancel()
          return
        }
      }
    }
    await Promise.all(this.options.runners.map(work))
    if (failure !== null) throw failure
    return results.sort((a, b) => a.trial - b.trial)
  }

  /** Stops every runner; trials cut short are not results (a resume runs them again). */
  cancel(): void {
    if (this.cancelled) return
    this.cancelled = true
    for (const runner of this.options.runners) runner.cancel()
  }

  get isCancelled(): boolean {
    return this.cancelled
  }

  private async runTrial(runner: TrialRunner, trial: Trial): Promise<TrialResult | null> {
    const rungs: TrialResult['rungs'] = []
    // Written by the callback below: the rung evaluation a halving decision stopped the trial at.
    const halt: { at: (Evaluation & { valAcc?: number | null }) | null } = { at: null }
    const run = await runner.run(trial, (evaluation) => {
      this.options.onEvaluation?.(trial, evaluation)
      if (halt.at || !this.asha) return halt.at ? 'stop' : 'continue'
      const k = this.asha.rungAt(evaluation.iter, trial.config.iterations)
      if (k === null) return 'continue'
      const metric = metricOf(evaluation)
      rungs.push({ iter: evaluation.iter, metric })
      const decision = this.asha.report(trial.trial, k, metric)
      if (decision === 'stop') halt.at = evaluation
      return decision
    })
    const stoppedAt = halt.at
    // Stopped by the user, not by halving: not a result.
    if (this.cancelled && !stoppedAt && run.status === 'stopped') return null
    const judged = stoppedAt ?? run.last
    const cost = this.options.cost(trial)
    return {
      trial: trial.trial,
      settings: trial.settings,
      seed: trial.seed,
      iter: stoppedAt ? stoppedAt.iter : run.iter,
      testAcc: judged?.testAcc ?? null,
      valAcc: judged?.valAcc ?? null,
      trainAcc: judged?.trainAcc ?? null,
      macs: cost?.macs ?? null,
      params: cost?.params ?? null,
      elapsedMs: run.elapsedMs,
      stoppedEarly: stoppedAt !== null,
      ranTo: run.iter,
      // A run the stop reached is 'stopped'; halving stopped it, so it ended as it should.
      status: stoppedAt ? 'completed' : run.status,
      ...(run.message && !stoppedAt ? { message: run.message } : {}),
      rungs
    }
  }
}
