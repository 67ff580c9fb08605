import type { Planes } from './pixels'

/*
 * Resizing by area averaging: each output pixel is the mean of the input it covers, each input pixel
 * weighted by the area of it under the output pixel. Works for any ratio, up or down, and the two axes
 * are separable. Coordinates are scaled by the other side's length, so every overlap is an integer and
 * the sums are exact integers (at most 255 · 50 megapixels, far below 2^53): the only rounding is the
 * last one, round half up of the exact mean, and every host gives the same bytes.
 */

/** The planes resized to height × width (a copy even when the size is unchanged). */
export function resizePlanes(planes: Planes, height: number, width: number): Planes {
  const { channels, height: inHeight, width: inWidth, data } = planes
  if (inHeight === height && inWidth === width) return { ...planes, data: data.slice(0, channels * height * width) }
  const across = axisWeights(inWidth, width)
  const down = axisWeights(inHeight, height)
  const total = inWidth * inHeight
  const out = new Uint8Array(channels * height * width)
  const rowSums = new Float64Array(inHeight * width)
  const acc = new Float64Array(width)
  for (let c = 0; c < channels; c++) {
    sumAcross(data, c * inHeight * inWidth, inHeight, inWidth, across, rowSums)
    const outPlane = c * height * width
    for (let y = 0; y < height; y++) {
      acc.fill(0)
      const first = down.first[y]
      for (let k = 0, at = down.offset[y]; k < down.count[y]; k++, at++) {
        const weight = down.weights[at]
        const row = (first + k) * width
        for (let x = 0; x < width; x++) acc[x] += rowSums[row + x] * weight
      }
      const outRow = outPlane + y * width
      for (let x = 0; x < width; x++) out[outRow + x] = Math.round(acc[x] / total)
    }
  }
  return { channels, height, width, data: out }
}

/** Which inputs each output of one axis covers, and by how much (in units of 1 / outLength of an input pixel). */
export interface AxisWeights {
  first: Int32Array
  count: Int32Array
  /** where output o's weights start in `weights` */
  offset: Int32Array
  weights: Float64Array
}

/**
 * Input pixel i spans [i·m, (i+1)·m) and output pixel o spans [o·n, (o+1)·n) (n inputs, m outputs), so
 * the overlaps are integers and each output's weights sum to n.
 */
export function axisWeights(n: number, m: number): AxisWeights {
  const first = new Int32Array(m)
  const count = new Int32Array(m)
  const offset = new Int32Array(m)
  const weights: number[] = []
  for (let o = 0; o < m; o++) {
    const start = o * n
    const end = start + n
    const i0 = Math.floor(start / m)
    const i1 = Math.ceil(end / m) // exclusive
    first[o] = i0
    count[o] = i1 - i0
    offset[o] = weights.length
    for (let i = i0; i < i1; i++) weights.push(Math.min(end, (i + 1) * m) - Math.max(start, i * m))
  }
  return { first, count, offset, weights: Float64Array.from(weights) }
}

/** rowSums[y·m + o] = Σ input(y, i) · weight(o, i) for one plane. */
function sumAcross(data: Uint8Array, planeStart: number, rows: number, cols: number, across: AxisWeights, rowSums: Float64Array): void {
  const m = across.first.length
  for (let y = 0; y < rows; y++) {
    const rowStart = planeStart + y * cols
    for (let o = 0; o < m; o++) {
      let sum = 0
      const from = rowStart + across.first[o]
      for (let k = 0, at = across.offset[o]; k < across.count[o]; k++, at++) sum += data[from + k] * across.weights[at]
      rowSums[y * m + o] = sum
    }
  }
}
