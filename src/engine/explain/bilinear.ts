/**
 * Bilinear resampling of an h×w map to H×W with half-pixel centres: output pixel (y, x) samples the
 * source at ((y + ½)·h/H − ½, (x + ½)·w/W − ½), clamped to the source's edge pixels — what PyTorch's
 * interpolate(mode='bilinear', align_corners=False) and OpenCV's resize do.
 */
export function upsampleBilinear(source: ArrayLike<number>, h: number, w: number, height: number, width: number): Float64Array {
  const result = new Float64Array(height * width)
  for (let y = 0; y < height; y++) {
    const [y0, y1, fy] = sourceCoordinate(y, h, height)
    for (let x = 0; x < width; x++) {
      const [x0, x1, fx] = sourceCoordinate(x, w, width)
      const top = source[y0 * w + x0] * (1 - fx) + source[y0 * w + x1] * fx
      const bottom = source[y1 * w + x0] * (1 - fx) + source[y1 * w + x1] * fx
      result[y * width + x] = top * (1 - fy) + bottom * fy
    }
  }
  return result
}

/** The two source indices around output index `i` and the weight of the second. */
function sourceCoordinate(i: number, from: number, to: number): [number, number, number] {
  const s = Math.min(Math.max((i + 0.5) * (from / to) - 0.5, 0), from - 1)
  const lower = Math.floor(s)
  return [lower, Math.min(lower + 1, from - 1), s - lower]
}
