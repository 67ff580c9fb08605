import { describe, expect, it } from 'vitest'
import { checkSweepSpec, expandTrials, SweepScheduler, type Trial, type TrialResult, type TrialRun, type TrialRunner } from '../../../src/engine/sweep'
import type { Decision } from '../../../src/engine/sweep/asha'
import type { Evaluation } from '../../../src/engine/protocol'

/** Nine trials of 90 iterations, evaluated every 10: with halving at 10 and η 3, rungs at 10 and 30. */
const trials = expandTrials(
  checkSweepSpec({ base: { preset: 'vg-relu-he' }, grid: { 'optimizer.lr': [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i / 100), iterations: [90] } })
)

/**
 * A runner with scripted results: trial t's test accuracy at iteration i is quality(t) · i / 90. Each
 * evaluation takes a turn of the event loop, and a stop lands one evaluation late (as a real one may).
 */
class ScriptedRunner implements TrialRunner {
  ran: number[] = []
  private stopped = false
  static running = 0
  static mostAtOnce = 0

  constructor(
    private readonly quality: (trial: number) => number,
    private readonly end: (trial: number) => Partial<TrialRun> = () => ({})
  ) {}

  async run(trial: Trial, onEvaluation: (e: Evaluation) => Decision): Promise<TrialRun> {
    this.ran.push(trial.trial)
    this.stopped = false
    ScriptedRunner.running++
    ScriptedRunner.mostAtOnce = Math.max(ScriptedRunner.mostAtOnce, ScriptedRunner.running)
    let last: Evaluation | null = null
    let stopAsked = false
    try {
      for (let iter = 10; iter <= trial.config.iterations; iter += 10) {
        await new Promise((resolve) => setTimeout(resolve, 1))
        last = { iter, loss: 1, trainAcc: 0.5, testAcc: (this.quality(trial.trial) * iter) / 90, elapsedMs: iter }
        if (stopAsked || this.stopped) return { status: 'stopped', iter, elapsedMs: iter, last }
        if (onEvaluation(last) === 'stop') stopAsked = true
      }
      return { status: 'completed', iter: trial.config.iterations, elapsedMs: trial.config.iterations, last, ...this.end(trial.trial) }
    } finally {
      ScriptedRunner.running--
    }
  }

  cancel(): void {
    this.stopped = true
  }
}

const cost = () => ({ params: 7, macs: 11 })

