/*
 * Images in [C, H, W] order (C = 1 grey, C = 3 RGB) as RGBA for a canvas: data images (bytes, or values in
 * [0, 1]) as they are, and signed weights (conv filters, first-layer units) on one scale centred on grey, so
 * every filter of a layer is drawn with the same scale and a weight of 0 is grey in all three channels.
 */

/** An image's planes: `values` holds channels × rows × cols numbers, channel after channel. */
export interface PlaneImage {
  values: ArrayLike<number>
  channels: number
  rows: number
  cols: number
}

/** How one value becomes a byte of its channel. */
export type ToByte = (value: number) => number

const clampByte = (v: number): number => (Number.isFinite(v) ? Math.min(255, Math.max(0, Math.round(v))) : 0)

/** Bytes 0–255, as stored. */
export const asByte: ToByte = (v) => clampByte(v)

/** Values in [0, 1] (what the engine feeds the network), scaled to bytes. */
export const unitToByte: ToByte = (v) => clampByte(v * 255)

/** Signed values on [−maxAbs, maxAbs] to bytes: 0 → 128 (grey), −maxAbs → 0, +maxAbs → 255; beyond saturates. */
export function signedToByte(maxAbs: number): ToByte {
  const scale = maxAbs > 0 ? 127.5 / maxAbs : 0
  return (v) => clampByte(127.5 + v * scale)
}

/**
 * RGBA bytes of a [C, H, W] image: one channel is grey, three are red, green and blue. Other channel
 * counts are not an image (a hidden layer's maps): they have no colour reading, so they are refused.
 */
export function planesToRgba(image: PlaneImage, toByte: ToByte): Uint8ClampedArray<ArrayBuffer> {
  const { values, channels, rows, cols } = image
  if (channels !== 1 && channels !== 3) throw new Error(`an image has 1 or 3 channels, not ${channels}`)
  const plane = rows * cols
  if (values.length < channels * plane) throw new Error(`a ${channels}×${rows}×${cols} image needs ${channels * plane} values, got ${values.length}`)
  const out = new Uint8ClampedArray(plane * 4)
  for (let p = 0; p < plane; p++) {
    const red = toByte(values[p])
    out[p * 4] = red
    out[p * 4 + 1] = channels === 3 ? toByte(values[plane + p]) : red
    out[p * 4 + 2] = channels === 3 ? toByte(values[2 * plane + p]) : red
    out[p * 4 + 3] = 255
  }
  return out
}

/** Nearest-neighbour enlargement of an RGBA image: every pixel becomes a cellWidth × cellHeight block. */
export function enlargeRgba(rgba: Uint8ClampedArray, rows: number, cols: number, cellWidth: number, cellHeight = cellWidth): Uint8ClampedArray<ArrayBuffer> {
  const width = cols * cellWidth
  const out = new Uint8ClampedArray(width * rows * cellHeight * 4)
  for (let r = 0; r < rows; r++) {
    // Build one enlarged row, then copy it cellHeight times.
    const rowStart = r * cellHeight * width * 4
    for (let c = 0; c < cols; c++) {
      const from = (r * cols + c) * 4
      for (let k = 0; k < cellWidth; k++) out.set(rgba.subarray(from, from + 4), rowStart + (c * cellWidth + k) * 4)
    }
    for (let k = 1; k < cellHeight; k++) out.copyWithin(rowStart + k * width * 4, rowStart, rowStart + width * 4)
  }
  return out
}

/** The largest |w| of a layer's filters ([F][C][H][W]): the one scale all of them are drawn on. */
export function layerMaxAbs(weights: readonly (readonly (readonly (readonly number[])[])[])[]): number {
  let max = 0
  for (const filter of weights)
    for (const channel of filter) for (const row of channel) for (const w of row) if (Number.isFinite(w)) max = Math.max(max, Math.abs(w))
  return max
}

/** A filter [C][H][W] as one flat [C, H, W] array (channel planes one after the other). */
export function flattenFilter(filter: readonly (readonly (readonly number[])[])[]): number[] {
  return filter.flatMap((channel) => channel.flat())
}

/** Can a [C, ...] tensor be drawn as a colour picture? Only an RGB image's three channels. */
export const isColourImage = (channels: number): boolean => channels === 3

/**
 * A robust scale for many images at once: the q-quantile of |v| (a few outliers would otherwise wash every
 * image out); larger values saturate.
 */
export function quantileMaxAbs(values: ArrayLike<number>, q = 0.995): number {
  const sizes = Array.from(values, Math.abs)
    .filter(Number.isFinite)
    .sort((a, b) => a - b)
  return sizes.length > 0 ? sizes[Math.min(sizes.length - 1, Math.floor(sizes.length * q))] : 0
}
