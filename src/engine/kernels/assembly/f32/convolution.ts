/*
 * A convolution's own loops in float32, wrapped by f32/convolution.ts: im2col and col2im, and the layout
 * changes (N, P, FN) ↔ (N, FN, P) with the bias and its gradient. Each gives the same bits as the
 * TypeScript loops (kernels/im2col.ts, col2im.ts, layers/conv2d.ts) and works on a range of images or
 * filters that belongs to it alone, so threads may split the work.
 *
 * All pointers are byte addresses in the (shared) memory; all sizes are element counts.
 */
import { GEOMETRY_C, GEOMETRY_FH, GEOMETRY_FW, GEOMETRY_H, GEOMETRY_OH, GEOMETRY_OW, GEOMETRY_PAD, GEOMETRY_STRIDE, GEOMETRY_W } from '../../plan-layouts'

// ---- im2col and col2im ------------------------------------------------------------------------------
// The course's unrolling (kernels/im2col.ts and col2im.ts, the oracle): the same order, the same float32
// additions, so the same bits. The geometry is ten i32 at `geometry`: n, c, h, w, fh, fw, stride, pad,
// oh, ow (plan-layouts.ts). Images [imgStart, imgEnd) only: each image's rows of col, and each image's pixels, belong to it
// alone, so threads may take images. (A convolution unrolls a few images at a time, into a matrix that
// stays in cache: it passes x from its first image on.)

/** Unrolls images [imgStart, imgEnd) of x (N, C, H, W) into their rows of col (N·OH·OW, C·FH·FW). */
export function im2col(geometry: usize, x: usize, col: usize, imgStart: i32, imgEnd: i32): void {
  const c = load<i32>(geometry, GEOMETRY_C), h = load<i32>(geometry, GEOMETRY_H), w = load<i32>(geometry, GEOMETRY_W)
  const fh = load<i32>(geometry, GEOMETRY_FH), fw = load<i32>(geometry, GEOMETRY_FW), stride = load<i32>(geometry, GEOMETRY_STRIDE), pad = load<i32>(geometry, GEOMETRY_PAD)
  const oh = load<i32>(geometry, GEOMETRY_OH), ow = load<i32>(geometry, GEOMETRY_OW)
  const plane = h * w
  let out = col + (<usize>imgStart * <usize>oh * <usize>ow * <usize>c * <usize>fh * <usize>fw << 2)
  for (let img = imgStart; img < imgEnd; img++) {
    const imageBase = x + (<usize>img * <usize>c * <usize>plane << 2)
    for (let oy = 0; oy < oh; oy++) {
      const top = oy * stride - pad
      const rowsInside = top >= 0 && top + fh <= h
      for (let ox = 0; ox < ow; ox++) {
        const left = ox * stride - pad
        if (rowsInside && left >= 0 && left + fw <= w) {
          // The whole window lies inside the image (most positions): plain copies, no checks.
          const from = imageBase + (<usize>(top * w + left) << 2)
          if (fw <= 4) out = copyWindowNarrow(from, out, c, fh, fw, w, plane)
          else {
            let channel = from
            for (let ch = 0; ch < c; ch++) {
              let row = channel
              for (let ky = 0; ky < fh; ky++) {
                for (let kx = 0; kx < fw; kx++) store<f32>(out + (<usize>kx << 2), load<f32>(row + (<usize>kx << 2)))
                out += <usize>fw << 2
                row += <usize>w << 2
              }
              channel += <usize>plane << 2
            }
          }
          continue
        }
        for (let ch = 0; ch < c; ch++) {
          const channelBase = imageBase + (<usize>ch * <usize>plane << 2)
          for (let ky = 0; ky < fh; ky++) {
            const y = top + ky
            if (y < 0 || y >= h) {
              for (let kx = 0; kx < fw; kx++) store<f32>(out + (<usize>kx << 2), 0)
              out += <usize>fw << 2
              continue
            }
            // Columns [inFrom, inTo) of the window lie inside the image; the others are padding.
            const rowBase = channelBase + (<usize>(y * w) << 2)
            const inFrom = min(fw, max(0, -left))
            const inTo = min(fw, w - left)
            for (let kx = 0; kx < inFrom; kx++) store<f32>(out + (<usize>kx << 2), 0)
            for (let kx = inFrom; kx < inTo; kx++) store<f32>(out + (<usize>kx << 2), load<f32>(rowBase + (<usize>(left + kx) << 2)))
            for (let kx = max(inFrom, inTo); kx < fw; kx++) store<f32>(out + (<usize>kx << 2), 0)
            out += <usize>fw << 2
          }
        }
      }
    }
  }
}

