/*
 * One colour scale per map. A signed map is drawn on [−m, m] with m = max |value|, blue for negative,
 * white for 0, red for positive (so the two sides are comparable and 0 is the page's white). A magnitude map
 * is drawn on [0, max] from white to dark red. The legend shows the same range with its ends and middle.
 */
import type { MapKind } from './methods'

export type Rgb = readonly [number, number, number]

export interface MapRange {
  lo: number
  hi: number
}

/** Blue – white – red (ColorBrewer RdBu, reversed so red = positive). */
export const DIVERGING_STOPS: readonly Rgb[] = [
  [33, 102, 172],
  [103, 169, 207],
  [247, 247, 247],
  [239, 138, 98],
  [178, 24, 43]
]

/** White – orange – dark red (ColorBrewer OrRd). */
export const SEQUENTIAL_STOPS: readonly Rgb[] = [
  [255, 247, 236],
  [253, 212, 158],
  [252, 141, 89],
  [215, 48, 31],
  [127, 0, 0]
]

export function stopsOf(kind: MapKind): readonly Rgb[] {
  return kind === 'signed' ? DIVERGING_STOPS : SEQUENTIAL_STOPS
}

/** The range a map is drawn on: symmetric around 0 when signed, from 0 when a magnitude. Non-finite values are skipped. */
export function mapRange(map: ArrayLike<number>, kind: MapKind): MapRange {
  let maxAbs = 0
  let max = 0
  for (let i = 0; i < map.length; i++) {
    const v = map[i]
    if (!Number.isFinite(v)) continue
    maxAbs = Math.max(maxAbs, Math.abs(v))
    max = Math.max(max, v)
  }
  return kind === 'signed' ? { lo: -maxAbs, hi: maxAbs } : { lo: 0, hi: max }
}

/**
 * Where a value sits on the scale, 0…1, clamped. An all-zero map has an empty range: every value is then
 * drawn as 0 is (the middle of a diverging scale, the start of a sequential one).
 */
export function scalePosition(value: number, range: MapRange): number {
  const width = range.hi - range.lo
  const zero = range.lo < 0 ? 0.5 : 0
  if (!(width > 0) || !Number.isFinite(value)) return zero
  return Math.min(1, Math.max(0, (value - range.lo) / width))
}

/** The colour at position t (0…1) of a scale, interpolated linearly between its evenly spaced stops. */
export function colourAt(stops: readonly Rgb[], t: number): Rgb {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1)
  const i = Math.min(stops.length - 2, Math.floor(x))
  const f = x - i
  const a = stops[i]
  const b = stops[i + 1]
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)]
}

/** How strongly a position stands out from "nothing": the distance from 0's position, 0…1. */
export function strengthAt(t: number, kind: MapKind): number {
  return kind === 'signed' ? Math.min(1, Math.abs(t - 0.5) * 2) : Math.min(1, Math.max(0, t))
}

/** A map (H×W values) as opaque RGBA on its scale. */
export function mapToRgba(map: ArrayLike<number>, kind: MapKind, range: MapRange): Uint8ClampedArray<ArrayBuffer> {
  const stops = stopsOf(kind)
  const out = new Uint8ClampedArray(map.length * 4)
  for (let i = 0; i < map.length; i++) {
    const [r, g, b] = colourAt(stops, scalePosition(map[i], range))
    out[i * 4] = r
    out[i * 4 + 1] = g
    out[i * 4 + 2] = b
    out[i * 4 + 3] = 255
  }
  return out
}

/** A horizontal strip of the scale, `width` pixels wide and 1 high (the legend's bar; CSS stretches it). */
export function legendStrip(kind: MapKind, width: number): Uint8ClampedArray<ArrayBuffer> {
  const stops = stopsOf(kind)
  const out = new Uint8ClampedArray(width * 4)
  for (let x = 0; x < width; x++) {
    const [r, g, b] = colourAt(stops, width === 1 ? 0 : x / (width - 1))
    out.set([r, g, b, 255], x * 4)
  }
  return out
}

/** The legend's labels: both ends and the middle (0 on a signed scale). */
export function legendTicks(range: MapRange): [number, number, number] {
  return [range.lo, (range.lo + range.hi) / 2, range.hi]
}

/** A map value for a legend: 3 significant digits, exponent form for very small or large values. */
export function formatMapValue(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return value === 0 ? '0' : String(value)
  const magnitude = Math.abs(value)
  if (magnitude < 1e-3 || magnitude >= 1e5) return value.toExponential(2)
  return Number(value.toPrecision(3)).toString()
}
