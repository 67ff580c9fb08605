import { describe, expect, it } from 'vitest'
import { bestTrial, doneLine, metricOf, trialLine, type TrialResult } from '../../../src/engine/sweep'

const result = (trial: number, over: Partial<TrialResult> = {}): TrialResult => ({
  trial,
  settings: { 'optimizer.lr': trial / 100 },
  seed: 1,
  iter: 100,
  testAcc: 0.5,
  valAcc: null,
  trainAcc: 0.6,
  macs: 10,
  params: 20,
  elapsedMs: 123.456,
  stoppedEarly: false,
  ranTo: 100,
  status: 'completed',
  rungs: [],
  ...over
})

describe('sweep results', () => {
  it('judges on validation accuracy when the run has a split, else on test accuracy', () => {
    expect(metricOf({ testAcc: 0.9, valAcc: 0.7 })).toBe(0.7)
    expect(metricOf({ testAcc: 0.9 })).toBe(0.9)
    expect(metricOf({ testAcc: null, valAcc: null })).toBeNaN()
  })

  it('the best ran to its end (its own early stopping counts), by validation accuracy, ties to the lower trial', () => {
    const results = [
      result(1, { testAcc: 0.99, stoppedEarly: true, iter: 10 }), // halving stopped it: not a candidate
      result(2, { testAcc: 0.99, status: 'diverged' }),
      result(3, { testAcc: 0.8, valAcc: 0.9 }),
      result(4, { testAcc: 0.95, valAcc: 0.85, status: 'early-stopped' }),
      result(5, { testAcc: 0.7, valAcc: 0.9 })
    ]
    expect(bestTrial(results)?.trial).toBe(3)
    expect(bestTrial(results.slice(3))?.trial).toBe(5)
    expect(bestTrial([results[0], results[1]])).toBeNull()
  })

  it('a trial line has the issue’s keys in its order; status and message only when it did not complete', () => {
    expect(trialLine(result(1))).toEqual({
      trial: 1,
      settings: { 'optimizer.lr': 0.01 },
      seed: 1,
      iter: 100,
      testAcc: 0.5,
      valAcc: null,
      macs: 10,
      params: 20,
      elapsedMs: 123.5,
      stoppedEarly: false
    })
    expect(Object.keys(trialLine(result(1)))).toEqual(['trial', 'settings', 'seed', 'iter', 'testAcc', 'valAcc', 'macs', 'params', 'elapsedMs', 'stoppedEarly'])
    expect(trialLine(result(2, { status: 'diverged', message: 'loss NaN', testAcc: null }))).toMatchObject({ status: 'diverged', message: 'loss NaN' })
    expect(doneLine([result(1), result(2, { stoppedEarly: true })])).toEqual({ done: true, trials: 2, stoppedEarly: 1, best: trialLine(result(1)) })
  })
})