/**
 * One window of at most 4 columns, channel by channel and row by row, into its col row at `out`; returns
 * the end of that row. Every window row but the last is copied as one vector: the up to three values it
 * writes past itself belong to the next window row, which is written right after.
 */
function copyWindowNarrow(from: usize, out: usize, c: i32, fh: i32, fw: i32, w: i32, plane: i32): usize {
  const segments = c * fh
  const step = <usize>fw << 2
  let channel = from
  let done = 0
  for (let ch = 0; ch < c; ch++) {
    let row = channel
    for (let ky = 0; ky < fh; ky++) {
      if (++done < segments) v128.store(out, v128.load(row))
      else for (let kx = 0; kx < fw; kx++) store<f32>(out + (<usize>kx << 2), load<f32>(row + (<usize>kx << 2)))
      out += step
      row += <usize>w << 2
    }
    channel += <usize>plane << 2
  }
  return out
}

/** Adds images [imgStart, imgEnd)'s rows of col back onto their pixels of x, which it zeroes first. */
export function col2im(geometry: usize, col: usize, x: usize, imgStart: i32, imgEnd: i32): void {
  const c = load<i32>(geometry, GEOMETRY_C), h = load<i32>(geometry, GEOMETRY_H), w = load<i32>(geometry, GEOMETRY_W)
  const fh = load<i32>(geometry, GEOMETRY_FH), fw = load<i32>(geometry, GEOMETRY_FW), stride = load<i32>(geometry, GEOMETRY_STRIDE), pad = load<i32>(geometry, GEOMETRY_PAD)
  const oh = load<i32>(geometry, GEOMETRY_OH), ow = load<i32>(geometry, GEOMETRY_OW)
  const plane = h * w
  memory.fill(x + (<usize>imgStart * <usize>c * <usize>plane << 2), 0, <usize>(imgEnd - imgStart) * <usize>c * <usize>plane << 2)
  let from = col + (<usize>imgStart * <usize>oh * <usize>ow * <usize>c * <usize>fh * <usize>fw << 2)
  for (let img = imgStart; img < imgEnd; img++) {
    const imageBase = x + (<usize>img * <usize>c * <usize>plane << 2)
    for (let oy = 0; oy < oh; oy++) {
      const top = oy * stride - pad
      const rowsInside = top >= 0 && top + fh <= h
      for (let ox = 0; ox < ow; ox++) {
        const left = ox * stride - pad
        if (rowsInside && left >= 0 && left + fw <= w) {
          // The whole window lies inside the image: the same additions in the same order, no checks.
          let to = imageBase + (<usize>(top * w + left) << 2)
          for (let ch = 0; ch < c; ch++) {
            let row = to
            for (let ky = 0; ky < fh; ky++) {
              for (let kx = 0; kx < fw; kx++) {
                const at = row + (<usize>kx << 2)
                store<f32>(at, load<f32>(at) + load<f32>(from + (<usize>kx << 2)))
              }
              from += <usize>fw << 2
              row += <usize>w << 2
            }
            to += <usize>plane << 2
          }
          continue
        }
        for (let ch = 0; ch < c; ch++) {
          const channelBase = imageBase + (<usize>ch * <usize>plane << 2)
          for (let ky = 0; ky < fh; ky++) {
            const y = top + ky
            if (y < 0 || y >= h) {
              from += <usize>fw << 2
              continue
            }
            const rowBase = channelBase + (<usize>(y * w) << 2)
            for (let kx = 0; kx < fw; kx++) {
              const xx = left + kx
              if (xx >= 0 && xx < w) {
                const at = rowBase + (<usize>xx << 2)
                store<f32>(at, load<f32>(at) + load<f32>(from))
              }
              from += 4
            }
          }
        }
      }
    }
  }
}

