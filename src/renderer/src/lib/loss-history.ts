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

  /** `stride` is given only when restoring a stored history (it must match the stored values). */
  constructor(totalIters: number, capacity = DEFAULT_LOSS_CAPACITY, stride?: number) {
    const total = Math.max(1, Math.floor(totalIters))
    this.stride = stride !== undefined && Number.isInteger(stride) && stride >= 1 ? stride : Math.max(1, Math.ceil((total + 1) / capacity))
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
      if (slot < this.settledUpTo) this.resetCache()
      this.sums[slot] += v
      this.counts[slot] += 1
      this.recorded += 1
      if (slot + 1 > this.end) this.end = slot + 1
    }
  }

  /** The slot means for storage: null where a slot is empty or its mean is not finite. */
  snapshot(): { stride: number; values: (number | null)[]; recorded: number } {
    const values: (number | null)[] = new Array(this.end)
    for (let s = 0; s < this.end; s++) {
      const mean = this.counts[s] > 0 ? this.sums[s] / this.counts[s] : Number.NaN
      values[s] = Number.isFinite(mean) ? mean : null
    }
    return { stride: this.stride, values, recorded: this.recorded }
  }

  /** A history from a snapshot; values beyond the planned total are dropped. */
  static restore(totalIters: number, snapshot: { stride: number; values: readonly (number | null)[]; recorded: number }): LossHistory {
    const history = new LossHistory(Math.max(totalIters, snapshot.values.length * snapshot.stride - 1), DEFAULT_LOSS_CAPACITY, snapshot.stride)
    const n = Math.min(snapshot.values.length, history.sums.length)
    for (let s = 0; s < n; s++) {
      const v = snapshot.values[s]
      if (v === null) continue
      history.sums[s] = v
      history.counts[s] = 1
      history.end = s + 1
    }
    history.resetCache()
    history.recorded = snapshot.recorded
    return history
  }

  /**
   * Every filled slot as a point (x = first iteration of the slot), in a new array. Redrawn ten times a
   * second, so the points of slots that can no longer change (all but the last filled one, as losses
   * arrive in order) are kept between calls instead of being rebuilt.
   */
  points(): Point[] {
    const settled = Math.max(0, this.end - 1)
    if (this.settledUpTo > settled) this.resetCache()
    for (let s = this.settledUpTo; s < settled; s++) {
      if (this.counts[s] > 0) this.settledPoints.push({ x: s * this.stride, y: this.sums[s] / this.counts[s] })
    }
    this.settledUpTo = settled
    const out = this.settledPoints.slice()
    const last = this.end - 1
    if (last >= 0 && this.counts[last] > 0) out.push({ x: last * this.stride, y: this.sums[last] / this.counts[last] })
    return out
  }

  private settledPoints: Point[] = []
  private settledUpTo = 0

  private resetCache(): void {
    this.settledPoints = []
    this.settledUpTo = 0
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
