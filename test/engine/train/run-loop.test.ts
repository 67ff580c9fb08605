import { describe, expect, it } from 'vitest'
import { findPreset } from '../../../src/engine/presets'
import { defineRunConfig } from '../../../src/engine/config/run-config'
import { explainDivergence } from '../../../src/engine/train/divergence'
import { RunLoop, type Finish, type RunListener } from '../../../src/engine/train/run-loop'
import type { TrainedStep, Trainer } from '../../../src/engine/train/trainer'
import { EvaluationJob, type ChunkCounter, type EvaluationPart } from '../../../src/engine/train/evaluation-job'
import type { Split } from '../../../src/engine/data/image-set'

/** A clock the scripted trainer moves: each training step and each evaluated chunk takes `stepMs`. */
function scriptedClock() {
  let t = 0
  return { now: () => t, tick: (ms: number) => (t += ms) }
}

/**
 * A trainer whose losses are scripted, so the loop's handling of them is tested exactly. Its evaluations
 * go through `chunks` chunks of one image each (train accuracy 0.5, test accuracy 0.25).
 */
function scriptedTrainer(losses: number[], evalInterval = 2, clock = scriptedClock(), stepMs = 1, chunks = 4): Trainer {
  let done = 0
  const config = { ...findPreset('vg-relu-he').config, iterations: losses.length, evalInterval }
  const split = { count: chunks } as unknown as Split
  const half = chunks / 2
  const trainStep = (): TrainedStep => {
    const iter = ++done
    clock.tick(stepMs)
    const countChunk: ChunkCounter = (_split, start, count, confusion) => {
      clock.tick(stepMs)
      if (confusion) confusion[0] += count
      return start < half ? count : 0
    }
    const parts: EvaluationPart[] = [
      { role: 'train', split, count: chunks },
      { role: 'test', split, count: chunks / 2 }
    ]
    const evaluation =
      iter % evalInterval === 0
        ? new EvaluationJob(countChunk, 1, parts, 1, (acc, confusion) => ({ trainAcc: acc.train!, testAcc: acc.test! / 4, layers: [], confusion }))
        : null
    return { iter, loss: losses[iter - 1], evaluation }
  }
  return {
    config,
    get iterationsDone() {
      return done
    },
    get finished() {
      return done >= losses.length
    },
    trainStep,
    step: () => {
      throw new Error('the run loop trains with trainStep')
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
    trainer.trainStep = () => {
      throw new Error('boom')
    }
    await new RunLoop(trainer, listener).run()
    expect(finish()).toMatchObject({ status: 'failed', message: 'boom', iter: 0 })
  })

  describe('evaluations in slices', () => {
    /** 30 ms a step and a chunk: an evaluation of 30 images takes 0.9 s, several slices of the loop. */
    function slowRun(losses = [3, 2, 1, 0.5]) {
      const clock = scriptedClock()
      const trainer = scriptedTrainer(losses, 2, clock, 30, 20)
      const { log, listener, finish } = recordingListener()
      const counts: { done: number; total: number }[] = []
      const progress = listener.progress
      listener.progress = (p) => {
        progress(p)
        if (p.evaluating) counts.push(p.evaluating)
      }
      return { clock, trainer, log, listener, finish, counts }
    }

    it('reports how far an evaluation has come, and trains nothing until it is done', async () => {
      const { trainer, log, listener, finish, counts, clock } = slowRun()
      const times: number[] = []
      const { progress, evaluation } = listener
      listener.progress = (p) => (progress(p), times.push(clock.now()))
      listener.evaluation = (e) => (evaluation(e), times.push(clock.now()))
      await new RunLoop(trainer, listener, clock.now).run()
      // At least ten updates a second: 80 ms apart plus at most one 30 ms step or chunk.
      const gaps = times.slice(1).map((t, i) => t - times[i])
      expect(Math.max(...gaps)).toBeLessThanOrEqual(110)
      // Several progress events during each evaluation, counting up, none at the end (the evaluation reports that).
      expect(counts.length).toBeGreaterThanOrEqual(8)
      expect(counts.every((c) => c.total === 30 && c.done < 30)).toBe(true)
      // Each evaluation starts at 0 (with its iteration's losses) and counts up.
      expect(counts.filter((c) => c.done === 0)).toHaveLength(2)
      for (let i = 1; i < counts.length; i++) if (counts[i].done !== 0) expect(counts[i].done).toBeGreaterThan(counts[i - 1].done)
      // Losses still arrive once each, in order; an evaluation's progress comes between its iteration's losses and its result.
      const iterations = log.flatMap((l) => {
        const [, first, n] = l.match(/^progress (\d+)\+(\d+)$/) ?? []
        return first === undefined ? [] : Array.from({ length: Number(n) }, (_, i) => Number(first) + i)
      })
      expect(iterations).toEqual([1, 2, 3, 4])
      const firstOf3 = log.findIndex((l) => l.startsWith('progress 3+') && !l.endsWith('+0'))
      expect(log.indexOf('evaluation 2')).toBeLessThan(firstOf3)
      expect(log.slice(log.indexOf('progress 1+2') + 1, log.indexOf('evaluation 2')).every((l) => l === 'progress 3+0')).toBe(true)
      expect(finish()).toMatchObject({ status: 'completed', iter: 4, last: { iter: 4, trainAcc: 0.5, testAcc: 0.25, confusion: [10] } })
    })

    it('pauses between two chunks of an evaluation; a save there completes it first, once', async () => {
      const { trainer, log, listener, finish, clock } = slowRun()
      let loop: RunLoop | null = null
      let paused = false
      const progress = listener.progress
      listener.progress = (p) => {
        progress(p)
        if (p.evaluating && !paused) {
          paused = true
          queueMicrotask(() => loop!.pause())
        }
      }
      loop = new RunLoop(trainer, listener, clock.now)
      const running = loop.run()
      while (!log.some((l) => l.startsWith('paused'))) await new Promise((r) => setImmediate(r))
      expect(log.at(-1)).toBe('paused 2')
      expect(log).not.toContain('evaluation 2')
      expect(loop.lastEvaluation).toBeNull()
      loop.completeEvaluation()
      expect(log.at(-1)).toBe('evaluation 2')
      expect(loop.lastEvaluation).toMatchObject({ iter: 2, trainAcc: 0.5, testAcc: 0.25 })
      loop.resume()
      await running
      expect(log.filter((l) => l.startsWith('evaluation'))).toEqual(['evaluation 2', 'evaluation 4'])
      expect(finish()?.status).toBe('completed')
    })

    it('a stop during an evaluation lets it end, then trains no further', async () => {
      const { trainer, log, listener, finish, clock } = slowRun([3, 2, 1, 0.5, 0.4, 0.3])
      let loop: RunLoop | null = null
      const progress = listener.progress
      listener.progress = (p) => {
        progress(p)
        if (p.evaluating) queueMicrotask(() => loop!.stop())
      }
      loop = new RunLoop(trainer, listener, clock.now)
      await loop.run()
      expect(finish()).toMatchObject({ status: 'stopped', iter: 2, last: { iter: 2, trainAcc: 0.5 } })
      expect(log.filter((l) => l.startsWith('evaluation'))).toEqual(['evaluation 2'])
    })

    it('a divergence ends the run without its evaluation', async () => {
      const { trainer, log, listener, finish, clock } = slowRun([3, Number.NaN, 1, 0.5])
      await new RunLoop(trainer, listener, clock.now).run()
      expect(finish()).toMatchObject({ status: 'diverged', iter: 2, last: null })
      expect(log.filter((l) => l.startsWith('evaluation'))).toEqual([])
    })
  })
})
