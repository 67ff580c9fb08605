import { describe, expect, it } from 'vitest'
import { LrScheduleSchema } from '../../../src/engine/config/schedule'
import { learningRateAt, setLearningRate } from '../../../src/engine/train/lr-schedule'
import { Adam } from '../../../src/engine/optimizers/adam'
import { createOptimizer } from '../../../src/engine/optimizers/create'
import { OptimizerSpecSchema } from '../../../src/engine/config/run-config'

const schedule = (input: unknown) => LrScheduleSchema.parse(input)

describe('learningRateAt (values worked out by hand)', () => {
  it('constant keeps the learning rate', () => {
    expect([1, 2, 500].map((i) => learningRateAt(schedule({ kind: 'constant' }), 0.1, i, 500))).toEqual([0.1, 0.1, 0.1])
  })

  it('step multiplies by gamma every `every` iterations, counting from the first', () => {
    const s = schedule({ kind: 'step', every: 100, gamma: 0.5 })
    // iterations 1…100 → t 0…99 → 0.1; 101…200 → 0.05; 201 → 0.025
    expect(learningRateAt(s, 0.1, 1, 1000)).toBe(0.1)
    expect(learningRateAt(s, 0.1, 100, 1000)).toBe(0.1)
    expect(learningRateAt(s, 0.1, 101, 1000)).toBe(0.05)
    expect(learningRateAt(s, 0.1, 200, 1000)).toBe(0.05)
    expect(learningRateAt(s, 0.1, 201, 1000)).toBe(0.025)
  })

  it('cosine falls from lr to minLr over the run: half way it is their mean', () => {
    const s = schedule({ kind: 'cosine', minLr: 0.01 })
    // T = 100: t = 0 → 0.1; t = 50 (iteration 51) → 0.01 + 0.09·(1 + cos(π/2))/2 = 0.055; t = 99 close to 0.01
    expect(learningRateAt(s, 0.1, 1, 100)).toBeCloseTo(0.1, 15)
    expect(learningRateAt(s, 0.1, 51, 100)).toBeCloseTo(0.055, 15)
    expect(learningRateAt(s, 0.1, 100, 100)).toBeCloseTo(0.01 + (0.09 * (1 + Math.cos((Math.PI * 99) / 100))) / 2, 15)
    expect(learningRateAt(s, 0.1, 100, 100)).toBeLessThan(0.0101)
    // minLr defaults to 0: a quarter of the way, (1 + cos(π/4))/2 = 0.85355…
    expect(learningRateAt(schedule({ kind: 'cosine' }), 1, 26, 100)).toBeCloseTo(0.8535533905932737, 15)
  })

  it('warm-up rises linearly to lr, then cosine runs over the iterations left', () => {
    const s = schedule({ kind: 'cosine', warmup: { iterations: 10 } })
    expect(learningRateAt(s, 0.2, 1, 110)).toBeCloseTo(0.02, 15)
    expect(learningRateAt(s, 0.2, 5, 110)).toBeCloseTo(0.1, 15)
    expect(learningRateAt(s, 0.2, 10, 110)).toBeCloseTo(0.2, 15)
    // After warm-up: T = 100, iteration 11 is t = 0 (lr), iteration 61 is t = 50 (lr/2)
    expect(learningRateAt(s, 0.2, 11, 110)).toBeCloseTo(0.2, 15)
    expect(learningRateAt(s, 0.2, 61, 110)).toBeCloseTo(0.1, 15)
  })

  it('warm-up before a step schedule counts the steps after it', () => {
    const s = schedule({ kind: 'step', every: 5, gamma: 0.1, warmup: { iterations: 4 } })
    expect([1, 4, 5, 9, 10].map((i) => learningRateAt(s, 1, i, 100))).toEqual([0.25, 1, 1, 1, 1 * 0.1])
  })

  it('every optimizer takes a scheduled rate (each reads its lr at every step)', () => {
    for (const kind of OptimizerSpecSchema.options.map((o) => o.shape.kind.value)) {
      const optimizer = createOptimizer(OptimizerSpecSchema.parse({ kind, lr: 0.01 }))
      setLearningRate(optimizer, 0.25)
      expect((optimizer as unknown as { lr: number }).lr, kind).toBe(0.25)
    }
  })

  it('gives an optimizer the rate of its next step', () => {
    const adam = new Adam(0.001, 0.9, 0.999)
    setLearningRate(adam, 0.0005)
    expect(adam.lr).toBe(0.0005)
  })
})
