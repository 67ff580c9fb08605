/*
 * The input's 4×4 tiles turned by Bᵀ d B, the first step of both Winograd algorithms: F(2×2, 3×3) for the
 * forward pass (winograd.ts) and F(3×3, 2×2) for the weight gradient (winograd-gradient.ts, whose Bᵀ is
 * this one with its last row negated). Wrapped by f32/winograd-input.ts. All pointers are byte addresses.
 */

import { GEOMETRY_C, GEOMETRY_H, GEOMETRY_OH, GEOMETRY_OW, GEOMETRY_PAD, GEOMETRY_W } from '../../plan-layouts'

/**
 * V rows for images [imgStart, imgEnd) of x (image i's tiles are rows i·T … i·T + T − 1, T = ⌈oh/2⌉·⌈ow/2⌉);
 * each V[ξν] is `vMatrix` floats apart, rows of C values. Tiles over the padding read zeros there.
 *
 * A tile's 4×4 patch is four vector loads, each ANDed with a mask that zeroes the lanes outside the
 * image (a row above or below it loads a row inside, masked to nothing), so border tiles take the same
 * branch-free path as inner ones. The masked lanes may read a neighbouring row's values, or up to two
 * floats before x and three past its end (the memory always has that much slack); the mask makes them
 * +0, the value the padding has. Channels go four at a time: their 4 × 16 values are transposed so each
 * V[ξν] gets one vector store of four channels.
 */
export function winogradInput(geometry: usize, x: usize, v: usize, vMatrix: i32, imgStart: i32, imgEnd: i32): void {
  const c = load<i32>(geometry, GEOMETRY_C), h = load<i32>(geometry, GEOMETRY_H), w = load<i32>(geometry, GEOMETRY_W)
  const pad = load<i32>(geometry, GEOMETRY_PAD), oh = load<i32>(geometry, GEOMETRY_OH), ow = load<i32>(geometry, GEOMETRY_OW)
  const th = (oh + 1) >> 1, tw = (ow + 1) >> 1
  const planeBytes = <usize>(h * w) << 2
  const matrixBytes = <usize>vMatrix << 2
  const lanes = i32x4(0, 1, 2, 3)
  for (let img = imgStart; img < imgEnd; img++) {
    const image = x + <usize>img * <usize>c * planeBytes
    for (let ty = 0; ty < th; ty++) {
      const top = 2 * ty - pad
      for (let tx = 0; tx < tw; tx++) {
        const left = 2 * tx - pad
        // Lane j holds column left + j: kept when 0 ≤ left + j < w.
        const columns = i32x4.add(i32x4.splat(left), lanes)
        const columnMask = v128.and(i32x4.ge_s(columns, i32x4.splat(0)), i32x4.lt_s(columns, i32x4.splat(w)))
        const o0 = patchRowOffset(top, left, h, w), o1 = patchRowOffset(top + 1, left, h, w)
        const o2 = patchRowOffset(top + 2, left, h, w), o3 = patchRowOffset(top + 3, left, h, w)
        const m0 = rowMask(columnMask, top, h), m1 = rowMask(columnMask, top + 1, h)
        const m2 = rowMask(columnMask, top + 2, h), m3 = rowMask(columnMask, top + 3, h)
        const tile = (img * th + ty) * tw + tx
        let row = v + (<usize>tile * <usize>c << 2)
        let base = image
        let ch = 0
        for (; ch + 4 <= c; ch += 4) {
          // Column ν of channel ch + k's patch (lanes ξ), four channels, then transposed per ν so that lane
          // k of each stored vector is channel ch + k. (The compiler shares the loads and sums of a patch
          // between its four columns.)
          const p0 = base, p1 = base + planeBytes, p2 = base + 2 * planeBytes, p3 = base + 3 * planeBytes
          storeChannels(row, matrixBytes, 0,
            tileColumn(p0, o0, o1, o2, o3, m0, m1, m2, m3, 0), tileColumn(p1, o0, o1, o2, o3, m0, m1, m2, m3, 0),
            tileColumn(p2, o0, o1, o2, o3, m0, m1, m2, m3, 0), tileColumn(p3, o0, o1, o2, o3, m0, m1, m2, m3, 0))
          storeChannels(row, matrixBytes, 1,
            tileColumn(p0, o0, o1, o2, o3, m0, m1, m2, m3, 1), tileColumn(p1, o0, o1, o2, o3, m0, m1, m2, m3, 1),
            tileColumn(p2, o0, o1, o2, o3, m0, m1, m2, m3, 1), tileColumn(p3, o0, o1, o2, o3, m0, m1, m2, m3, 1))
          storeChannels(row, matrixBytes, 2,
            tileColumn(p0, o0, o1, o2, o3, m0, m1, m2, m3, 2), tileColumn(p1, o0, o1, o2, o3, m0, m1, m2, m3, 2),
            tileColumn(p2, o0, o1, o2, o3, m0, m1, m2, m3, 2), tileColumn(p3, o0, o1, o2, o3, m0, m1, m2, m3, 2))
          storeChannels(row, matrixBytes, 3,
            tileColumn(p0, o0, o1, o2, o3, m0, m1, m2, m3, 3), tileColumn(p1, o0, o1, o2, o3, m0, m1, m2, m3, 3),
            tileColumn(p2, o0, o1, o2, o3, m0, m1, m2, m3, 3), tileColumn(p3, o0, o1, o2, o3, m0, m1, m2, m3, 3))
          base += 4 * planeBytes
          row += 16
        }
        for (; ch < c; ch++) {
          storeColumn(row, matrixBytes, 0, tileColumn(base, o0, o1, o2, o3, m0, m1, m2, m3, 0))
          storeColumn(row, matrixBytes, 1, tileColumn(base, o0, o1, o2, o3, m0, m1, m2, m3, 1))
          storeColumn(row, matrixBytes, 2, tileColumn(base, o0, o1, o2, o3, m0, m1, m2, m3, 2))
          storeColumn(row, matrixBytes, 3, tileColumn(base, o0, o1, o2, o3, m0, m1, m2, m3, 3))
          base += planeBytes
          row += 4
        }
      }
    }
  }
}

