/*
 * The weight gradient of a 3×3 stride-1 convolution by Winograd's F(3×3, 2×2) (the forward pass is F(2×2, 3×3),
 * winograd.ts). Wrapped by f32/winograd-gradient.ts. All pointers are byte addresses.
 *
 * dW[f][c] = Σ over images and 2×2 output tiles of the 3×3 correlation of the tile's 4×4 input patch with
 * its 2×2 block of dout: Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A with, for F(3×3, 2×2),
 * Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 −1 0 1], G = [1 0; ½ ½; ½ −½; 0 1], Aᵀ = [1 1 1 0; 0 1 −1 0; 0 1 1 1].
 * That Bᵀ is F(2×2, 3×3)'s with its last row negated, so the input is turned by winogradInput and the
 * sign s_ξ·s_ν (s_3 = −1) is applied at the end. Per transform position the sum over tiles is a product:
 * M[ξν] (C × FN) = V[ξν]ᵀ · U[ξν], accumulated chunk after chunk in tile order.
 */

import { GEOMETRY_C, GEOMETRY_OH, GEOMETRY_OW, WINOGRAD_FILTERS, WINOGRAD_GRAD_M_MATRIX, WINOGRAD_TILES, WINOGRAD_U_PANELS, WINOGRAD_V_MATRIX } from '../../plan-layouts'
import { gemm } from './products'

/**
 * U for images [imgStart, imgEnd): each 2×2 block of dout (zeros past the map) turned by G g Gᵀ, four
 * filters at a time, written straight into the products' packed panels (products.ts's `pack` layout:
 * panels of 8 filters, one row of 8 per tile), so U is never stored unpacked. A last panel's lanes past
 * FN may hold anything: `gemm` never stores the columns they make. `plan` as winogradForward's: geometry,
 * then filters, (unused), (unused), floats per packed U[ξν], tiles in the chunk.
 */
export function winogradGradTiles(plan: usize, dout: usize, panels: usize, imgStart: i32, imgEnd: i32): void {
  const oh = load<i32>(plan, GEOMETRY_OH), ow = load<i32>(plan, GEOMETRY_OW)
  const filters = load<i32>(plan, WINOGRAD_FILTERS), uPanels = load<i32>(plan, WINOGRAD_U_PANELS), rows = load<i32>(plan, WINOGRAD_TILES)
  const th = (oh + 1) >> 1, tw = (ow + 1) >> 1
  const map = oh * ow
  const ub = <usize>uPanels << 2
  const panelBytes = <usize>rows * 8 << 2
  const half = f32x4.splat(0.5)
  for (let img = imgStart; img < imgEnd; img++) {
    for (let ty = 0; ty < th; ty++) {
      const y = 2 * ty
      const lower = y + 1 < oh
      for (let tx = 0; tx < tw; tx++) {
        const x = 2 * tx
        const right = x + 1 < ow
        const tile = (img * th + ty) * tw + tx
        const row = panels + (<usize>tile * 8 << 2)
        for (let f = 0; f < filters; f += 4) {
          // g for up to four filters (filters past FN read as 0): a whole 2×2 block of four filters is two
          // 8-byte loads per filter, shuffled so lane l is filter f + l; edge blocks go lane by lane.
          let g00 = f32x4.splat(0), g01 = g00, g10 = g00, g11 = g00
          if (right && lower && f + 4 <= filters) {
            const at = dout + (<usize>((img * filters + f) * map + y * ow + x) << 2)
            const mapBytes = <usize>map << 2, below = <usize>ow << 2
            const t0 = v128.load64_zero(at), t1 = v128.load64_zero(at + mapBytes)
            const t2 = v128.load64_zero(at + mapBytes * 2), t3 = v128.load64_zero(at + mapBytes * 3)
            const b0 = v128.load64_zero(at + below), b1 = v128.load64_zero(at + mapBytes + below)
            const b2 = v128.load64_zero(at + mapBytes * 2 + below), b3 = v128.load64_zero(at + mapBytes * 3 + below)
            const t01 = v128.shuffle<i32>(t0, t1, 0, 4, 1, 5), t23 = v128.shuffle<i32>(t2, t3, 0, 4, 1, 5)
            const b01 = v128.shuffle<i32>(b0, b1, 0, 4, 1, 5), b23 = v128.shuffle<i32>(b2, b3, 0, 4, 1, 5)
            g00 = v128.shuffle<i32>(t01, t23, 0, 1, 4, 5); g01 = v128.shuffle<i32>(t01, t23, 2, 3, 6, 7)
            g10 = v128.shuffle<i32>(b01, b23, 0, 1, 4, 5); g11 = v128.shuffle<i32>(b01, b23, 2, 3, 6, 7)
          } else for (let l = 0; l < 4; l++) {
            if (f + l >= filters) break
            const at = dout + (<usize>((img * filters + f + l) * map + y * ow + x) << 2)
            g00 = setLane(g00, l, load<f32>(at))
            if (right) g01 = setLane(g01, l, load<f32>(at, 4))
            if (lower) {
              g10 = setLane(g10, l, load<f32>(at + (<usize>ow << 2)))
              if (right) g11 = setLane(g11, l, load<f32>(at + (<usize>ow << 2), 4))
            }
          }
          // Rows of G g: (g0·), (g0· + g1·)/2, (g0· − g1·)/2, (g1·); then each row (p, q) → p, (p+q)/2, (p−q)/2, q.
          const to = row + <usize>(f >> 3) * panelBytes + (<usize>(f & 7) << 2)
          gradRow(to, ub, 0, g00, g01, half)
          gradRow(to, ub, 1, f32x4.mul(f32x4.add(g00, g10), half), f32x4.mul(f32x4.add(g01, g11), half), half)
          gradRow(to, ub, 2, f32x4.mul(f32x4.sub(g00, g10), half), f32x4.mul(f32x4.sub(g01, g11), half), half)
          gradRow(to, ub, 3, g10, g11, half)
        }
      }
    }
  }
}

