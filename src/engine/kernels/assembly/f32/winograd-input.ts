/*
 * The input's 4×4 tiles turned by Bᵀ d B, the first step of both Winograd algorithms: F(2×2, 3×3) for the
 * forward pass (winograd.ts) and F(3×3, 2×2) for the weight gradient (winograd-gradient.ts, whose Bᵀ is
 * this one with its last row negated). Wrapped by f32/winograd-input.ts. All pointers are byte addresses.
 */

import { GEOMETRY_C, GEOMETRY_H, GEOMETRY_OH, GEOMETRY_OW, GEOMETRY_PAD, GEOMETRY_W, WINOGRAD_TILES } from '../../plan-layouts'

/**
 * V for images [imgStart, imgEnd) of x. Each V[ξν] (`vMatrix` floats apart) is C × R, channel by
 * channel, R the chunk's tiles (the plan's) in order (image i's tiles are i·T … i·T + T − 1,
 * T = ⌈oh/2⌉·⌈ow/2⌉): the products read it as T × C through strides (gemm's A), and the weight gradient
 * as C × T. Tiles over the padding read zeros there.
 *
 * Four neighbouring tiles of a row of tiles go together, one per lane: their 4 × 10 input values are
 * three vector loads per row (a row above or below the image loads a row inside, masked to nothing), so
 * each V[ξν] gets one vector store of four tiles, with no transposes. Masks zero the lanes outside the
 * image; those lanes may read a neighbouring row's values, or up to two floats before x and ten past its
 * end (the memory keeps 64 bytes past the last operand). The arithmetic is Bᵀ d B's in the order it has
 * always had (rows, then columns), so V's bits do not depend on the layout.
 */
export function winogradInput(plan: usize, x: usize, v: usize, vMatrix: i32, imgStart: i32, imgEnd: i32): void {
  const c = load<i32>(plan, GEOMETRY_C), h = load<i32>(plan, GEOMETRY_H), w = load<i32>(plan, GEOMETRY_W)
  const pad = load<i32>(plan, GEOMETRY_PAD), oh = load<i32>(plan, GEOMETRY_OH), ow = load<i32>(plan, GEOMETRY_OW)
  const th = (oh + 1) >> 1, tw = (ow + 1) >> 1
  const rows = load<i32>(plan, WINOGRAD_TILES)
  const planeBytes = <usize>(h * w) << 2
  const mb = <usize>vMatrix << 2
  const lanes = i32x4(0, 1, 2, 3)
  const zero = i32x4.splat(0), width = i32x4.splat(w)
  for (let img = imgStart; img < imgEnd; img++) {
    for (let ch = 0; ch < c; ch++) {
      const plane = x + <usize>(img * c + ch) * planeBytes
      const channelRow = v + (<usize>(ch * rows + img * th * tw) << 2)
      for (let ty = 0; ty < th; ty++) {
        const top = 2 * ty - pad
        const r0 = rowStart(plane, top, h, w), r1 = rowStart(plane, top + 1, h, w)
        const r2 = rowStart(plane, top + 2, h, w), r3 = rowStart(plane, top + 3, h, w)
        const in0 = rowInside(top, h), in1 = rowInside(top + 1, h), in2 = rowInside(top + 2, h), in3 = rowInside(top + 3, h)
        const outRow = channelRow + (<usize>(ty * tw) << 2)
        for (let tx = 0; tx < tw; tx += 4) {
          const left = 2 * tx - pad
          // Columns left … left + 11 in three vectors; a lane is kept when its column is inside the image.
          const colA = i32x4.add(i32x4.splat(left), lanes)
          const colB = i32x4.add(colA, i32x4.splat(4)), colC = i32x4.add(colA, i32x4.splat(8))
          const mA = v128.and(i32x4.ge_s(colA, zero), i32x4.lt_s(colA, width))
          const mB = v128.and(i32x4.ge_s(colB, zero), i32x4.lt_s(colB, width))
          const mC = v128.and(i32x4.ge_s(colC, zero), i32x4.lt_s(colC, width))
          const offset = <usize>(<isize>left << 2)
          // Row ξ of Bᵀ d (d0 − d2, d1 + d2, d2 − d1, d1 − d3), on each of the three column vectors.
          const a0 = rowPart(r0, offset, 0, mA, in0), a1 = rowPart(r1, offset, 0, mA, in1), a2 = rowPart(r2, offset, 0, mA, in2), a3 = rowPart(r3, offset, 0, mA, in3)
          const b0 = rowPart(r0, offset, 16, mB, in0), b1 = rowPart(r1, offset, 16, mB, in1), b2 = rowPart(r2, offset, 16, mB, in2), b3 = rowPart(r3, offset, 16, mB, in3)
          const c0 = rowPart(r0, offset, 32, mC, in0), c1 = rowPart(r1, offset, 32, mC, in1), c2 = rowPart(r2, offset, 32, mC, in2), c3 = rowPart(r3, offset, 32, mC, in3)
          const at = outRow + (<usize>tx << 2)
          const count = min(4, tw - tx)
          tileRow(at, mb, 0, f32x4.sub(a0, a2), f32x4.sub(b0, b2), f32x4.sub(c0, c2), count)
          tileRow(at, mb, 1, f32x4.add(a1, a2), f32x4.add(b1, b2), f32x4.add(c1, c2), count)
          tileRow(at, mb, 2, f32x4.sub(a2, a1), f32x4.sub(b2, b1), f32x4.sub(c2, c1), count)
          tileRow(at, mb, 3, f32x4.sub(a1, a3), f32x4.sub(b1, b3), f32x4.sub(c1, c3), count)
        }
      }
    }
  }
}

