/*
 * The float32 layers' own loops, next to the matrix kernels (gemm-f32.ts re-exports them): a
 * convolution's layout changes and bias, ReLU and max pooling. Each gives the same bits as the layer's
 * TypeScript loops (the same float32 operations in the same order; the exceptions are named) and works
 * on a range, images or maps or elements, that belongs to it alone, so threads may split the work.
 *
 * All pointers are byte addresses in the (shared) memory; all sizes are element counts.
 */

/** Positions per block of the layout changes: a block of both layouts stays in the first-level cache. */
const BLOCK: i32 = 64

/**
 * out (N, FN, P) = rows (N, P, FN) + the filter's bias, images [imgStart, imgEnd): numpy's
 * reshape(N, OH, OW, −1).transpose(0, 3, 1, 2) after the product, with the bias on the way.
 */
export function mapsFromRows(rows: usize, bias: usize, out: usize, positions: i32, filters: i32, imgStart: i32, imgEnd: i32): void {
  const rowStride = <usize>filters << 2
  for (let img = imgStart; img < imgEnd; img++) {
    const rowBase = rows + (<usize>img * <usize>positions * <usize>filters << 2)
    const outBase = out + (<usize>img * <usize>filters * <usize>positions << 2)
    for (let p0 = 0; p0 < positions; p0 += BLOCK) {
      const p1 = min(positions, p0 + BLOCK)
      for (let f = 0; f < filters; f++) {
        const b = load<f32>(bias + (<usize>f << 2))
        let from = rowBase + ((<usize>p0 * <usize>filters + <usize>f) << 2)
        let to = outBase + ((<usize>f * <usize>positions + <usize>p0) << 2)
        for (let p = p0; p < p1; p++) {
          store<f32>(to, load<f32>(from) + b)
          from += rowStride
          to += 4
        }
      }
    }
  }
}

/** rows (N, P, FN) = dout (N, FN, P), images [imgStart, imgEnd): the output gradient in the product's row order. */
export function rowsFromMaps(dout: usize, rows: usize, positions: i32, filters: i32, imgStart: i32, imgEnd: i32): void {
  const rowStride = <usize>filters << 2
  for (let img = imgStart; img < imgEnd; img++) {
    const rowBase = rows + (<usize>img * <usize>positions * <usize>filters << 2)
    const mapBase = dout + (<usize>img * <usize>filters * <usize>positions << 2)
    for (let p0 = 0; p0 < positions; p0 += BLOCK) {
      const p1 = min(positions, p0 + BLOCK)
      for (let f = 0; f < filters; f++) {
        let from = mapBase + ((<usize>f * <usize>positions + <usize>p0) << 2)
        let to = rowBase + ((<usize>p0 * <usize>filters + <usize>f) << 2)
        for (let p = p0; p < p1; p++) {
          store<f32>(to, load<f32>(from))
          from += 4
          to += rowStride
        }
      }
    }
  }
}

/**
 * db[f] for filters [fStart, fEnd) from dout (N, FN, P): each image's sum over the positions in float64,
 * added to db[f] image after image, as conv2d.ts sums them.
 */
export function filterSums(dout: usize, images: i32, positions: i32, filters: i32, db: usize, fStart: i32, fEnd: i32): void {
  for (let f = fStart; f < fEnd; f++) {
    let total: f32 = 0
    for (let img = 0; img < images; img++) {
      let from = dout + ((<usize>img * <usize>filters + <usize>f) * <usize>positions << 2)
      let sum: f64 = 0
      for (let p = 0; p < positions; p++) {
        sum += <f64>load<f32>(from)
        from += 4
      }
      total = <f32>(<f64>total + sum)
    }
    store<f32>(db + (<usize>f << 2), total)
  }
}

/**
 * y = max(x, 0) for elements [start, end). The same bits as relu.ts's (x + |x|)·½ for every finite x
 * and NaN; −Inf gives 0 here (as numpy's mask does) where that formula gives NaN.
 */