// ---- Layout changes and the bias gradient ---------------------------------------------------------------

/** Positions per block of the layout changes: a block of both layouts stays in the first-level cache. */
const BLOCK: i32 = 64

// @ts-ignore: decorator
@inline
function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, column: i32): v128 {
  // Column `column` of the 4 × 4 block whose rows are r0…r3.
  const low01 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5)
  const high01 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7)
  const low23 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5)
  const high23 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7)
  if (column == 0) return v128.shuffle<i32>(low01, low23, 0, 1, 4, 5)
  if (column == 1) return v128.shuffle<i32>(low01, low23, 2, 3, 6, 7)
  if (column == 2) return v128.shuffle<i32>(high01, high23, 0, 1, 4, 5)
  return v128.shuffle<i32>(high01, high23, 2, 3, 6, 7)
}

/**
 * out (N, FN, P) = rows (N, P, FN) + the filter's bias, images [imgStart, imgEnd): numpy's
 * reshape(N, OH, OW, −1).transpose(0, 3, 1, 2) after the product, with the bias on the way. Blocks of
 * 4 positions × 4 filters are turned with shuffles; the edges go one value at a time.
 */
export function mapsFromRows(rows: usize, bias: usize, out: usize, positions: i32, filters: i32, imgStart: i32, imgEnd: i32): void {
  const rowStride = <usize>filters << 2
  const mapStride = <usize>positions << 2
  for (let img = imgStart; img < imgEnd; img++) {
    const rowBase = rows + (<usize>img * <usize>positions * <usize>filters << 2)
    const outBase = out + (<usize>img * <usize>filters * <usize>positions << 2)
    let p = 0
    for (; p + 4 <= positions; p += 4) {
      const from = rowBase + (<usize>p * rowStride)
      let f = 0
      for (; f + 4 <= filters; f += 4) {
        const at = from + (<usize>f << 2)
        const r0 = v128.load(at), r1 = v128.load(at + rowStride), r2 = v128.load(at + rowStride * 2), r3 = v128.load(at + rowStride * 3)
        const to = outBase + ((<usize>f * <usize>positions + <usize>p) << 2)
        v128.store(to, f32x4.add(transpose4(r0, r1, r2, r3, 0), v128.load32_splat(bias + (<usize>f << 2))))
        v128.store(to + mapStride, f32x4.add(transpose4(r0, r1, r2, r3, 1), v128.load32_splat(bias + (<usize>(f + 1) << 2))))
        v128.store(to + mapStride * 2, f32x4.add(transpose4(r0, r1, r2, r3, 2), v128.load32_splat(bias + (<usize>(f + 2) << 2))))
        v128.store(to + mapStride * 3, f32x4.add(transpose4(r0, r1, r2, r3, 3), v128.load32_splat(bias + (<usize>(f + 3) << 2))))
      }
      for (; f < filters; f++) {
        const b = load<f32>(bias + (<usize>f << 2))
        for (let q = p; q < p + 4; q++) store<f32>(outBase + ((<usize>f * <usize>positions + <usize>q) << 2), load<f32>(rowBase + ((<usize>q * <usize>filters + <usize>f) << 2)) + b)
      }
    }
    for (; p < positions; p++) {
      for (let f = 0; f < filters; f++) {
        store<f32>(outBase + ((<usize>f * <usize>positions + <usize>p) << 2), load<f32>(rowBase + ((<usize>p * <usize>filters + <usize>f) << 2)) + load<f32>(bias + (<usize>f << 2)))
      }
    }
  }
}

