import type { Point } from './loss-history'

/**
 * Smoothing for noisy mini-batch losses. The smoothed line is always drawn together with the raw one, so
 * the student sees both the trend and how much each batch varies around it.
 */

export type SmoothingKind = 'ema' | 'moving-average' | 'none'

export interface Smoothing {
  kind: SmoothingKind
  /** EMA weight of the past, 0 ≤ factor < 1 (0 = no smoothing), as TensorBoard's slider. */
  factor: number
  /** Moving average over this many points (trailing, so the line does not change as new points arrive). */
  window: number
}

export const DEFAULT_SMOOTHING: Smoothing = { kind: 'ema', factor: 0.9, window: 50 }

export const MAX_EMA_FACTOR = 0.999
export const MAX_WINDOW = 5000

/**
 * Exponential moving average with TensorBoard's debiasing: early points are not pulled towards zero.
 * A NaN (a diverged batch) gives NaN at that point and leaves the running average alone.
 */
export function emaSmooth(points: readonly Point[], factor: number): Point[] {
  const w = Math.min(MAX_EMA_FACTOR, Math.max(0, Number.isFinite(factor) ? factor : 0))
  const out: Point[] = new Array(points.length)
  let last = 0
  let n = 0
  for (let i = 0; i < points.length; i++) {
    const { x, y } = points[i]
    if (!Number.isFinite(y)) {
      out[i] = { x, y: Number.NaN }
      continue
    }
    last = last * w + (1 - w) * y
    n++
    const debias = w === 0 ? 1 : 1 - Math.pow(w, n)
    out[i] = { x, y: last / debias }
  }
  return out
}

/** Trailing moving average over the last `window` finite values (fewer at the start). */
export function movingAverage(points: readonly Point[], window: number): Point[] {
  const size = Math.max(1, Math.min(MAX_WINDOW, Math.floor(Number.isFinite(window) ? window : 1)))
  const out: Point[] = new Array(points.length)
  const finite: number[] = []
  let sum = 0
  for (let i = 0; i < points.length; i++) {
    const { x, y } = points[i]
    if (!Number.isFinite(y)) {
      out[i] = { x, y: Number.NaN }
      continue
    }
    finite.push(y)
    sum += y
    if (finite.length > size) sum -= finite[finite.length - 1 - size]
    out[i] = { x, y: sum / Math.min(size, finite.length) }
  }
  return out
}

export function smooth(points: readonly Point[], smoothing: Smoothing): Point[] {
  switch (smoothing.kind) {
    case 'ema':
      return emaSmooth(points, smoothing.factor)
    case 'moving-average':
      return movingAverage(points, smoothing.window)
    default:
      return points.slice()
  }
}

/** Settings read back from storage or a form: anything out of range falls back to the default. */
export function normalizeSmoothing(value: unknown): Smoothing {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Partial<Record<keyof Smoothing, unknown>>
  const kind = v.kind === 'ema' || v.kind === 'moving-average' || v.kind === 'none' ? v.kind : DEFAULT_SMOOTHING.kind
  const factor = typeof v.factor === 'number' && v.factor >= 0 && v.factor <= MAX_EMA_FACTOR ? v.factor : DEFAULT_SMOOTHING.factor
  const window = typeof v.window === 'number' && Number.isInteger(v.window) && v.window >= 1 && v.window <= MAX_WINDOW ? v.window : DEFAULT_SMOOTHING.window
  return { kind, factor, window }
}
