import { describe, expect, it } from 'vitest'
import { DEFAULT_LOSS_CAPACITY, LossHistory, decimateMinMax } from '@renderer/lib/loss-history'
import { EvaluationLog } from '@renderer/lib/evaluation-log'
import { CHART_POINTS, accuracyLine, gradientLines, lossLines } from '@renderer/lib/series'
import { DEFAULT_SMOOTHING } from '@renderer/lib/smoothing'
import type { Evaluation } from '@engine/protocol'

/** A noisy decaying loss, deterministic. */
function lossAt(i: number): number {
  return 2.3 * Math.exp(-i / 3000) + 0.3 * Math.sin(i * 12.9898)
}

function evaluation(iter: number): Evaluation {
  return {
    iter,
    loss: 1,
    trainAcc: iter / 1e6,
    testAcc: iter / 1e6,
    elapsedMs: iter,
    layers: [
      { name: 'affine1', depth: 1, meanAbsGrad: 1e-6, activation: { lo: 0, hi: 1, counts: Array(20).fill(5), below: 0, above: 0 } },
      { name: 'affine2', depth: 2, meanAbsGrad: 1e-2, activation: null }
    ]
  }
}

describe('decimation for the charts', () => {
  it('keeps at most the asked number of points and the extremes of every bucket', () => {
    const points = Array.from({ length: 20_000 }, (_, i) => ({ x: i + 1, y: lossAt(i + 1) }))
    const out = decimateMinMax(points, 1000)
    expect(out.length).toBeLessThanOrEqual(1000)
    expect(out.length).toBeGreaterThan(900)
    expect(Math.max(...out.map((p) => p.y))).toBe(Math.max(...points.map((p) => p.y)))
    expect(Math.min(...out.map((p) => p.y))).toBe(Math.min(...points.map((p) => p.y)))
    // In order along x, and a short line is left as it is.
    expect(out.every((p, i) => i === 0 || p.x > out[i - 1].x)).toBe(true)
    expect(decimateMinMax(points.slice(0, 10), 1000)).toEqual(points.slice(0, 10))
  })

  it('a 20,000-iteration run keeps every loss; a 1,000,000-iteration run folds them into 20,000 slots', () => {
    const exact = new LossHistory(20_000)
    expect(exact.stride).toBe(2)
    const short = new LossHistory(19_998)
    expect(short.stride).toBe(1)
    const long = new LossHistory(1_000_000)
    for (let start = 1; start <= 1_000_000; start += 10_000) {
      long.push(
        start,
        Array.from({ length: 10_000 }, (_, i) => lossAt(start + i))
      )
    }
    expect(long.recorded).toBe(1_000_000)
    expect(long.points().length).toBeLessThanOrEqual(DEFAULT_LOSS_CAPACITY + 1)
  })

  it('draws a 20,000-iteration run as two lines of at most 1,000 points, quickly', () => {
    const history = new LossHistory(20_000)
    history.push(
      1,
      Array.from({ length: 20_000 }, (_, i) => lossAt(i + 1))
    )
    const t0 = performance.now()
    const lines = lossLines(history.points(), DEFAULT_SMOOTHING)
    const ms = performance.now() - t0
    expect(lines.raw.length).toBeLessThanOrEqual(CHART_POINTS)
    expect(lines.smoothed!.length).toBeLessThanOrEqual(CHART_POINTS)
    // Ten redraws a second must leave the frame budget alone: generous bound for a loaded CI machine.
    expect(ms).toBeLessThan(100)
    expect(lossLines(history.points(), { ...DEFAULT_SMOOTHING, kind: 'none' }).smoothed).toBeNull()
  })

  it('gives the same points whether read after every push or once at the end (the cache of settled slots)', () => {
    const live = new LossHistory(60_000)
    expect(live.stride).toBe(4)
    const seen: number[] = []
    for (let start = 1; start <= 60_000; start += 333) {
      live.push(
        start,
        Array.from({ length: Math.min(333, 60_001 - start) }, (_, i) => lossAt(start + i))
      )
      seen.push(live.points().length)
    }
    const fresh = new LossHistory(60_000)
    fresh.push(
      1,
      Array.from({ length: 60_000 }, (_, i) => lossAt(i + 1))
    )
    expect(live.points()).toEqual(fresh.points())
    expect(seen.every((n, i) => i === 0 || n >= seen[i - 1])).toBe(true)
    // Each call returns a new array (computeds compare by identity).
    expect(live.points()).not.toBe(live.points())
  })

  it('stores and restores a history exactly (NaN slots become gaps)', () => {
    const history = new LossHistory(50)
    history.push(1, [2.3, 2.2, Number.NaN, 2.0])
    const snap = history.snapshot()
    expect(snap).toEqual({ stride: 1, values: [null, 2.3, 2.2, null, 2.0], recorded: 4 })
    const back = LossHistory.restore(50, JSON.parse(JSON.stringify(snap)))
    expect(back.points()).toEqual([
      { x: 1, y: 2.3 },
      { x: 2, y: 2.2 },
      { x: 4, y: 2.0 }
    ])
    expect(back.recorded).toBe(4)
  })

  it('bounds evaluations: evenly spaced once beyond capacity, the first and the latest always kept', () => {
    const log = new EvaluationLog(100)
    for (let i = 1; i <= 1001; i++) log.push(evaluation(i * 10))
    const items = log.items()
    expect(items.length).toBeLessThanOrEqual(101)
    expect(items[0].iter).toBe(10)
    expect(items.at(-1)!.iter).toBe(10_010)
    const gaps = new Set(
      items
        .slice(0, -1)
        .map((e, i, a) => (i === 0 ? null : e.iter - a[i - 1].iter))
        .filter((g) => g !== null)
    )
    expect(gaps.size).toBe(1)
    expect(log.count).toBe(1001)
    expect(log.last()!.iter).toBe(10_010)
  })

  it('turns evaluations into accuracy and per-layer gradient lines', () => {
    const evals = [evaluation(10), evaluation(20)]
    expect(accuracyLine(evals, 'testAcc')).toEqual([
      { x: 10, y: 0.00001 },
      { x: 20, y: 0.00002 }
    ])
    const lines = gradientLines(evals)
    expect(lines.map((l) => [l.depth, l.name, l.points.length])).toEqual([
      [1, 'affine1', 2],
      [2, 'affine2', 2]
    ])
    // Zero cannot be drawn on a log axis: it becomes a gap.
    const zero = gradientLines([{ ...evaluation(30), layers: [{ name: 'a', depth: 1, meanAbsGrad: 0, activation: null }] }])
    expect(zero[0].points[0].y).toBeNaN()
  })
})