/** rows (N, P, FN) = dout (N, FN, P), images [imgStart, imgEnd): the output gradient in the product's row order. */
export function rowsFromMaps(dout: usize, rows: usize, positions: i32, filters: i32, imgStart: i32, imgEnd: i32): void {
  const rowStride = <usize>filters << 2
  const mapStride = <usize>positions << 2
  for (let img = imgStart; img < imgEnd; img++) {
    const rowBase = rows + (<usize>img * <usize>positions * <usize>filters << 2)
    const mapBase = dout + (<usize>img * <usize>filters * <usize>positions << 2)
    let f = 0
    for (; f + 4 <= filters; f += 4) {
      const from = mapBase + (<usize>f * mapStride)
      let p = 0
      for (; p + 4 <= positions; p += 4) {
        const at = from + (<usize>p << 2)
        const m0 = v128.load(at), m1 = v128.load(at + mapStride), m2 = v128.load(at + mapStride * 2), m3 = v128.load(at + mapStride * 3)
        const to = rowBase + ((<usize>p * <usize>filters + <usize>f) << 2)
        v128.store(to, transpose4(m0, m1, m2, m3, 0))
        v128.store(to + rowStride, transpose4(m0, m1, m2, m3, 1))
        v128.store(to + rowStride * 2, transpose4(m0, m1, m2, m3, 2))
        v128.store(to + rowStride * 3, transpose4(m0, m1, m2, m3, 3))
      }
      for (; p < positions; p++) {
        for (let g = f; g < f + 4; g++) store<f32>(rowBase + ((<usize>p * <usize>filters + <usize>g) << 2), load<f32>(mapBase + ((<usize>g * <usize>positions + <usize>p) << 2)))
      }
    }
    for (; f < filters; f++) {
      for (let p = 0; p < positions; p++) store<f32>(rowBase + ((<usize>p * <usize>filters + <usize>f) << 2), load<f32>(mapBase + ((<usize>f * <usize>positions + <usize>p) << 2)))
    }
  }
}

/**
 * db[f] for filters [fStart, fEnd) from dout (N, FN, P): each image's sum over the positions in float64,
 * added to db[f] image after image, as conv2d.ts sums them. Four images' sums run side by side (each
 * still in position order), so the adds do not wait on one another.
 */
