import { describe, expect, it } from 'vitest'
import { EarlyStopper } from '../../../src/engine/train/early-stopping'

/** Feeds a scripted accuracy sequence (one per evaluation, every 10 iterations); the iteration it stops at. */
function stopsAt(accuracies: number[], patience: number, minDelta = 0): { iter: number | null; best: { iter: number; valAcc: number } | null } {
  const stopper = new EarlyStopper({ patience, minDelta })
  for (let i = 0; i < accuracies.length; i++) if (stopper.observe((i + 1) * 10, accuracies[i])) return { iter: (i + 1) * 10, best: stopper.best }
  return { iter: null, best: stopper.best }
}

describe('early stopping on a scripted validation accuracy', () => {
  it('stops after `patience` evaluations in a row without a new best', () => {
    // best 0.8 at 30; 0.79, 0.8, 0.75 do not beat it → stops at the third of them (iteration 60)
    expect(stopsAt([0.5, 0.7, 0.8, 0.79, 0.8, 0.75, 0.9], 3)).toEqual({ iter: 60, best: { iter: 30, valAcc: 0.8 } })
  })

  it('a new best resets the count', () => {
    expect(stopsAt([0.5, 0.4, 0.6, 0.55, 0.5], 2)).toEqual({ iter: 50, best: { iter: 30, valAcc: 0.6 } })
    expect(stopsAt([0.5, 0.4, 0.6, 0.55, 0.7], 2).iter).toBeNull()
  })

  it('an improvement must be larger than minDelta', () => {
    // 0.805 and 0.809 are within 0.01 of 0.8: not improvements
    expect(stopsAt([0.8, 0.805, 0.809], 2, 0.01)).toEqual({ iter: 30, best: { iter: 10, valAcc: 0.8 } })
    expect(stopsAt([0.8, 0.805, 0.82], 2, 0.01).iter).toBeNull()
  })

  it('says why, with the best iteration', () => {
    const stopper = new EarlyStopper({ patience: 1, minDelta: 0.001 })
    stopper.observe(10, 0.9)
    stopper.observe(20, 0.9)
    expect(stopper.shouldStop).toBe(true)
    expect(stopper.reason()).toBe('early stopping: validation accuracy did not improve by more than 0.001 for 1 evaluation; best 0.9000 at iteration 10')
  })

  it('saves and restores its state', () => {
    const a = new EarlyStopper({ patience: 3, minDelta: 0 })
    a.observe(10, 0.5)
    a.observe(20, 0.4)
    const b = new EarlyStopper({ patience: 3, minDelta: 0 })
    b.restore(JSON.parse(JSON.stringify(a.save())))
    expect([a.observe(30, 0.45), a.observe(40, 0.3)]).toEqual([b.observe(30, 0.45), b.observe(40, 0.3)])
    expect(b.shouldStop).toBe(true)
  })
})
