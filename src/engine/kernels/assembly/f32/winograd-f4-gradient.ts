/*
 * The weight gradient of a 3×3 stride-1 convolution with F(4×4, 3×3)'s transforms (the layers whose forward
 * pass is winograd-f4.ts). Wrapped by f32/winograd-f4-gradient.ts. All pointers are byte addresses.
 *
 * The forward pass is y = Aᵀ [(G g) ⊙ (Bᵀ d)] per tile, so Σ e·y = Σ_α (A e)_α (G g)_α (Bᵀ d)_α and the
 * gradient of a filter is dW = Gᵀ [(A E Aᵀ) ⊙ (Bᵀ X B)] G, summed over tiles: X a 6×6 input tile (its
 * transform V is the forward pass's own, winograd-f4.ts's winogradF4Input), E the 4×4 block of dout
 * (zeros past the map). A (6×4) is Aᵀ of winograd-f4.ts transposed: rows (1 0 0 0), (1 1 1 1), (1 −1 1 −1),
 * (1 2 4 8), (1 −2 4 −8), (0 0 0 1). Per transform position the sum over tiles is a product,
 * M[ξν] (C × FN) = V[ξν]ᵀ · U[ξν], accumulated chunk after chunk in tile order; Gᵀ M G in float64 at the
 * end. Its float32 error is 4–10× F(3×3, 2×2)'s (winograd-gradient.ts): up to 1.6e-5 of dW's RMS (tested against float64).
 */

import { GEOMETRY_OH, GEOMETRY_OW, WINOGRAD_FILTERS, WINOGRAD_GRAD_M_MATRIX, WINOGRAD_TILES, WINOGRAD_U_PANELS, WINOGRAD_V_MATRIX, WINOGRAD_V_ROWS } from '../../plan-layouts'
import { gemm } from './products'

/**
 * U for images [imgStart, imgEnd) of a chunk: each 4×4 block of dout turned by A E Aᵀ, four filters at a
 * time (one per lane; FN a multiple of 4), written straight into the products' packed panels (products.ts's
 * `pack` layout: panels of 8 filters, one row of 8 per tile), as winograd-gradient.ts's winogradGradTiles.
 */
