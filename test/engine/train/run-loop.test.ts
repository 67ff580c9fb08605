import { describe, expect, it } from 'vitest'
import { findPreset } from '../../../src/engine/presets'
import { defineRunConfig } from '../../../src/engine/config/run-config'
import { explainDivergence } from '../../../src/engine/train/divergence'
import { RunLoop, type Finish, type RunListener } from '../../../src/engine/train/run-loop'
import type { StepResult, Trainer } from '../../../src/engine/train/trainer'

/** A trainer whose losses are scripted, so the loop's handling of them is tested exactly. */
function scriptedTrainer(losses: number[], evalInterval = 2): Trainer {
  let done = 0
  const config = { ...findPreset('vg-relu-he').config, iterations: losses.length, evalInterval }
  return {
    config,
    get iterationsDone() {
      return done
    },
    get finished() {
      return done >= losses.length
    },
    step(): StepResult {
      const iter = ++done
      return { iter, loss: losses[iter - 1], evaluation: iter % evalInterval === 0 ? { trainAcc: 0.5, testAcc: 0.25, layers: [] } : null }
    }
  } as unknown as Trainer
}

function recordingListener() {
  const log: string[] = []
  let finish: Finish | null = null
  const listener: RunListener = {
    progress: (p) => log.push(`progress ${p.losses.firstIter}+${p.losses.values.length}`),
    evaluation: (e) => log.push(`evaluation ${e.iter}`),
    paused: (i) => log.push(`paused ${i}`),
    resumed: (i) => log.push(`resumed ${i}`),
    finished: (f) => (finish = f)
  }
  return { log, listener, finish: () => finish }
}

describe('run loop', () => {
  it('stops at the first non-finite loss with "diverged at iteration N" and the likely cause', async () => {
    const { listener, finish } = recordingListener()
    await new RunLoop(scriptedTrainer([2.3, 2.1, 1.9, Number.NaN, 1.0, 0.9]), listener).run()
    expect(finish()?.status).toBe('diverged')
    expect(finish()?.iter).toBe(4)
    expect(finish()?.message).toBe(
      'diverged at iteration 4: the loss became NaN. Likely cause: the learning rate (lr = 0.1) is too high for this network; try a smaller one.'
    )
    expect(finish()?.last?.iter).toBe(2) // the history up to the divergence is kept
  })

  it('names a huge initial std or weight decay before the learning rate', () => {
    const base = findPreset('vg-relu-he').config
    const wide = defineRunConfig({ ...base, network: { ...base.network, init: 'gauss', initStd: 5 } })
    expect(explainDivergence(3, Number.NaN, wide)).toBe(
      "diverged at iteration 3: the loss became NaN. Likely cause: the initial weights' standard deviation (initStd = 5) is very large; try 0.01 or Xavier/He initialisation."
    )
    const decayed = defineRunConfig({ ...base, regularization: { kind: 'l2', lambda: 50 } })
    expect(explainDivergence(9, Infinity, decayed)).toBe(
      'diverged at iteration 9: the loss became infinite. Likely cause: the weight decay (λ = 50) is very large; try 0.1 or less.'
    )
  })

  it('says "infinite" for an infinite loss', async () => {
    const { listener, finish } = recordingListener()
    await new RunLoop(scriptedTrainer([1, Infinity]), listener).run()
    expect(finish()?.message).toMatch(/^diverged at iteration 2: the loss became infinite/)
  })

  it('reports every iteration once and evaluations in order, then completes', async () => {
    const { log, listener, finish } = recordingListener()
    await new RunLoop(scriptedTrainer([3, 2, 1, 0.5]), listener).run()
    expect(log).toEqual(['progress 1+2', 'evaluation 2', 'progress 3+2', 'evaluation 4'])
    expect(finish()?.status).toBe('completed')
    expect(finish()?.last).toMatchObject({ iter: 4, loss: 0.5, trainAcc: 0.5, testAcc: 0.25 })
  })

  it('finishes as failed, with the message, when a step throws', async () => {
    const { listener, finish } = recordingListener()
    const trainer = scriptedTrainer([1, 1])
    trainer.step = () => {
      throw new Error('boom')
    }
    await new RunLoop(trainer, listener).run()
    expect(finish()).toMatchObject({ status: 'failed', message: 'boom', iter: 0 })
  })
})
