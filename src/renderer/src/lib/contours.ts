import { contours } from 'd3-contour'

/**
 * Contour lines and filled bands of a grid of values (d3-contour's marching squares), as SVG path data in
 * plot coordinates. The grid is row-major from the bottom row: values[j·nx + i] is the value at
 * (xRange[0] + i·Δx, yRange[0] + j·Δy), so grid points sit on the plot's corners and edges.
 */
export interface Grid {
  values: ArrayLike<number | null>
  nx: number
  ny: number
  xRange: readonly [number, number]
  yRange: readonly [number, number]
}

export interface Frame {
  width: number
  height: number
  xRange: readonly [number, number]
  yRange: readonly [number, number]
}

export interface ContourBand {
  value: number
  d: string
}

export function sx(frame: Frame, x: number): number {
  return ((x - frame.xRange[0]) / (frame.xRange[1] - frame.xRange[0])) * frame.width
}

export function sy(frame: Frame, y: number): number {
  return frame.height - ((y - frame.yRange[0]) / (frame.yRange[1] - frame.yRange[0])) * frame.height
}

/**
 * One path per threshold: the region where the value is ≥ it. Drawn lowest first and filled, they make
 * filled contours; stroked, contour lines. Missing values (null, NaN, ±∞: a loss that overflowed) count as
 * higher than every threshold, so they sit inside the outermost band rather than opening holes.
 */
export function contourBands(grid: Grid, thresholds: readonly number[], frame: Frame): ContourBand[] {
  const finite = Array.from(grid.values, (v) => (v !== null && Number.isFinite(v) ? v : Infinity))
  const ceiling = Math.max(...thresholds) + 1
  const values = finite.map((v) => (v === Infinity ? ceiling : v))
  const generator = contours()
    .size([grid.nx, grid.ny])
    .thresholds([...thresholds])
  // d3 places value i at i + 0.5: map that back to the grid's data coordinates.
  const gx = (c: number) => grid.xRange[0] + ((c - 0.5) / (grid.nx - 1)) * (grid.xRange[1] - grid.xRange[0])
  const gy = (c: number) => grid.yRange[0] + ((c - 0.5) / (grid.ny - 1)) * (grid.yRange[1] - grid.yRange[0])
  return generator(values).map((multi) => ({
    value: multi.value,
    d: multi.coordinates
      .flatMap((polygon) =>
        polygon.map(
          (ring) =>
            ring
              .map(
                ([cx, cy], k) =>
                  `${k === 0 ? 'M' : 'L'}${sx(frame, clampTo(gx(cx), grid.xRange)).toFixed(1)},${sy(frame, clampTo(gy(cy), grid.yRange)).toFixed(1)}`
              )
              .join('') + 'Z'
        )
      )
      .join('')
  }))
}

function clampTo(v: number, [lo, hi]: readonly [number, number]): number {
  return Math.min(hi, Math.max(lo, v))
}

/** `count` levels between the grid's smallest and largest finite value, spaced evenly or geometrically. */
export function levels(values: ArrayLike<number | null>, count: number, spacing: 'linear' | 'log'): number[] {
  let lo = Infinity
  let hi = -Infinity
  for (let k = 0; k < values.length; k++) {
    const v = values[k]
    if (v === null || !Number.isFinite(v)) continue
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
  }
  if (!(hi > lo)) return []
  if (spacing === 'log' && lo > 0) {
    return Array.from({ length: count }, (_, k) => lo * (hi / lo) ** ((k + 0.5) / count))
  }
  return Array.from({ length: count }, (_, k) => lo + ((hi - lo) * (k + 0.5)) / count)
}

/** A perceptually ordered ramp (dark blue, low, to yellow, high), t in [0, 1]. */
const RAMP: Array<[number, number, number]> = [
  [32, 30, 100],
  [40, 90, 150],
  [35, 145, 140],
  [95, 190, 100],
  [250, 230, 80]
]

export function rampColor(t: number): string {
  const x = Math.max(0, Math.min(1, t)) * (RAMP.length - 1)
  const i = Math.min(RAMP.length - 2, Math.floor(x))
  const f = x - i
  const [r, g, b] = RAMP[i].map((c, k) => Math.round(c + (RAMP[i + 1][k] - c) * f))
  return `rgb(${r},${g},${b})`
}