/** Lane l (0–3) of v set to s. */
function setLane(v: v128, l: i32, s: f32): v128 {
  if (l == 0) return f32x4.replace_lane(v, 0, s)
  if (l == 1) return f32x4.replace_lane(v, 1, s)
  if (l == 2) return f32x4.replace_lane(v, 2, s)
  return f32x4.replace_lane(v, 3, s)
}

/** U[ξ·4 + 0…3] at `to` (panel rows `ub` bytes apart) from row ξ of G g (p, q): p, (p + q)/2, (p − q)/2, q. */
// @ts-ignore: decorator
@inline
function gradRow(to: usize, ub: usize, xi: i32, p: v128, q: v128, half: v128): void {
  const base = to + <usize>(xi * 4) * ub
  v128.store(base, p)
  v128.store(base + ub, f32x4.mul(f32x4.add(p, q), half))
  v128.store(base + ub * 2, f32x4.mul(f32x4.sub(p, q), half))
  v128.store(base + ub * 3, q)
}

/**
 * The 16 products of a chunk, M[ξν] (C × FN) += V[ξν]ᵀ · U[ξν] for C rows [rowStart, rowEnd), in one call
 * (V[ξν] read in place: row c is channel c's tiles; U[ξν] packed into panels). `plan` continues winogradForward's:
 * filters at 40, vMatrix 44, (unused) 48, panel floats per U 52, rows T at 56, mMatrix 60.
 */
export function winogradGradProducts(plan: usize, v: usize, panels: usize, m: usize, accumulate: i32, rowStart: i32, rowEnd: i32): void {
  const c = load<i32>(plan, GEOMETRY_C), filters = load<i32>(plan, WINOGRAD_FILTERS), vMatrix = load<i32>(plan, WINOGRAD_V_MATRIX)
  const uPanels = load<i32>(plan, WINOGRAD_U_PANELS), tiles = load<i32>(plan, WINOGRAD_TILES), mMatrix = load<i32>(plan, WINOGRAD_GRAD_M_MATRIX)
  for (let q = 0; q < 16; q++) {
    gemm(v + (<usize>(q * vMatrix) << 2), tiles, 1, tiles, panels + (<usize>(q * uPanels) << 2), m + (<usize>(q * mMatrix) << 2), filters, accumulate, rowStart, rowEnd)
  }
}

/**
 * dW (FN, C, 3, 3) from M (16 matrices C × FN, `mMatrix` floats apart) for filters [fStart, fEnd):
 * Aᵀ (s ⊙ M) A with the signs s_ξ·s_ν, s_3 = −1 (see above).
 */
export function winogradGradOutput(m: usize, mMatrix: i32, channels: i32, filters: i32, dw: usize, fStart: i32, fEnd: i32): void {
  const mb = <usize>mMatrix << 2
  for (let f = fStart; f < fEnd; f++) {
    for (let c = 0; c < channels; c++) {
      const at = m + ((<usize>c * <usize>filters + <usize>f) << 2)
      const out = dw + (<usize>(f * channels + c) * 9 << 2)
      // t = Aᵀ (s ⊙ M), column by column: rows ξ of M are 4 matrices apart; column ν = 3 and row ξ = 3 negated.
      const t00 = gradColumn0(at, mb, 0), t01 = gradColumn0(at, mb, 1), t02 = gradColumn0(at, mb, 2), t03 = -gradColumn0(at, mb, 3)
      const t10 = gradColumn1(at, mb, 0), t11 = gradColumn1(at, mb, 1), t12 = gradColumn1(at, mb, 2), t13 = -gradColumn1(at, mb, 3)
      const t20 = gradColumn2(at, mb, 0), t21 = gradColumn2(at, mb, 1), t22 = gradColumn2(at, mb, 2), t23 = -gradColumn2(at, mb, 3)
      // Y = t A: each row (a, b, c, d) → a + b + c, b − c, b + c + d.
      store<f32>(out, t00 + t01 + t02); store<f32>(out, t01 - t02, 4); store<f32>(out, t01 + t02 + t03, 8)
      store<f32>(out, t10 + t11 + t12, 12); store<f32>(out, t11 - t12, 16); store<f32>(out, t11 + t12 + t13, 20)
      store<f32>(out, t20 + t21 + t22, 24); store<f32>(out, t21 - t22, 28); store<f32>(out, t21 + t22 + t23, 32)
    }
  }
}

/** Row 0 of Aᵀ applied to column ν of M (row 3 negated): M0ν + M1ν + M2ν. */
// @ts-ignore: decorator
@inline
function gradColumn0(at: usize, mb: usize, nu: i32): f32 {
  return load<f32>(at + <usize>nu * mb) + load<f32>(at + <usize>(4 + nu) * mb) + load<f32>(at + <usize>(8 + nu) * mb)
}

/** Row 1: M1ν − M2ν. */
// @ts-ignore: decorator
@inline
function gradColumn1(at: usize, mb: usize, nu: i32): f32 {
  return load<f32>(at + <usize>(4 + nu) * mb) - load<f32>(at + <usize>(8 + nu) * mb)
}

/** Row 2: M1ν + M2ν + (−M3ν). */
// @ts-ignore: decorator
@inline
function gradColumn2(at: usize, mb: usize, nu: i32): f32 {
  return load<f32>(at + <usize>(4 + nu) * mb) + load<f32>(at + <usize>(8 + nu) * mb) - load<f32>(at + <usize>(12 + nu) * mb)
}