export function reluForward(x: usize, y: usize, start: i32, end: i32): void {
  const zero = f32x4.splat(0)
  let i = start
  for (; i + 4 <= end; i += 4) v128.store(y + (<usize>i << 2), f32x4.max(v128.load(x + (<usize>i << 2)), zero))
  for (; i < end; i++) store<f32>(y + (<usize>i << 2), max(load<f32>(x + (<usize>i << 2)), 0))
}

/** dx = g · (x > 0 ? 1 : 0) for elements [start, end), as relu.ts (g · 0 keeps g's sign). */
export function reluBackward(x: usize, g: usize, dx: usize, start: i32, end: i32): void {
  const zero = f32x4.splat(0)
  const one = f32x4.splat(1)
  let i = start
  for (; i + 4 <= end; i += 4) {
    const at = <usize>i << 2
    const gate = v128.and(f32x4.gt(v128.load(x + at), zero), one)
    v128.store(dx + at, f32x4.mul(v128.load(g + at), gate))
  }
  for (; i < end; i++) {
    const at = <usize>i << 2
    store<f32>(dx + at, load<f32>(g + at) * (load<f32>(x + at) > 0 ? <f32>1 : <f32>0))
  }
}

/**
 * Max pooling of maps [mapStart, mapEnd) (a map = one channel of one image), as max-pool.ts: the first
 * maximum in window order, padding zeros taking part; argmax holds its input index, or −1 for padding.
 * The geometry is ten i32: n, c, h, w, size, size, stride, pad, oh, ow.
 */
export function maxPoolForward(geometry: usize, x: usize, out: usize, argmax: usize, mapStart: i32, mapEnd: i32): void {
  const h = load<i32>(geometry, 8), w = load<i32>(geometry, 12), size = load<i32>(geometry, 16)
  const stride = load<i32>(geometry, 24), pad = load<i32>(geometry, 28), oh = load<i32>(geometry, 32), ow = load<i32>(geometry, 36)
  let o = <usize>mapStart * <usize>oh * <usize>ow
  for (let map = mapStart; map < mapEnd; map++) {
    const base = map * h * w
    for (let oy = 0; oy < oh; oy++) {
      const top = oy * stride - pad
      for (let ox = 0; ox < ow; ox++) {
        const left = ox * stride - pad
        let best = -Infinity as f32
        let arg = -1
        if (top >= 0 && top + size <= h && left >= 0 && left + size <= w) {
          for (let ky = 0; ky < size; ky++) {
            const rowIndex = base + (top + ky) * w + left
            for (let kx = 0; kx < size; kx++) {
              const v = load<f32>(x + (<usize>(rowIndex + kx) << 2))
              if (v > best) {
                best = v
                arg = rowIndex + kx
              }
            }
          }
        } else {
          for (let ky = 0; ky < size; ky++) {
            const y = top + ky
            for (let kx = 0; kx < size; kx++) {
              const xx = left + kx
              const inside = y >= 0 && y < h && xx >= 0 && xx < w
              const v: f32 = inside ? load<f32>(x + (<usize>(base + y * w + xx) << 2)) : 0
              if (v > best) {
                best = v
                arg = inside ? base + y * w + xx : -1
              }
            }
          }
        }
        store<f32>(out + (o << 2), best)
        store<i32>(argmax + (o << 2), arg)
        o++
      }
    }
  }
}

/**
 * dx of maps [mapStart, mapEnd): zeroed, then each output's gradient added at its maximum's index
 * (overlapping windows add, in output order), as max-pool.ts. A map's maxima lie in that map.
 */
export function maxPoolBackward(dout: usize, argmax: usize, dx: usize, mapSize: i32, outsPerMap: i32, mapStart: i32, mapEnd: i32): void {
  memory.fill(dx + (<usize>mapStart * <usize>mapSize << 2), 0, <usize>(mapEnd - mapStart) * <usize>mapSize << 2)
  const end = <usize>mapEnd * <usize>outsPerMap
  for (let o = <usize>mapStart * <usize>outsPerMap; o < end; o++) {
    const arg = load<i32>(argmax + (o << 2))
    if (arg >= 0) {
      const at = dx + (<usize>arg << 2)
      store<f32>(at, load<f32>(at) + load<f32>(dout + (o << 2)))
    }
  }
}