export function winogradF4GradTiles(plan: usize, dout: usize, panels: usize, imgStart: i32, imgEnd: i32): void {
  const oh = load<i32>(plan, GEOMETRY_OH), ow = load<i32>(plan, GEOMETRY_OW)
  const filters = load<i32>(plan, WINOGRAD_FILTERS), uPanels = load<i32>(plan, WINOGRAD_U_PANELS), rows = load<i32>(plan, WINOGRAD_TILES)
  const th = (oh + 3) >> 2, tw = (ow + 3) >> 2
  const map = oh * ow
  const mapBytes = <usize>map << 2, below = <usize>ow << 2
  const ub = <usize>uPanels << 2
  const panelBytes = <usize>rows * 8 << 2
  for (let img = imgStart; img < imgEnd; img++) {
    for (let ty = 0; ty < th; ty++) {
      const y = 4 * ty
      const rowsIn = min(4, oh - y)
      for (let tx = 0; tx < tw; tx++) {
        const x = 4 * tx
        const colsIn = min(4, ow - x)
        const tile = (img * th + ty) * tw + tx
        const row = panels + (<usize>tile * 8 << 2)
        for (let f = 0; f < filters; f += 4) {
          const at = dout + (<usize>((img * filters + f) * map + y * ow + x) << 2)
          // e_rj: dout at block row r, column j, for four filters (lanes).
          let e00: v128, e01: v128, e02: v128, e03: v128, e10: v128, e11: v128, e12: v128, e13: v128
          let e20: v128, e21: v128, e22: v128, e23: v128, e30: v128, e31: v128, e32: v128, e33: v128
          if (rowsIn == 4 && colsIn == 4) {
            // Each filter's four rows are four loads; a 4×4 transpose per row puts the filters in lanes.
            const r0 = at, r1 = at + below, r2 = at + below * 2, r3 = at + below * 3
            const m1 = mapBytes, m2 = mapBytes * 2, m3 = mapBytes * 3
            let p0 = v128.load(r0), p1 = v128.load(r0 + m1), p2 = v128.load(r0 + m2), p3 = v128.load(r0 + m3)
            e00 = column0(p0, p1, p2, p3); e01 = column1(p0, p1, p2, p3); e02 = column2(p0, p1, p2, p3); e03 = column3(p0, p1, p2, p3)
            p0 = v128.load(r1); p1 = v128.load(r1 + m1); p2 = v128.load(r1 + m2); p3 = v128.load(r1 + m3)
            e10 = column0(p0, p1, p2, p3); e11 = column1(p0, p1, p2, p3); e12 = column2(p0, p1, p2, p3); e13 = column3(p0, p1, p2, p3)
            p0 = v128.load(r2); p1 = v128.load(r2 + m1); p2 = v128.load(r2 + m2); p3 = v128.load(r2 + m3)
            e20 = column0(p0, p1, p2, p3); e21 = column1(p0, p1, p2, p3); e22 = column2(p0, p1, p2, p3); e23 = column3(p0, p1, p2, p3)
            p0 = v128.load(r3); p1 = v128.load(r3 + m1); p2 = v128.load(r3 + m2); p3 = v128.load(r3 + m3)
            e30 = column0(p0, p1, p2, p3); e31 = column1(p0, p1, p2, p3); e32 = column2(p0, p1, p2, p3); e33 = column3(p0, p1, p2, p3)
          } else {
            // A block at the map's edge: its values one by one, zeros past the map.
            e00 = gather(at, mapBytes, true); e01 = gather(at + 4, mapBytes, colsIn > 1)
            e02 = gather(at + 8, mapBytes, colsIn > 2); e03 = gather(at + 12, mapBytes, colsIn > 3)
            const r1 = at + below, r2 = at + below * 2, r3 = at + below * 3
            e10 = gather(r1, mapBytes, rowsIn > 1); e11 = gather(r1 + 4, mapBytes, rowsIn > 1 && colsIn > 1)
            e12 = gather(r1 + 8, mapBytes, rowsIn > 1 && colsIn > 2); e13 = gather(r1 + 12, mapBytes, rowsIn > 1 && colsIn > 3)
            e20 = gather(r2, mapBytes, rowsIn > 2); e21 = gather(r2 + 4, mapBytes, rowsIn > 2 && colsIn > 1)
            e22 = gather(r2 + 8, mapBytes, rowsIn > 2 && colsIn > 2); e23 = gather(r2 + 12, mapBytes, rowsIn > 2 && colsIn > 3)
            e30 = gather(r3, mapBytes, rowsIn > 3); e31 = gather(r3 + 4, mapBytes, rowsIn > 3 && colsIn > 1)
            e32 = gather(r3 + 8, mapBytes, rowsIn > 3 && colsIn > 2); e33 = gather(r3 + 12, mapBytes, rowsIn > 3 && colsIn > 3)
          }
          const to = row + <usize>(f >> 3) * panelBytes + (<usize>(f & 7) << 2)
          // A E: row ξ of A on each column j of E; then each row of that times Aᵀ (uRow).
          uRow(to, ub, 0, e00, e01, e02, e03)
          uRow(to, ub, 1, a1(e00, e10, e20, e30), a1(e01, e11, e21, e31), a1(e02, e12, e22, e32), a1(e03, e13, e23, e33))
          uRow(to, ub, 2, a2(e00, e10, e20, e30), a2(e01, e11, e21, e31), a2(e02, e12, e22, e32), a2(e03, e13, e23, e33))
          uRow(to, ub, 3, a3(e00, e10, e20, e30), a3(e01, e11, e21, e31), a3(e02, e12, e22, e32), a3(e03, e13, e23, e33))
          uRow(to, ub, 4, a4(e00, e10, e20, e30), a4(e01, e11, e21, e31), a4(e02, e12, e22, e32), a4(e03, e13, e23, e33))
          uRow(to, ub, 5, e30, e31, e32, e33)
        }
      }
    }
  }
}

const TWO = f32x4.splat(2), FOUR = f32x4.splat(4), EIGHT = f32x4.splat(8)