/** Where image row y starts in a plane (a row inside when y is not: its values are masked away). */
// @ts-ignore: decorator
@inline
function rowStart(plane: usize, y: i32, h: i32, w: i32): usize {
  const inside = y < 0 ? 0 : y >= h ? h - 1 : y
  return plane + (<usize>(inside * w) << 2)
}

/** All lanes when image row y exists, none when it is padding. */
// @ts-ignore: decorator
@inline
function rowInside(y: i32, h: i32): v128 {
  return y >= 0 && y < h ? i32x4.splat(-1) : i32x4.splat(0)
}

/** Four values of a row from column `offset` (bytes, may be negative) + `at`, masked to the image. */
// @ts-ignore: decorator
@inline
function rowPart(row: usize, offset: usize, at: usize, columns: v128, inside: v128): v128 {
  return v128.and(v128.load(row + offset + at), v128.and(columns, inside))
}

/**
 * V[ξ·4 + ν] for four tiles from row ξ of Bᵀ d over columns left … left + 11 (tA, tB, tC): tile k's
 * column j is lane 2k + j, so the columns are split into even and odd ones, then ν = 0…3 is
 * (j0 − j2, j1 + j2, j2 − j1, j1 − j3). `count` (1–4) tiles are stored.
 */
// @ts-ignore: decorator
@inline
function tileRow(at: usize, mb: usize, xi: i32, tA: v128, tB: v128, tC: v128, count: i32): void {
  const j0 = v128.shuffle<i32>(tA, tB, 0, 2, 4, 6), j1 = v128.shuffle<i32>(tA, tB, 1, 3, 5, 7)
  const even = v128.shuffle<i32>(tB, tC, 0, 2, 4, 6), odd = v128.shuffle<i32>(tB, tC, 1, 3, 5, 7)
  const j2 = v128.shuffle<i32>(j0, even, 1, 2, 3, 6), j3 = v128.shuffle<i32>(j1, odd, 1, 2, 3, 6)
  const base = at + <usize>(xi * 4) * mb
  storeTiles(base, f32x4.sub(j0, j2), count)
  storeTiles(base + mb, f32x4.add(j1, j2), count)
  storeTiles(base + mb * 2, f32x4.sub(j2, j1), count)
  storeTiles(base + mb * 3, f32x4.sub(j1, j3), count)
}

/** The first `count` lanes of u (all four but at the end of a row of tiles, whose next tile is another's). */
// @ts-ignore: decorator
@inline
function storeTiles(at: usize, u: v128, count: i32): void {
  if (count == 4) {
    v128.store(at, u)
    return
  }
  store<f32>(at, f32x4.extract_lane(u, 0))
  if (count > 1) store<f32>(at, f32x4.extract_lane(u, 1), 4)
  if (count > 2) store<f32>(at, f32x4.extract_lane(u, 2), 8)
}
