import { describe, expect, it } from 'vitest'
import { Asha, rungsFor } from '../../../src/engine/sweep'

describe('asynchronous successive halving', () => {
  it('puts rungs at minIterations · eta^k below the run’s length', () => {
    expect(rungsFor(1000, 10, 3)).toEqual([10, 30, 90, 270, 810])
    expect(rungsFor(810, 10, 3)).toEqual([10, 30, 90, 270])
    expect(rungsFor(100, 100, 2)).toEqual([])
    const asha = new Asha(10, 3)
    expect(asha.rungAt(90, 1000)).toBe(2)
    expect(asha.rungAt(91, 1000)).toBeNull()
    expect(asha.rungAt(810, 810)).toBeNull()
  })

  it('keeps a trial only while it ranks within the best ⌈n/η⌉ of the n that reached the rung', () => {
    const asha = new Asha(10, 3)
    // Scripted arrivals at rung 0 (higher is better), with the decision each must get.
    const script: [number, number, 'continue' | 'stop'][] = [
      [1, 0.5, 'continue'], // n=1, keep 1: alone, it is the best
      [2, 0.4, 'stop'], //     n=2, keep 1: 0.5 is better
      [3, 0.6, 'continue'], // n=3, keep 1: the new best
      [4, 0.55, 'continue'], // n=4, keep 2: second behind 0.6
      [5, 0.52, 'stop'], //    n=5, keep 2: third
      [6, 0.3, 'stop'], //     n=6, keep 2
      [7, 0.58, 'continue'] // n=7, keep 3: second
    ]
    script.forEach(([trial, metric, decision]) => expect(asha.report(trial, 0, metric), `trial ${trial}`).toBe(decision))
    // Trial 8 at 0.56: 0.6 and 0.58 are better, so it ranks third of 8 and ⌈8/3⌉ = 3: it goes on.
    expect(asha.report(8, 0, 0.56)).toBe('continue')
    expect(asha.report(9, 0, 0.57)).toBe('continue') // n=9, keep 3: third (0.6, 0.58 better)
    expect(asha.report(10, 0, 0.57)).toBe('continue') // n=10, keep 4: behind 0.6, 0.58 and the earlier 0.57
    expect(asha.report(11, 0, 0.57)).toBe('stop') // n=11, keep 4: ties go to earlier arrivals, so fifth
    expect(asha.recorded(0).map((r) => r.trial)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    // Each rung is judged on its own: the next rung starts empty.
    expect(asha.report(3, 1, 0.1)).toBe('continue')
    expect(asha.report(1, 1, 0.2)).toBe('continue')
    expect(asha.report(4, 1, 0.15)).toBe('stop')
  })

  it('η = 2 halves; a diverged trial (no number) always stops and never blocks another', () => {
    const asha = new Asha(5, 2)
    expect(asha.report(1, 0, Number.NaN)).toBe('stop')
    expect(asha.report(2, 0, 0.1)).toBe('continue') // n=2, keep 1: NaN is not better
    expect(asha.report(3, 0, 0.05)).toBe('continue') // n=3, keep 2: only 0.1 is better, NaN ranks last
    expect(asha.report(4, 0, 0.2)).toBe('continue') // n=4, keep 2: the best
    expect(asha.report(5, 0, 0.01)).toBe('stop') // n=5, keep 3: fourth
  })

  it('a resumed sweep restores what finished trials reported, and later trials are judged against it', () => {
    const asha = new Asha(10, 3)
    asha.restore(1, 0, 0.9)
    asha.restore(2, 0, 0.8)
    expect(asha.report(3, 0, 0.85)).toBe('stop') // n=3, keep 1: 0.9 is better
    expect(asha.report(4, 0, 0.95)).toBe('continue')
  })

  it('refuses settings that cannot halve', () => {
    expect(() => new Asha(0, 3)).toThrow(RangeError)
    expect(() => new Asha(10, 1)).toThrow(RangeError)
  })
})