describe('the sweep scheduler', () => {
  it('runs every trial once across its runners, at most one each at a time, and reports them in order', async () => {
    ScriptedRunner.mostAtOnce = 0
    const runners = [new ScriptedRunner((t) => t / 10), new ScriptedRunner((t) => t / 10)]
    const reported: number[] = []
    const results = await new SweepScheduler({ trials, runners, cost, onTrialFinished: (r) => void reported.push(r.trial) }).run()
    expect(results.map((r) => r.trial)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect([...runners[0].ran, ...runners[1].ran].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(runners[0].ran.length).toBeGreaterThan(0)
    expect(runners[1].ran.length).toBeGreaterThan(0)
    expect(ScriptedRunner.mostAtOnce).toBe(2)
    expect(reported.sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(results[2]).toEqual({
      trial: 3,
      settings: { 'optimizer.lr': 0.03, iterations: 90 },
      seed: 1,
      iter: 90,
      testAcc: 0.3,
      valAcc: null,
      trainAcc: 0.5,
      macs: 11,
      params: 7,
      elapsedMs: 90,
      stoppedEarly: false,
      ranTo: 90,
      status: 'completed',
      rungs: []
    })
  })

  it('halving stops the trials ASHA rejects, at the rung, with the rung’s accuracy', async () => {
    // Qualities in arrival order (one runner): the decisions follow asha.ts's rule (⌈n/3⌉ kept per rung).
    const quality = [0.5, 0.4, 0.6, 0.55, 0.52, 0.3, 0.58, 0.2, 0.9]
    const runner = new ScriptedRunner((t) => quality[t - 1])
    const results = await new SweepScheduler({ trials, runners: [runner], halving: { minIterations: 10, eta: 3 }, cost }).run()
    const stopped = results.filter((r) => r.stoppedEarly)
    // Rung 10: 1 on, 2 off, 3 on, 4 on (2nd of 4), 5 off, 6 off, 7 on (2nd of 7), 8 off, 9 on.
    // Rung 30, among those: 1 on, 3 on (best), 4 off (2nd of 3, keep 1), 7 on (2nd of 4, keep 2), 9 on.
    expect(stopped.map((r) => [r.trial, r.iter])).toEqual([
      [2, 10],
      [4, 30],
      [5, 10],
      [6, 10],
      [8, 10]
    ])
    const two = results[1]
    expect(two.testAcc).toBeCloseTo((0.4 * 10) / 90, 12)
    expect(two.status).toBe('completed')
    expect(two.rungs).toEqual([{ iter: 10, metric: two.testAcc }])
    // The stop lands one evaluation late (the scripted runner's way): the run ended past its rung.
    expect(two.ranTo).toBe(20)
    expect(results[8].rungs.map((r) => r.iter)).toEqual([10, 30])
    expect(results[8].iter).toBe(90)
  })

  it('with a validation split, halving judges validation accuracy, not test accuracy', async () => {
    // Test accuracy rises with the trial number, validation accuracy falls: trial 2 must stop.
    const runner: TrialRunner = {
      async run(trial, onEvaluation) {
        const evaluation = { iter: 10, loss: 1, trainAcc: 0.5, testAcc: trial.trial / 10, valAcc: 1 - trial.trial / 10, elapsedMs: 1 }
        const decision = onEvaluation(evaluation)
        return { status: decision === 'stop' ? 'stopped' : 'completed', iter: 10, elapsedMs: 1, last: evaluation }
      },
      cancel: () => undefined
    }
    const results = await new SweepScheduler({ trials: trials.slice(0, 2), runners: [runner], halving: { minIterations: 10, eta: 3 }, cost }).run()
    expect(results.map((r) => r.stoppedEarly)).toEqual([false, true])
    expect(results[1]).toMatchObject({ valAcc: 0.8, testAcc: 0.2, rungs: [{ iter: 10, metric: 0.8 }] })
  })

  it('keeps the trials a previous attempt finished: not run again, and their rungs still judge the rest', async () => {
    const first = await new SweepScheduler({
      trials: trials.slice(0, 1),
      runners: [new ScriptedRunner(() => 0.9)],
      halving: { minIterations: 10, eta: 3 },
      cost
    }).run()
    const runner = new ScriptedRunner(() => 0.5)
    const results = await new SweepScheduler({ trials: trials.slice(0, 2), runners: [runner], halving: { minIterations: 10, eta: 3 }, kept: first, cost }).run()
    expect(runner.ran).toEqual([2])
    expect(results[0]).toBe(first[0])
    // Trial 2 at 0.5 meets trial 1's 0.9 at rung 10: second of two, ⌈2/3⌉ = 1 kept.
    expect(results[1]).toMatchObject({ trial: 2, stoppedEarly: true, iter: 10 })
  })

  it('a diverged or failed trial is a result with its status and message; the sweep goes on', async () => {
    const end = (t: number): Partial<TrialRun> =>
      t === 2 ? { status: 'diverged', message: 'loss became NaN' } : t === 3 ? { status: 'failed', message: 'boom' } : {}
    const results = await new SweepScheduler({ trials: trials.slice(0, 4), runners: [new ScriptedRunner(() => 0.5, end)], cost }).run()
    expect(results.map((r) => r.status)).toEqual(['completed', 'diverged', 'failed', 'completed'])
    expect(results[1].message).toBe('loss became NaN')
  })

  it('cancel stops the runners; trials cut short are not results', async () => {
    const finished: TrialResult[] = []
    const runners = [new ScriptedRunner(() => 0.5), new ScriptedRunner(() => 0.5)]
    const scheduler = new SweepScheduler({
      trials,
      runners,
      cost,
      onTrialFinished: (r) => {
        finished.push(r)
        if (finished.length === 3) scheduler.cancel()
      }
    })
    const results = await scheduler.run()
    expect(scheduler.isCancelled).toBe(true)
    expect(results.length).toBeGreaterThanOrEqual(3)
    expect(results.length).toBeLessThan(9)
    expect(results.every((r) => r.status === 'completed' && r.iter === 90)).toBe(true)
  })

  it('a runner that throws ends the sweep with its error, after the others stop', async () => {
    const broken: TrialRunner = { run: () => Promise.reject(new Error('bad settings for these data')), cancel: () => undefined }
    const other = new ScriptedRunner(() => 0.5)
    await expect(new SweepScheduler({ trials, runners: [broken, other], cost }).run()).rejects.toThrow('bad settings for these data')
    expect(other.ran.length).toBeLessThanOrEqual(1)
  })
})