// Rows 1–4 of A on (e0, e1, e2, e3): (e0 + e2) ± (e1 + e3); (e0 + 4e2) ± (2e1 + 8e3). Rows 0 and 5 are e0 and e3.
// @ts-ignore: decorator
@inline
function a1(e0: v128, e1: v128, e2: v128, e3: v128): v128 {
  return f32x4.add(f32x4.add(e0, e2), f32x4.add(e1, e3))
}
// @ts-ignore: decorator
@inline
function a2(e0: v128, e1: v128, e2: v128, e3: v128): v128 {
  return f32x4.sub(f32x4.add(e0, e2), f32x4.add(e1, e3))
}
// @ts-ignore: decorator
@inline
function a3(e0: v128, e1: v128, e2: v128, e3: v128): v128 {
  return f32x4.add(f32x4.add(e0, f32x4.mul(FOUR, e2)), f32x4.add(f32x4.mul(TWO, e1), f32x4.mul(EIGHT, e3)))
}
// @ts-ignore: decorator
@inline
function a4(e0: v128, e1: v128, e2: v128, e3: v128): v128 {
  return f32x4.sub(f32x4.add(e0, f32x4.mul(FOUR, e2)), f32x4.add(f32x4.mul(TWO, e1), f32x4.mul(EIGHT, e3)))
}

/** U[ξ·6 + 0…5] at `to` (panel rows `ub` bytes apart) from row ξ of A E (t0 … t3): A's six rows on it. */
// @ts-ignore: decorator
@inline
function uRow(to: usize, ub: usize, xi: i32, t0: v128, t1: v128, t2: v128, t3: v128): void {
  const base = to + <usize>(xi * 6) * ub
  v128.store(base, t0)
  v128.store(base + ub, a1(t0, t1, t2, t3))
  v128.store(base + ub * 2, a2(t0, t1, t2, t3))
  v128.store(base + ub * 3, a3(t0, t1, t2, t3))
  v128.store(base + ub * 4, a4(t0, t1, t2, t3))
  v128.store(base + ub * 5, t3)
}

// Column j of four rows p0 … p3 (one filter each): lane l is p_l's value j.
// @ts-ignore: decorator
@inline
function column0(p0: v128, p1: v128, p2: v128, p3: v128): v128 {
  return v128.shuffle<i32>(v128.shuffle<i32>(p0, p1, 0, 4, 1, 5), v128.shuffle<i32>(p2, p3, 0, 4, 1, 5), 0, 1, 4, 5)
}
// @ts-ignore: decorator
@inline
function column1(p0: v128, p1: v128, p2: v128, p3: v128): v128 {
  return v128.shuffle<i32>(v128.shuffle<i32>(p0, p1, 0, 4, 1, 5), v128.shuffle<i32>(p2, p3, 0, 4, 1, 5), 2, 3, 6, 7)
}
// @ts-ignore: decorator
@inline
function column2(p0: v128, p1: v128, p2: v128, p3: v128): v128 {
  return v128.shuffle<i32>(v128.shuffle<i32>(p0, p1, 2, 6, 3, 7), v128.shuffle<i32>(p2, p3, 2, 6, 3, 7), 0, 1, 4, 5)
}
// @ts-ignore: decorator
@inline
function column3(p0: v128, p1: v128, p2: v128, p3: v128): v128 {
  return v128.shuffle<i32>(v128.shuffle<i32>(p0, p1, 2, 6, 3, 7), v128.shuffle<i32>(p2, p3, 2, 6, 3, 7), 2, 3, 6, 7)
}

/** One position of four filters (maps `mapBytes` apart), or zeros when it lies past the map. */
// @ts-ignore: decorator
@inline
function gather(at: usize, mapBytes: usize, inside: bool): v128 {
  if (!inside) return f32x4.splat(0)
  let v = f32x4.splat(load<f32>(at))
  v = f32x4.replace_lane(v, 1, load<f32>(at + mapBytes))
  v = f32x4.replace_lane(v, 2, load<f32>(at + mapBytes * 2))
  return f32x4.replace_lane(v, 3, load<f32>(at + mapBytes * 3))
}

/**
 * The 36 products of a chunk, M[ξν] (C × FN) += V[ξν]ᵀ · U[ξν] for channels [rowStart, rowEnd): V[ξν] read
 * in place (row c is channel c's tiles, `WINOGRAD_V_ROWS` floats apart: the chunk's, or the whole batch's
 * when V is the forward pass's), U[ξν] packed into panels, `WINOGRAD_TILES` tiles.
 */