/** Byte offset in a plane of image row y's four values from column `left` (a row inside when y is not). */
// @ts-ignore: decorator
@inline
function patchRowOffset(y: i32, left: i32, h: i32, w: i32): usize {
  const inside = y < 0 ? 0 : y >= h ? h - 1 : y
  return <usize>(<isize>(inside * w + left) << 2)
}

/** The column mask for image row y, or nothing when y is outside the image. */
// @ts-ignore: decorator
@inline
function rowMask(columnMask: v128, y: i32, h: i32): v128 {
  return y >= 0 && y < h ? columnMask : i32x4.splat(0)
}

/**
 * Column ν of Bᵀ d B for the patch at `plane` (rows at the four offsets, masked): its lane ξ is V[ξ][ν].
 * The arithmetic is the earlier per-row form's, in the same order, so the values are its bits.
 */
// @ts-ignore: decorator
@inline
function tileColumn(plane: usize, o0: usize, o1: usize, o2: usize, o3: usize, m0: v128, m1: v128, m2: v128, m3: v128, nu: i32): v128 {
  const d0 = v128.and(v128.load(plane + o0), m0), d1 = v128.and(v128.load(plane + o1), m1)
  const d2 = v128.and(v128.load(plane + o2), m2), d3 = v128.and(v128.load(plane + o3), m3)
  // Bᵀ d (rows), then the same across each row (on the transposed block).
  const t0 = f32x4.sub(d0, d2), t1 = f32x4.add(d1, d2), t2 = f32x4.sub(d2, d1), t3 = f32x4.sub(d1, d3)
  const lo01 = v128.shuffle<i32>(t0, t1, 0, 4, 1, 5), hi01 = v128.shuffle<i32>(t0, t1, 2, 6, 3, 7)
  const lo23 = v128.shuffle<i32>(t2, t3, 0, 4, 1, 5), hi23 = v128.shuffle<i32>(t2, t3, 2, 6, 3, 7)
  if (nu == 0) return f32x4.sub(v128.shuffle<i32>(lo01, lo23, 0, 1, 4, 5), v128.shuffle<i32>(hi01, hi23, 0, 1, 4, 5))
  if (nu == 1) return f32x4.add(v128.shuffle<i32>(lo01, lo23, 2, 3, 6, 7), v128.shuffle<i32>(hi01, hi23, 0, 1, 4, 5))
  if (nu == 2) return f32x4.sub(v128.shuffle<i32>(hi01, hi23, 0, 1, 4, 5), v128.shuffle<i32>(lo01, lo23, 2, 3, 6, 7))
  return f32x4.sub(v128.shuffle<i32>(lo01, lo23, 2, 3, 6, 7), v128.shuffle<i32>(hi01, hi23, 2, 3, 6, 7))
}

/** V[ξ·4 + ν] at `row` for four channels, from each channel's column ν (lanes ξ): a 4 × 4 transpose. */
// @ts-ignore: decorator
@inline
function storeChannels(row: usize, matrixBytes: usize, nu: i32, c0: v128, c1: v128, c2: v128, c3: v128): void {
  const lo01 = v128.shuffle<i32>(c0, c1, 0, 4, 1, 5), hi01 = v128.shuffle<i32>(c0, c1, 2, 6, 3, 7)
  const lo23 = v128.shuffle<i32>(c2, c3, 0, 4, 1, 5), hi23 = v128.shuffle<i32>(c2, c3, 2, 6, 3, 7)
  const at = row + <usize>nu * matrixBytes
  v128.store(at, v128.shuffle<i32>(lo01, lo23, 0, 1, 4, 5))
  v128.store(at + matrixBytes * 4, v128.shuffle<i32>(lo01, lo23, 2, 3, 6, 7))
  v128.store(at + matrixBytes * 8, v128.shuffle<i32>(hi01, hi23, 0, 1, 4, 5))
  v128.store(at + matrixBytes * 12, v128.shuffle<i32>(hi01, hi23, 2, 3, 6, 7))
}

/** V[ξ·4 + ν] at `row` (this tile and channel) for ξ = 0…3 from the lanes of u. */
// @ts-ignore: decorator
@inline
function storeColumn(row: usize, matrixBytes: usize, nu: i32, u: v128): void {
  const at = row + <usize>nu * matrixBytes
  store<f32>(at, f32x4.extract_lane(u, 0))
  store<f32>(at + matrixBytes * 4, f32x4.extract_lane(u, 1))
  store<f32>(at + matrixBytes * 8, f32x4.extract_lane(u, 2))
  store<f32>(at + matrixBytes * 12, f32x4.extract_lane(u, 3))
}
