import { Affine } from '../layers/affine'
import { Conv2D } from '../layers/conv2d'
import type { Network } from '../model/network'

/**
 * What a network's weights look like, for the Weights view: per weight (never biases) a histogram on the
 * layer's own range, one of log₁₀|w| on a fixed range (the same for every run, so runs compare), and how
 * many weights are "zero" (|w| < 1e-3); and the first affine layer's weights into each unit, as images.
 */
export const NEAR_ZERO = 1e-3
export const HISTOGRAM_BINS = 41
/** log₁₀|w| from 1e-6 to 10, in quarter decades. */
export const MAGNITUDE_RANGE = { lo: -6, hi: 1, bins: 28 } as const

export interface WeightHistogram {
  lo: number
  hi: number
  counts: number[]
}

export interface LayerWeightSummary {
  layer: string
  shape: number[]
  count: number
  nearZero: number
  /** Weights that are NaN or ±∞ (a diverged run); they are in no histogram. */
  nonFinite: number
  maxAbs: number
  histogram: WeightHistogram
  /** Histogram of log₁₀|w|; `below` counts |w| < 1e-6 (exact zeros included). */
  magnitude: WeightHistogram & { below: number }
}

export interface UnitImages {
  layer: string
  /** Channels (1 grey, 3 RGB), height and width of one image (the input's). */
  channels: number
  rows: number
  cols: number
  units: number
  /** How many units are included (the first ones), each channels·rows·cols values ([C, H, W]), unit after unit. */
  shown: number
  values: number[]
}

export function summarizeWeights(network: Network): LayerWeightSummary[] {
  const out: LayerWeightSummary[] = []
  for (const layer of network.layers) {
    if (!(layer instanceof Affine) && !(layer instanceof Conv2D)) continue
    const w = layer.W.value
    let maxAbs = 0
    let nearZero = 0
    let nonFinite = 0
    for (let k = 0; k < w.length; k++) {
      const a = Math.abs(w[k])
      if (!Number.isFinite(a)) {
        nonFinite++
        continue
      }
      if (a > maxAbs) maxAbs = a
      if (a < NEAR_ZERO) nearZero++
    }
    const span = maxAbs > 0 ? maxAbs : 1
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0)
    const magnitudes = new Array<number>(MAGNITUDE_RANGE.bins).fill(0)
    let below = 0
    const { lo, hi, bins } = MAGNITUDE_RANGE
    for (let k = 0; k < w.length; k++) {
      // A diverged run's NaN or ∞ weights are counted apart, never binned.
      if (!Number.isFinite(w[k])) continue
      counts[Math.min(HISTOGRAM_BINS - 1, Math.floor(((w[k] + span) / (2 * span)) * HISTOGRAM_BINS))]++
      const a = Math.abs(w[k])
      if (a < 10 ** lo) below++
      else magnitudes[Math.min(bins - 1, Math.floor(((Math.log10(a) - lo) / (hi - lo)) * bins))]++
    }
    out.push({
      layer: layer.name,
      shape: [...layer.W.shape],
      count: w.length,
      nearZero,
      nonFinite,
      maxAbs,
      histogram: { lo: -span, hi: span, counts },
      magnitude: { lo, hi, counts: magnitudes, below }
    })
  }
  return out
}

/**
 * The first affine layer's weights into each of its first `maxUnits` units, when its input is an image
 * (`imageShape` [C, H, W], the data's; without it, a square grey image if the input size is one).
 */
export function firstLayerUnits(network: Network, maxUnits: number, imageShape?: readonly number[]): UnitImages | null {
  const first = network.layers[0]
  if (!(first instanceof Affine)) return null
  const shape = imageShape ?? network.inputShape
  const [channels, rows, cols] = shape.length === 3 ? shape : [1, ...square(first.inputSize)]
  if (channels * rows * cols !== first.inputSize) return null
  const units = first.outputSize
  const shown = Math.min(units, maxUnits)
  const w = first.W.value
  const values = new Array<number>(shown * first.inputSize)
  for (let u = 0; u < shown; u++) {
    for (let i = 0; i < first.inputSize; i++) {
      const v = w[i * units + u]
      // A NaN or ∞ weight (a diverged run) is drawn as 0; the summary counts it.
      values[u * first.inputSize + i] = Number.isFinite(v) ? v : 0
    }
  }
  return { layer: first.name, channels, rows, cols, units, shown, values }
}

function square(n: number): [number, number] {
  const side = Math.round(Math.sqrt(n))
  return side * side === n ? [side, side] : [0, 0]
}

/** A conv layer's filters at one iteration, for the filters-over-time timeline. */
export interface FilterSnapshotLayer {
  layer: string
  shape: number[]
  values: number[]
}

/** Conv layers whose filters are small enough to snapshot at every evaluation (the first one always). */
export const SNAPSHOT_MAX_VALUES = 2500

export function convFilterSnapshot(network: Network): FilterSnapshotLayer[] {
  const convs = network.layers.filter((l): l is Conv2D => l instanceof Conv2D)
  // Filters that stopped being finite numbers (a diverged run) are not snapshotted.
  return convs
    .filter((conv, i) => (i === 0 || conv.W.value.length <= SNAPSHOT_MAX_VALUES) && conv.W.value.every(Number.isFinite))
    .map((conv) => ({ layer: conv.name, shape: [...conv.W.shape], values: Array.from(conv.W.value) }))
}