export function winogradF4GradProducts(plan: usize, v: usize, panels: usize, m: usize, accumulate: i32, rowStart: i32, rowEnd: i32): void {
  const filters = load<i32>(plan, WINOGRAD_FILTERS), vMatrix = load<i32>(plan, WINOGRAD_V_MATRIX), vRows = load<i32>(plan, WINOGRAD_V_ROWS)
  const uPanels = load<i32>(plan, WINOGRAD_U_PANELS), tiles = load<i32>(plan, WINOGRAD_TILES), mMatrix = load<i32>(plan, WINOGRAD_GRAD_M_MATRIX)
  for (let q = 0; q < 36; q++) {
    gemm(v + (<usize>(q * vMatrix) << 2), vRows, 1, tiles, panels + (<usize>(q * uPanels) << 2), m + (<usize>(q * mMatrix) << 2), filters, accumulate, rowStart, rowEnd)
  }
}

/**
 * dW (FN, C, 3, 3) from M (36 matrices C × FN, `mMatrix` floats apart) for filters [fStart, fEnd): Gᵀ M G
 * in float64, rounded once; two filters at a time, one per float64 lane (the same operations as one at a time).
 */
export function winogradF4GradOutput(m: usize, mMatrix: i32, channels: i32, filters: i32, dw: usize, fStart: i32, fEnd: i32): void {
  const mb = <usize>mMatrix << 2
  const filterBytes = <usize>(channels * 9) << 2
  for (let f = fStart; f < fEnd; f += 2) {
    const pair = f + 1 < fEnd
    for (let c = 0; c < channels; c++) {
      const at = m + ((<usize>c * <usize>filters + <usize>f) << 2)
      const out = dw + (<usize>(f * channels + c) * 9 << 2)
      for (let i = 0; i < 3; i++) {
        // Row i of Gᵀ M (six columns ν), then each times G's columns.
        const t0 = gtColumn(at, mb, i, 0, pair), t1 = gtColumn(at, mb, i, 1, pair), t2 = gtColumn(at, mb, i, 2, pair)
        const t3 = gtColumn(at, mb, i, 3, pair), t4 = gtColumn(at, mb, i, 4, pair), t5 = gtColumn(at, mb, i, 5, pair)
        for (let j = 0; j < 3; j++) {
          const y = gtRow(j, t0, t1, t2, t3, t4, t5)
          const to = out + (<usize>(i * 3 + j) << 2)
          store<f32>(to, <f32>f64x2.extract_lane(y, 0))
          if (pair) store<f32>(to + filterBytes, <f32>f64x2.extract_lane(y, 1))
        }
      }
    }
  }
}

/** M[ξν] of filters f and f + 1 (only f's when not `pair`) as float64 lanes. */
// @ts-ignore: decorator
@inline
function mPair(at: usize, pair: bool): v128 {
  return f64x2.promote_low_f32x4(pair ? v128.load64_zero(at) : v128.load32_zero(at))
}

/** Row i of Gᵀ on column ν of M (rows ξ are 6 matrices apart). */
// @ts-ignore: decorator
@inline
function gtColumn(at: usize, mb: usize, i: i32, nu: i32, pair: bool): v128 {
  return gtRow(
    i,
    mPair(at + <usize>nu * mb, pair),
    mPair(at + <usize>(6 + nu) * mb, pair),
    mPair(at + <usize>(12 + nu) * mb, pair),
    mPair(at + <usize>(18 + nu) * mb, pair),
    mPair(at + <usize>(24 + nu) * mb, pair),
    mPair(at + <usize>(30 + nu) * mb, pair)
  )
}

const D4 = f64x2.splat(4), D6 = f64x2.splat(6), D12 = f64x2.splat(12), D24 = f64x2.splat(24)

/** Row i of Gᵀ (G as winograd-f4.ts's) times (m0 … m5): m0/4 − (m1 + m2)/6 + (m3 + m4)/24; (m2 − m1)/6 + (m3 − m4)/12; (m3 + m4)/6 − (m1 + m2)/6 + m5. */
// @ts-ignore: decorator
@inline
function gtRow(i: i32, m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128): v128 {
  if (i == 0) return f64x2.add(f64x2.sub(f64x2.div(m0, D4), f64x2.div(f64x2.add(m1, m2), D6)), f64x2.div(f64x2.add(m3, m4), D24))
  if (i == 1) return f64x2.add(f64x2.div(f64x2.sub(m2, m1), D6), f64x2.div(f64x2.sub(m3, m4), D12))
  return f64x2.add(f64x2.sub(f64x2.div(f64x2.add(m3, m4), D6), f64x2.div(f64x2.add(m1, m2), D6)), m5)
}
