import { describe, expect, it } from 'vitest'
import { emaSmooth, movingAverage, normalizeSmoothing, smooth, DEFAULT_SMOOTHING } from '@renderer/lib/smoothing'

const pts = (ys: number[]) => ys.map((y, i) => ({ x: i + 1, y }))

describe('loss smoothing', () => {
  it('EMA with factor 0 is the raw line', () => {
    expect(emaSmooth(pts([3, 1, 2]), 0).map((p) => p.y)).toEqual([3, 1, 2])
  })

  it('EMA is debiased like TensorBoard: a constant line stays constant from the first point', () => {
    for (const y of emaSmooth(pts([2, 2, 2, 2]), 0.9)) expect(y.y).toBeCloseTo(2, 12)
  })

  it('EMA follows the recurrence s = w·s + (1 − w)·y divided by 1 − wⁿ', () => {
    const [a, b] = emaSmooth(pts([1, 3]), 0.5)
    expect(a.y).toBeCloseTo(1)
    // (0.5·0.5 + 0.5·3) / (1 − 0.25) = 1.75 / 0.75
    expect(b.y).toBeCloseTo(1.75 / 0.75)
  })

  it('a NaN (diverged batch) is a gap and does not poison the average', () => {
    const out = emaSmooth(pts([1, Number.NaN, 1]), 0.9)
    expect(out[1].y).toBeNaN()
    expect(out[2].y).toBeCloseTo(1)
    const ma = movingAverage(pts([1, Number.NaN, 3]), 2)
    expect(ma[1].y).toBeNaN()
    expect(ma[2].y).toBe(2)
  })

  it('moving average is trailing over the window, shorter at the start', () => {
    expect(movingAverage(pts([1, 2, 3, 4, 5]), 3).map((p) => p.y)).toEqual([1, 1.5, 2, 3, 4])
    expect(movingAverage(pts([1, 2, 3]), 1).map((p) => p.y)).toEqual([1, 2, 3])
  })

  it('keeps the x positions and the length', () => {
    const input = pts([5, 4, 3])
    for (const kind of ['ema', 'moving-average', 'none'] as const) {
      const out = smooth(input, { ...DEFAULT_SMOOTHING, kind })
      expect(out.map((p) => p.x)).toEqual([1, 2, 3])
    }
  })

  it('settings from storage fall back to the defaults when out of range', () => {
    expect(normalizeSmoothing({ kind: 'moving-average', factor: 0.5, window: 20 })).toEqual({ kind: 'moving-average', factor: 0.5, window: 20 })
    expect(normalizeSmoothing({ kind: 'gaussian', factor: 2, window: 0.5 })).toEqual(DEFAULT_SMOOTHING)
    expect(normalizeSmoothing(null)).toEqual(DEFAULT_SMOOTHING)
  })
})
