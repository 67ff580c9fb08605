/**
 * Per-iteration mini-batch losses of one run, in bounded memory.
 *
 * Up to `capacity` iterations are kept exactly. A longer run (the schema allows ten million iterations)
 * is folded into `capacity` slots of `stride` consecutive iterations, each holding their mean, so memory
 * stays at a few hundred kilobytes whatever the run length.
 */
export interface Point {
  x: number
  y: number
}

export const DEFAULT_LOSS_CAPACITY = 20_000

export class LossHistory {
  readonly stride: number
  private readonly sums: Float64Array
  private readonly counts: Uint32Array
  /** Number of iterations recorded so far (not slots). */
  recorded = 0
  /** Highest slot index written + 1. */
  private end = 0

  constructor(totalIters: number, capacity = DEFAULT_LOSS_CAPACITY) {
    const total = Math.max(1, Math.floor(totalIters))
    this.stride = Math.max(1, Math.ceil((total + 1) / capacity))
    const slots = Math.floor(total / this.stride) + 1
    this.sums = new Float64Array(slots)
    this.counts = new Uint32Array(slots)
  }

  /** Adds the losses of iterations firstIter, firstIter + 1, …; iterations beyond the planned total are dropped. */
  push(firstIter: number, values: readonly number[]): void {
    for (let i = 0; i < values.length; i++) {
      const slot = Math.floor((firstIter + i) / this.stride)
      if (slot < 0 || slot >= this.sums.length) continue
      // A non-finite loss (divergence) poisons its slot on purpose: the chart shows a gap there.
      const v = Number.isFinite(values[i]) ? values[i] : Number.NaN
      this.sums[slot] += v
      this.counts[slot] += 1
      this.recorded += 1
      if (slot + 1 > this.end) this.end = slot + 1
    }
  }

  /** Every filled slot as a point (x = first iteration of the slot). */
  points(): Point[] {
    const out: Point[] = []
    for (let s = 0; s < this.end; s++) {
      if (this.counts[s] > 0) out.push({ x: s * this.stride, y: this.sums[s] / this.counts[s] })
    }
    return out
  }
}

/**
 * Reduces a line to at most `maxPoints` points by keeping the lowest and the highest point of each bucket,
 * in order. Unlike averaging, this keeps the visible spread of a noisy mini-batch loss, which is part of
 * what the lessons show (a larger batch size gives a thinner band).
 */
export function decimateMinMax(points: readonly Point[], maxPoints = 1000): Point[] {
  if (points.length <= maxPoints) return points.slice()
  const buckets = Math.max(1, Math.floor(maxPoints / 2))
  const size = points.length / buckets
  const out: Point[] = []
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size)
    const stop = Math.min(points.length, Math.floor((b + 1) * size))
    let lo = -1
    let hi = -1
    for (let i = start; i < stop; i++) {
      const y = points[i].y
      if (Number.isNaN(y)) continue
      if (lo < 0 || y < points[lo].y) lo = i
      if (hi < 0 || y > points[hi].y) hi = i
    }
    if (lo < 0) {
      // A bucket of NaN only: keep one NaN point so the chart draws the gap.
      out.push(points[start])
    } else if (lo === hi) {
      out.push(points[lo])
    } else {
      out.push(points[Math.min(lo, hi)], points[Math.max(lo, hi)])
    }
  }
  return out
}