export function filterSums(dout: usize, images: i32, positions: i32, filters: i32, db: usize, fStart: i32, fEnd: i32): void {
  const imageStride = <usize>filters * <usize>positions << 2
  for (let f = fStart; f < fEnd; f++) {
    let total: f32 = 0
    let img = 0
    for (; img + 4 <= images; img += 4) {
      let from = dout + ((<usize>img * <usize>filters + <usize>f) * <usize>positions << 2)
      let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0
      for (let p = 0; p < positions; p++) {
        s0 += <f64>load<f32>(from)
        s1 += <f64>load<f32>(from + imageStride)
        s2 += <f64>load<f32>(from + imageStride * 2)
        s3 += <f64>load<f32>(from + imageStride * 3)
        from += 4
      }
      total = <f32>(<f64>total + s0)
      total = <f32>(<f64>total + s1)
      total = <f32>(<f64>total + s2)
      total = <f32>(<f64>total + s3)
    }
    for (; img < images; img++) {
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
 * Inference's first convolution on one channel (pixels), 3×3 windows at stride 1, with the ReLU after it:
 * out (N, FN, oh, ow) = max(Σ x·w + b, 0), each sum over its window in im2col's column order from +0 by
 * the products' multiply-add, then the bias, then the ReLU — the bits of im2col · Wᵀ (products.ts's gemm),
 * mapsFromRows and reluForward in turn — without the im2col matrix or the product's rows. Four neighbouring
 * outputs of a row go in the lanes of a vector. Each image of [imgStart, imgEnd) is first copied into its
 * zero-bordered plane in `padded` ((h + 2·pad) × (w + 2·pad) floats and 8 of slack per image), so no
 * window needs a test; the lanes past a row's end read what follows and are not stored.
 */
export function convOneChannelRelu(geometry: usize, x: usize, w: usize, bias: usize, padded: usize, out: usize, filters: i32, imgStart: i32, imgEnd: i32): void {
  oneChannel(geometry, x, w, bias, padded, out, filters, imgStart, imgEnd, true)
}

/** Training's first convolution on one channel: convOneChannelRelu's sums and bias without the ReLU (the bits of im2col · Wᵀ, then mapsFromRows). */
export function convOneChannel(geometry: usize, x: usize, w: usize, bias: usize, padded: usize, out: usize, filters: i32, imgStart: i32, imgEnd: i32): void {
  oneChannel(geometry, x, w, bias, padded, out, filters, imgStart, imgEnd, false)
}

/** Both: a ReLU after the bias or not (a constant where each is inlined). */
// @ts-ignore: decorator
@inline
function oneChannel(geometry: usize, x: usize, w: usize, bias: usize, padded: usize, out: usize, filters: i32, imgStart: i32, imgEnd: i32, relu: bool): void {
  const h = load<i32>(geometry, GEOMETRY_H), width = load<i32>(geometry, GEOMETRY_W), pad = load<i32>(geometry, GEOMETRY_PAD)
  const oh = load<i32>(geometry, GEOMETRY_OH), ow = load<i32>(geometry, GEOMETRY_OW)
  const pw = width + 2 * pad
  const planeBytes = <usize>((h + 2 * pad) * pw + 8) << 2
  const rowBytes = <usize>pw << 2
  const mapBytes = <usize>(oh * ow) << 2
  const zero = f32x4.splat(0)
  for (let img = imgStart; img < imgEnd; img++) {
    const plane = padded + <usize>img * planeBytes
    memory.fill(plane, 0, planeBytes)
    const image = x + (<usize>(img * h * width) << 2)
    for (let y = 0; y < h; y++) memory.copy(plane + (<usize>((y + pad) * pw + pad) << 2), image + (<usize>(y * width) << 2), <usize>width << 2)
    const maps = out + <usize>img * <usize>filters * mapBytes
    for (let oy = 0; oy < oh; oy++) {
      const r0 = plane + <usize>oy * rowBytes, r1 = r0 + rowBytes, r2 = r1 + rowBytes
      for (let ox = 0; ox < ow; ox += 4) {
        const at = <usize>ox << 2
        const x0 = v128.load(r0 + at), x1 = v128.load(r0 + at, 4), x2 = v128.load(r0 + at, 8)
        const x3 = v128.load(r1 + at), x4 = v128.load(r1 + at, 4), x5 = v128.load(r1 + at, 8)
        const x6 = v128.load(r2 + at), x7 = v128.load(r2 + at, 4), x8 = v128.load(r2 + at, 8)
        const to = maps + (<usize>(oy * ow + ox) << 2)
        const lanes = min(4, ow - ox)
        for (let f = 0; f < filters; f++) {
          const k = w + <usize>(f * 9) * 4
          let sum = madd(x0, v128.load32_splat(k), zero)
          sum = madd(x1, v128.load32_splat(k, 4), sum)
          sum = madd(x2, v128.load32_splat(k, 8), sum)
          sum = madd(x3, v128.load32_splat(k, 12), sum)
          sum = madd(x4, v128.load32_splat(k, 16), sum)
          sum = madd(x5, v128.load32_splat(k, 20), sum)
          sum = madd(x6, v128.load32_splat(k, 24), sum)
          sum = madd(x7, v128.load32_splat(k, 28), sum)
          sum = madd(x8, v128.load32_splat(k, 32), sum)
          const biased = f32x4.add(sum, v128.load32_splat(bias + (<usize>f << 2)))
          const y = relu ? f32x4.max(biased, zero) : biased
          const dst = to + <usize>f * mapBytes
          if (lanes == 4) v128.store(dst, y)
          else {
            store<f32>(dst, f32x4.extract_lane(y, 0))
            if (lanes > 1) store<f32>(dst, f32x4.extract_lane(y, 1), 4)
            if (lanes > 2) store<f32>(dst, f32x4.extract_lane(y, 2), 8)
          }
        }
      }
    }
  }
}

/** x + a·b as products.ts's gemm takes it: fused (relaxed_madd) in the relaxed-SIMD build, else a multiply then an add. */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, x: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? f32x4.relaxed_madd(a, b, x) : f32x4.add(x, f32x4.mul(a, b))
}
