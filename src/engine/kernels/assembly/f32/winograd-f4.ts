/*
 * Winograd's F(4×4, 3×3) for 3×3 convolutions at stride 1 whose maps are made of whole 4×4 blocks
 * (f32/winograd-f4.ts decides): each 4×4 block of outputs comes from a 6×6 block of input with 36
 * multiplications per channel and filter instead of 144 (F(2×2, 3×3): 64 for the same outputs).
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A, summed over channels,
 * Lavin and Gray's transforms on the points 0, ±1, ±2, ∞:
 *   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1],
 *   G = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1],
 *   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1].
 * Bᵀ and Aᵀ have small integer entries (exact in float32); G's fractions are applied in float64 and rounded
 * once. The sum over channels is one product per position ξν (36 of them), by `gemm`, as in winograd.ts.
 * Its float32 error against float64 direct convolution is about 5× F(2×2, 3×3)'s (tested, and measured in
 * bench/winograd-error.ts). The plan is winograd.ts's (plan-layouts.ts). All pointers are byte addresses.
 */

import { GEOMETRY_C, GEOMETRY_H, GEOMETRY_OH, GEOMETRY_OW, GEOMETRY_PAD, GEOMETRY_W, WINOGRAD_FILTERS, WINOGRAD_M_MATRIX, WINOGRAD_TILES, WINOGRAD_U_PANELS, WINOGRAD_V_MATRIX } from '../../plan-layouts'
import { gemm } from './products'

/** Bytes of V and M rows one group of images may take (as winograd.ts's GROUP_BYTES). */
const GROUP_BYTES: i32 = 128 * 1024

/**
 * The forward pass for images [imgStart, imgEnd) of a chunk: their tiles into V, the 36 products
 * M[ξν] = V[ξν] · U[ξν] on their rows, their outputs from M (winograd.ts's winogradForward, with 6×6 tiles).
 */
export function winogradF4Forward(plan: usize, x: usize, v: usize, panels: usize, m: usize, bias: usize, out: usize, imgStart: i32, imgEnd: i32): void {
  forwardGroups(plan, x, v, panels, m, bias, out, -1, imgStart, imgEnd)
}

/**
 * Inference's forward pass with the ReLU after it (winogradF4Forward's sums, then max(y, 0) as reluForward),
 * and with `pool` 1 the 2×2 max pooling at stride 2 after that (reluMaxPoolForward's order: the first
 * maximum, from −Inf, a strictly larger value replacing it): out is then (N, FN, oh/2, ow/2), oh and ow
 * even (f32/winograd-f4.ts checks). Neither the convolution's output nor the ReLU's is written.
 */
export function winogradF4ForwardRelu(plan: usize, x: usize, v: usize, panels: usize, m: usize, bias: usize, out: usize, pool: i32, imgStart: i32, imgEnd: i32): void {
  forwardGroups(plan, x, v, panels, m, bias, out, pool, imgStart, imgEnd)
}

/** Both forward passes by groups of images whose V and M rows stay in cache; `after` −1: plain outputs, 0: their ReLU, 1: pooled too. */
// @ts-ignore: decorator
@inline
function forwardGroups(plan: usize, x: usize, v: usize, panels: usize, m: usize, bias: usize, out: usize, after: i32, imgStart: i32, imgEnd: i32): void {
  const c = load<i32>(plan, GEOMETRY_C), oh = load<i32>(plan, GEOMETRY_OH), ow = load<i32>(plan, GEOMETRY_OW)
  const filters = load<i32>(plan, WINOGRAD_FILTERS), vMatrix = load<i32>(plan, WINOGRAD_V_MATRIX), mMatrix = load<i32>(plan, WINOGRAD_M_MATRIX), uPanels = load<i32>(plan, WINOGRAD_U_PANELS)
  const tiles = ((oh + 3) >> 2) * ((ow + 3) >> 2)
  const chunkTiles = load<i32>(plan, WINOGRAD_TILES)
  const group = max(1, GROUP_BYTES / (36 * tiles * (c + filters) * 4))
  for (let first = imgStart; first < imgEnd; first += group) {
    const last = min(imgEnd, first + group)
    // Every group's rows of M at the places of the call's first images (within this call's rows, no other thread's):
    // a group writes M where the last one was just read, still in cache, instead of a new part of the chunk's M.
    const mGroup = m - (<usize>((first - imgStart) * tiles * filters) << 2)
    winogradF4Input(plan, x, v, vMatrix, first, last)
    for (let q = 0; q < 36; q++) {
      gemm(v + (<usize>(q * vMatrix) << 2), 1, chunkTiles, c, panels + (<usize>(q * uPanels) << 2), mGroup + (<usize>(q * mMatrix) << 2), filters, 0, first * tiles, last * tiles)
    }
    if (after < 0) winogradF4Output(plan, mGroup, mMatrix, filters, bias, out, first, last)
    else winogradF4OutputRelu(plan, mGroup, mMatrix, filters, bias, out, after != 0, first, last)
  }
}

/**
 * U[ξν][c][f] = (G g Gᵀ)[ξ][ν] for filters [fStart, fEnd) of W (FN, C, 3, 3); each U[ξν] is C × FN. Two
 * filters at a time, one per float64 lane (the same operations as one at a time: float64 divisions are most
 * of this kernel's time), a last odd one alone.
 */
export function winogradF4Filters(w: usize, u: usize, channels: i32, filters: i32, fStart: i32, fEnd: i32): void {
  const step = (<usize>channels * <usize>filters) << 2
  const filterBytes = <usize>(channels * 9) << 2
  let f = fStart
  for (; f + 1 < fEnd; f += 2) {
    for (let c = 0; c < channels; c++) {
      const g = w + (<usize>(f * channels + c) * 9 << 2)
      const h = g + filterBytes
      const at = u + ((<usize>c * <usize>filters + <usize>f) << 2)
      for (let xi = 0; xi < 6; xi++) {
        const x = gRowPair(xi, valuePair(g, h, 0), valuePair(g, h, 12), valuePair(g, h, 24))
        const y = gRowPair(xi, valuePair(g, h, 4), valuePair(g, h, 16), valuePair(g, h, 28))
        const z = gRowPair(xi, valuePair(g, h, 8), valuePair(g, h, 20), valuePair(g, h, 32))
        const base = at + <usize>(xi * 6) * step
        // Both filters' values rounded to float32 (as <f32> does) and stored side by side (U[ξν] row c, filters f and f + 1).
        for (let nu = 0; nu < 6; nu++) v128.store64_lane(base + <usize>nu * step, f32x4.demote_f64x2_zero(gRowPair(nu, x, y, z)), 0)
      }
    }
  }
  for (; f < fEnd; f++) {
    for (let c = 0; c < channels; c++) {
      const g = w + (<usize>(f * channels + c) * 9 << 2)
      const at = u + ((<usize>c * <usize>filters + <usize>f) << 2)
      // G g, column by column (the filter's columns x, y, z), then each of its six rows times Gᵀ.
      for (let xi = 0; xi < 6; xi++) {
        const x = gRow(xi, <f64>load<f32>(g), <f64>load<f32>(g, 12), <f64>load<f32>(g, 24))
        const y = gRow(xi, <f64>load<f32>(g, 4), <f64>load<f32>(g, 16), <f64>load<f32>(g, 28))
        const z = gRow(xi, <f64>load<f32>(g, 8), <f64>load<f32>(g, 20), <f64>load<f32>(g, 32))
        const base = at + <usize>(xi * 6) * step
        for (let nu = 0; nu < 6; nu++) store<f32>(base + <usize>nu * step, <f32>gRow(nu, x, y, z))
      }
    }
  }
}

/** The weights at byte `offset` of filters g and h, as float64 lanes (exact). */
// @ts-ignore: decorator
@inline
function valuePair(g: usize, h: usize, offset: usize): v128 {
  return f64x2.promote_low_f32x4(f32x4.replace_lane(f32x4.splat(load<f32>(g + offset)), 1, load<f32>(h + offset)))
}

const P4 = f64x2.splat(4), P6 = f64x2.splat(6), P12 = f64x2.splat(12), P24 = f64x2.splat(24)

/** gRow on two lanes: the same operations, in the same order. */
// @ts-ignore: decorator
@inline
function gRowPair(i: i32, a: v128, b: v128, c: v128): v128 {
  if (i == 0) return f64x2.div(a, P4)
  if (i == 1) return f64x2.div(f64x2.neg(f64x2.add(f64x2.add(a, b), c)), P6)
  if (i == 2) return f64x2.div(f64x2.neg(f64x2.add(f64x2.sub(a, b), c)), P6)
  if (i == 3) return f64x2.add(f64x2.add(f64x2.div(a, P24), f64x2.div(b, P12)), f64x2.div(c, P6))
  if (i == 4) return f64x2.add(f64x2.sub(f64x2.div(a, P24), f64x2.div(b, P12)), f64x2.div(c, P6))
  return c
}

/** Row `i` of G times (a, b, c). */
// @ts-ignore: decorator
@inline
function gRow(i: i32, a: f64, b: f64, c: f64): f64 {
  if (i == 0) return a / 4
  if (i == 1) return -(a + b + c) / 6
  if (i == 2) return -(a - b + c) / 6
  if (i == 3) return a / 24 + b / 12 + c / 6
  if (i == 4) return a / 24 - b / 12 + c / 6
  return c
}

/**
 * V for images [imgStart, imgEnd) of x, as winograd-input.ts's winogradInput but with 6×6 tiles 4 apart
 * (T = ⌈oh/4⌉·⌈ow/4⌉ per image; rows of V `WINOGRAD_TILES` floats apart); also the weight gradient's
 * (winograd-f4-gradient.ts) when the forward pass did not keep V. Four neighbouring tiles go together,
 * one per lane: a row's 4 × 6 columns are five vector loads (masked to the image; a vector wholly right of the image loads the row's start,
 * masked to nothing, so no load reaches more than three floats past a row or two before it), Bᵀ on the
 * rows, then each tile's six columns gathered by shuffles and Bᵀ on them. A group short of four tiles (the end
 * of a row of tiles) is still stored as whole vectors when the lanes past it fall on tiles this call writes
 * afterwards (a channel's tiles are consecutive rows of V across rows of tiles and images): only the call's last
 * row of tiles stores lane by lane, so no lane reaches another thread's images and every tile ends with its own values.
 */
export function winogradF4Input(plan: usize, x: usize, v: usize, vMatrix: i32, imgStart: i32, imgEnd: i32): void {
  const c = load<i32>(plan, GEOMETRY_C), h = load<i32>(plan, GEOMETRY_H), w = load<i32>(plan, GEOMETRY_W)
  const pad = load<i32>(plan, GEOMETRY_PAD), oh = load<i32>(plan, GEOMETRY_OH), ow = load<i32>(plan, GEOMETRY_OW)
  const th = (oh + 3) >> 2, tw = (ow + 3) >> 2
  const rows = load<i32>(plan, WINOGRAD_TILES)
  const planeBytes = <usize>(h * w) << 2
  const mb = <usize>vMatrix << 2
  for (let img = imgStart; img < imgEnd; img++) {
    for (let ch = 0; ch < c; ch++) {
      const plane = x + <usize>(img * c + ch) * planeBytes
      const channelRow = v + (<usize>(ch * rows + img * th * tw) << 2)
      // Tiles of this channel left to write in this call after the image's first: what a spill may overwrite.
      const ahead = (imgEnd - img) * th * tw
      let ty = 0
      // Maps two tiles wide (8×8, 7×7): two rows of tiles fill the four lanes, each row of tiles six rows of three column vectors.
      if (tw == 2) for (; ty + 1 < th; ty += 2) rowPair(plane, channelRow + (<usize>(ty * 2) << 2), mb, 4 * ty - pad, h, w, -pad)
      for (; ty < th; ty++) {
        const top = 4 * ty - pad
        const outRow = channelRow + (<usize>(ty * tw) << 2)
        for (let tx = 0; tx < tw; tx += 4) {
          const left = 4 * tx - pad
          const o0 = columnOffset(left, w), o1 = columnOffset(left + 4, w), o2 = columnOffset(left + 8, w), o3 = columnOffset(left + 12, w), o4 = columnOffset(left + 16, w)
          const k0 = columnMask(left, w), k1 = columnMask(left + 4, w), k2 = columnMask(left + 8, w), k3 = columnMask(left + 12, w), k4 = columnMask(left + 16, w)
          const at = outRow + (<usize>tx << 2)
          const count = ty * tw + tx + 4 <= ahead ? 4 : min(4, tw - tx)
          // The six rows of the tiles, five column vectors each (a row above or below the image loads a row inside, masked to nothing).
          const ra = rowStart(plane, top, h, w), rb = rowStart(plane, top + 1, h, w), rc = rowStart(plane, top + 2, h, w)
          const rd = rowStart(plane, top + 3, h, w), re = rowStart(plane, top + 4, h, w), rf = rowStart(plane, top + 5, h, w)
          const ia = rowInside(top, h), ib = rowInside(top + 1, h), ic = rowInside(top + 2, h), id = rowInside(top + 3, h), ie = rowInside(top + 4, h), iff = rowInside(top + 5, h)
          const a0 = part(ra, o0, k0, ia), b0 = part(rb, o0, k0, ib), c0 = part(rc, o0, k0, ic), d0 = part(rd, o0, k0, id), e0 = part(re, o0, k0, ie), f0 = part(rf, o0, k0, iff)
          const a1 = part(ra, o1, k1, ia), b1 = part(rb, o1, k1, ib), c1 = part(rc, o1, k1, ic), d1 = part(rd, o1, k1, id), e1 = part(re, o1, k1, ie), f1 = part(rf, o1, k1, iff)
          const a2 = part(ra, o2, k2, ia), b2 = part(rb, o2, k2, ib), c2 = part(rc, o2, k2, ic), d2 = part(rd, o2, k2, id), e2 = part(re, o2, k2, ie), f2 = part(rf, o2, k2, iff)
          const a3 = part(ra, o3, k3, ia), b3 = part(rb, o3, k3, ib), c3 = part(rc, o3, k3, ic), d3 = part(rd, o3, k3, id), e3 = part(re, o3, k3, ie), f3 = part(rf, o3, k3, iff)
          const a4 = part(ra, o4, k4, ia), b4 = part(rb, o4, k4, ib), c4 = part(rc, o4, k4, ic), d4 = part(rd, o4, k4, id), e4 = part(re, o4, k4, ie), f4 = part(rf, o4, k4, iff)
          // Row ξ of Bᵀ d on each column vector, then Bᵀ on each tile's six columns of that row.
          tileRow(at, mb, 0, bt0(a0, b0, c0, d0, e0, f0), bt0(a1, b1, c1, d1, e1, f1), bt0(a2, b2, c2, d2, e2, f2), bt0(a3, b3, c3, d3, e3, f3), bt0(a4, b4, c4, d4, e4, f4), count)
          tileRow(at, mb, 1, bt1(a0, b0, c0, d0, e0, f0), bt1(a1, b1, c1, d1, e1, f1), bt1(a2, b2, c2, d2, e2, f2), bt1(a3, b3, c3, d3, e3, f3), bt1(a4, b4, c4, d4, e4, f4), count)
          tileRow(at, mb, 2, bt2(a0, b0, c0, d0, e0, f0), bt2(a1, b1, c1, d1, e1, f1), bt2(a2, b2, c2, d2, e2, f2), bt2(a3, b3, c3, d3, e3, f3), bt2(a4, b4, c4, d4, e4, f4), count)
          tileRow(at, mb, 3, bt3(a0, b0, c0, d0, e0, f0), bt3(a1, b1, c1, d1, e1, f1), bt3(a2, b2, c2, d2, e2, f2), bt3(a3, b3, c3, d3, e3, f3), bt3(a4, b4, c4, d4, e4, f4), count)
          tileRow(at, mb, 4, bt4(a0, b0, c0, d0, e0, f0), bt4(a1, b1, c1, d1, e1, f1), bt4(a2, b2, c2, d2, e2, f2), bt4(a3, b3, c3, d3, e3, f3), bt4(a4, b4, c4, d4, e4, f4), count)
          tileRow(at, mb, 5, bt5(a0, b0, c0, d0, e0, f0), bt5(a1, b1, c1, d1, e1, f1), bt5(a2, b2, c2, d2, e2, f2), bt5(a3, b3, c3, d3, e3, f3), bt5(a4, b4, c4, d4, e4, f4), count)
        }
      }
    }
  }
}

const FOUR = f32x4.splat(4), FIVE = f32x4.splat(5), TWO = f32x4.splat(2)

// Bᵀ's rows: 4d0 − 5d2 + d4; (d3 + d4) − 4(d1 + d2); (d4 − d3) + 4(d1 − d2); (d4 − d2) + 2(d3 − d1);
// (d4 − d2) − 2(d3 − d1); 4d1 − 5d3 + d5.
// @ts-ignore: decorator
@inline
function bt0(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128): v128 {
  return f32x4.add(f32x4.sub(f32x4.mul(FOUR, d0), f32x4.mul(FIVE, d2)), d4)
}
// @ts-ignore: decorator
@inline
function bt1(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128): v128 {
  return f32x4.sub(f32x4.add(d3, d4), f32x4.mul(FOUR, f32x4.add(d1, d2)))
}
// @ts-ignore: decorator
@inline
function bt2(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128): v128 {
  return f32x4.add(f32x4.sub(d4, d3), f32x4.mul(FOUR, f32x4.sub(d1, d2)))
}
// @ts-ignore: decorator
@inline
function bt3(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128): v128 {
  return f32x4.add(f32x4.sub(d4, d2), f32x4.mul(TWO, f32x4.sub(d3, d1)))
}
// @ts-ignore: decorator
@inline
function bt4(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128): v128 {
  return f32x4.sub(f32x4.sub(d4, d2), f32x4.mul(TWO, f32x4.sub(d3, d1)))
}
// @ts-ignore: decorator
@inline
function bt5(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128): v128 {
  return f32x4.add(f32x4.sub(f32x4.mul(FOUR, d1), f32x4.mul(FIVE, d3)), d5)
}

/** Byte offset of a column vector from its row's start: its column, or 0 when it lies wholly right of the image. */
// @ts-ignore: decorator
@inline
function columnOffset(column: i32, w: i32): usize {
  return <usize>(<isize>(column >= w ? 0 : column) << 2)
}

/** Lanes of the four columns from `column` that are inside the image. */
// @ts-ignore: decorator
@inline
function columnMask(column: i32, w: i32): v128 {
  const at = i32x4.add(i32x4.splat(column), i32x4(0, 1, 2, 3))
  return v128.and(i32x4.ge_s(at, i32x4.splat(0)), i32x4.lt_s(at, i32x4.splat(w)))
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

/** Four values of a row at byte offset `offset`, masked to the image. */
// @ts-ignore: decorator
@inline
function part(row: usize, offset: usize, columns: v128, inside: v128): v128 {
  return v128.and(v128.load(row + offset), v128.and(columns, inside))
}

/**
 * V[ξ·6 + ν] for four tiles from row ξ of Bᵀ d over five column vectors (p0 … p4, 20 columns): tile k's
 * column j is value 4k + j, so columns 0–3 are p0 … p3 transposed and columns 4–5 the first two of p1 … p4
 * transposed; then ν = 0…5 is Bᵀ on the six. `count` (1–4) tiles are stored.
 */
// @ts-ignore: decorator
@inline
function tileRow(at: usize, mb: usize, xi: i32, p0: v128, p1: v128, p2: v128, p3: v128, p4: v128, count: i32): void {
  tileLanes(at, mb, xi, p0, p1, p2, p3, p1, p2, p3, p4, count)
}

/** tileRow with lane k's columns 0–3 from p_k and 4–5 from the first two of n_k (tileRow: n_k = p_{k+1}). */
// @ts-ignore: decorator
@inline
function tileLanes(at: usize, mb: usize, xi: i32, p0: v128, p1: v128, p2: v128, p3: v128, n0: v128, n1: v128, n2: v128, n3: v128, count: i32): void {
  const lo01 = v128.shuffle<i32>(p0, p1, 0, 4, 1, 5), lo23 = v128.shuffle<i32>(p2, p3, 0, 4, 1, 5)
  const hi01 = v128.shuffle<i32>(p0, p1, 2, 6, 3, 7), hi23 = v128.shuffle<i32>(p2, p3, 2, 6, 3, 7)
  const lo12 = v128.shuffle<i32>(n0, n1, 0, 4, 1, 5), lo34 = v128.shuffle<i32>(n2, n3, 0, 4, 1, 5)
  const j0 = v128.shuffle<i32>(lo01, lo23, 0, 1, 4, 5), j1 = v128.shuffle<i32>(lo01, lo23, 2, 3, 6, 7)
  const j2 = v128.shuffle<i32>(hi01, hi23, 0, 1, 4, 5), j3 = v128.shuffle<i32>(hi01, hi23, 2, 3, 6, 7)
  const j4 = v128.shuffle<i32>(lo12, lo34, 0, 1, 4, 5), j5 = v128.shuffle<i32>(lo12, lo34, 2, 3, 6, 7)
  const base = at + <usize>(xi * 6) * mb
  storeTiles(base, bt0(j0, j1, j2, j3, j4, j5), count)
  storeTiles(base + mb, bt1(j0, j1, j2, j3, j4, j5), count)
  storeTiles(base + mb * 2, bt2(j0, j1, j2, j3, j4, j5), count)
  storeTiles(base + mb * 3, bt3(j0, j1, j2, j3, j4, j5), count)
  storeTiles(base + mb * 4, bt4(j0, j1, j2, j3, j4, j5), count)
  storeTiles(base + mb * 5, bt5(j0, j1, j2, j3, j4, j5), count)
}

/**
 * V of two rows of tiles of a map two tiles wide, from `top` and `top` + 4, one tile a lane (the four consecutive rows
 * of V at `at`): rows top … top + 9 of the plane, three column vectors each from `left`; rows 0–5 are the upper tiles'
 * (a), rows 4–9 the lower's (b), so tileRow's arithmetic per value with lanes 2–3 from b.
 */
function rowPair(plane: usize, at: usize, mb: usize, top: i32, h: i32, w: i32, left: i32): void {
  const o0 = columnOffset(left, w), o1 = columnOffset(left + 4, w), o2 = columnOffset(left + 8, w)
  const k0 = columnMask(left, w), k1 = columnMask(left + 4, w), k2 = columnMask(left + 8, w)
  const r0 = rowStart(plane, top, h, w), r1 = rowStart(plane, top + 1, h, w), r2 = rowStart(plane, top + 2, h, w), r3 = rowStart(plane, top + 3, h, w)
  const r4 = rowStart(plane, top + 4, h, w), r5 = rowStart(plane, top + 5, h, w), r6 = rowStart(plane, top + 6, h, w), r7 = rowStart(plane, top + 7, h, w)
  const r8 = rowStart(plane, top + 8, h, w), r9 = rowStart(plane, top + 9, h, w)
  const i0 = rowInside(top, h), i1 = rowInside(top + 1, h), i2 = rowInside(top + 2, h), i3 = rowInside(top + 3, h), i4 = rowInside(top + 4, h)
  const i5 = rowInside(top + 5, h), i6 = rowInside(top + 6, h), i7 = rowInside(top + 7, h), i8 = rowInside(top + 8, h), i9 = rowInside(top + 9, h)
  const x00 = part(r0, o0, k0, i0), x10 = part(r1, o0, k0, i1), x20 = part(r2, o0, k0, i2), x30 = part(r3, o0, k0, i3), x40 = part(r4, o0, k0, i4)
  const x50 = part(r5, o0, k0, i5), x60 = part(r6, o0, k0, i6), x70 = part(r7, o0, k0, i7), x80 = part(r8, o0, k0, i8), x90 = part(r9, o0, k0, i9)
  const x01 = part(r0, o1, k1, i0), x11 = part(r1, o1, k1, i1), x21 = part(r2, o1, k1, i2), x31 = part(r3, o1, k1, i3), x41 = part(r4, o1, k1, i4)
  const x51 = part(r5, o1, k1, i5), x61 = part(r6, o1, k1, i6), x71 = part(r7, o1, k1, i7), x81 = part(r8, o1, k1, i8), x91 = part(r9, o1, k1, i9)
  const x02 = part(r0, o2, k2, i0), x12 = part(r1, o2, k2, i1), x22 = part(r2, o2, k2, i2), x32 = part(r3, o2, k2, i3), x42 = part(r4, o2, k2, i4)
  const x52 = part(r5, o2, k2, i5), x62 = part(r6, o2, k2, i6), x72 = part(r7, o2, k2, i7), x82 = part(r8, o2, k2, i8), x92 = part(r9, o2, k2, i9)
  let a0 = bt0(x00, x10, x20, x30, x40, x50), a1 = bt0(x01, x11, x21, x31, x41, x51), a2 = bt0(x02, x12, x22, x32, x42, x52)
  let b0 = bt0(x40, x50, x60, x70, x80, x90), b1 = bt0(x41, x51, x61, x71, x81, x91), b2 = bt0(x42, x52, x62, x72, x82, x92)
  tileLanes(at, mb, 0, a0, a1, b0, b1, a1, a2, b1, b2, 4)
  a0 = bt1(x00, x10, x20, x30, x40, x50), a1 = bt1(x01, x11, x21, x31, x41, x51), a2 = bt1(x02, x12, x22, x32, x42, x52)
  b0 = bt1(x40, x50, x60, x70, x80, x90), b1 = bt1(x41, x51, x61, x71, x81, x91), b2 = bt1(x42, x52, x62, x72, x82, x92)
  tileLanes(at, mb, 1, a0, a1, b0, b1, a1, a2, b1, b2, 4)
  a0 = bt2(x00, x10, x20, x30, x40, x50), a1 = bt2(x01, x11, x21, x31, x41, x51), a2 = bt2(x02, x12, x22, x32, x42, x52)
  b0 = bt2(x40, x50, x60, x70, x80, x90), b1 = bt2(x41, x51, x61, x71, x81, x91), b2 = bt2(x42, x52, x62, x72, x82, x92)
  tileLanes(at, mb, 2, a0, a1, b0, b1, a1, a2, b1, b2, 4)
  a0 = bt3(x00, x10, x20, x30, x40, x50), a1 = bt3(x01, x11, x21, x31, x41, x51), a2 = bt3(x02, x12, x22, x32, x42, x52)
  b0 = bt3(x40, x50, x60, x70, x80, x90), b1 = bt3(x41, x51, x61, x71, x81, x91), b2 = bt3(x42, x52, x62, x72, x82, x92)
  tileLanes(at, mb, 3, a0, a1, b0, b1, a1, a2, b1, b2, 4)
  a0 = bt4(x00, x10, x20, x30, x40, x50), a1 = bt4(x01, x11, x21, x31, x41, x51), a2 = bt4(x02, x12, x22, x32, x42, x52)
  b0 = bt4(x40, x50, x60, x70, x80, x90), b1 = bt4(x41, x51, x61, x71, x81, x91), b2 = bt4(x42, x52, x62, x72, x82, x92)
  tileLanes(at, mb, 4, a0, a1, b0, b1, a1, a2, b1, b2, 4)
  a0 = bt5(x00, x10, x20, x30, x40, x50), a1 = bt5(x01, x11, x21, x31, x41, x51), a2 = bt5(x02, x12, x22, x32, x42, x52)
  b0 = bt5(x40, x50, x60, x70, x80, x90), b1 = bt5(x41, x51, x61, x71, x81, x91), b2 = bt5(x42, x52, x62, x72, x82, x92)
  tileLanes(at, mb, 5, a0, a1, b0, b1, a1, a2, b1, b2, 4)
}

/** The first `count` lanes of u (all four but at the end of the call's last row of tiles, whose next tile is another's). */
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

/**
 * out (N, FN, oh, ow) for images [imgStart, imgEnd) from M (each M[ξν] `mMatrix` floats apart, rows of FN
 * values): Aᵀ M A plus the bias, four filters at a time (FN a multiple of 4: f32/winograd-f4.ts checks),
 * the rows and columns of a 4×4 block that fall outside the map left out.
 */
function winogradF4Output(geometry: usize, m: usize, mMatrix: i32, filters: i32, bias: usize, out: usize, imgStart: i32, imgEnd: i32): void {
  const oh = load<i32>(geometry, GEOMETRY_OH), ow = load<i32>(geometry, GEOMETRY_OW)
  const th = (oh + 3) >> 2, tw = (ow + 3) >> 2
  const mb = <usize>mMatrix << 2
  const map = <usize>(oh * ow)
  const step = map << 2
  const below = <usize>ow << 2
  for (let img = imgStart; img < imgEnd; img++) {
    const image = out + (<usize>img * <usize>filters * map << 2)
    for (let ty = 0; ty < th; ty++) {
      const oy = 4 * ty
      const rows = min(4, oh - oy)
      // Two blocks side by side an iteration (the second may be an edge block): 5–10 % faster than one.
      for (let tx = 0; tx < tw; tx += 2) {
        const ox = 4 * tx
        const cols = min(4, ow - ox)
        const tile = (img * th + ty) * tw + tx
        const first = m + (<usize>tile * <usize>filters << 2)
        const pixel = image + (<usize>(oy * ow + ox) << 2)
        if (tx + 1 < tw) {
          const next = min(4, ow - ox - 4)
          for (let f = 0; f + 4 <= filters; f += 4) {
            const b = v128.load(bias + (<usize>f << 2))
            const at = first + (<usize>f << 2)
            const to = pixel + (<usize>f * map << 2)
            outputBlock(at, mb, to, step, below, rows, cols, b)
            outputBlock(at + (<usize>filters << 2), mb, to + 16, step, below, rows, next, b)
          }
        } else {
          for (let f = 0; f + 4 <= filters; f += 4) {
            outputBlock(first + (<usize>f << 2), mb, pixel + (<usize>f * map << 2), step, below, rows, cols, v128.load(bias + (<usize>f << 2)))
          }
        }
      }
    }
  }
}

/** A block of four filters (M's values at `at`) plus the bias to `to` (its maps `step` bytes apart, rows `below` apart): `rows` × `cols` of it. */
// @ts-ignore: decorator
@inline
function outputBlock(at: usize, mb: usize, to: usize, step: usize, below: usize, rows: i32, cols: i32, b: v128): void {
  // s_iν = Aᵀ[i] on column ν of M (rows ξ are 6 matrices apart).
  const s00 = at0(at, mb, 0), s01 = at0(at, mb, 1), s02 = at0(at, mb, 2), s03 = at0(at, mb, 3), s04 = at0(at, mb, 4), s05 = at0(at, mb, 5)
  const s10 = at1(at, mb, 0), s11 = at1(at, mb, 1), s12 = at1(at, mb, 2), s13 = at1(at, mb, 3), s14 = at1(at, mb, 4), s15 = at1(at, mb, 5)
  const s20 = at2(at, mb, 0), s21 = at2(at, mb, 1), s22 = at2(at, mb, 2), s23 = at2(at, mb, 3), s24 = at2(at, mb, 4), s25 = at2(at, mb, 5)
  const s30 = at3(at, mb, 0), s31 = at3(at, mb, 1), s32 = at3(at, mb, 2), s33 = at3(at, mb, 3), s34 = at3(at, mb, 4), s35 = at3(at, mb, 5)
  storeRow(to, step, cols, b, s00, s01, s02, s03, s04, s05)
  if (rows > 1) storeRow(to + below, step, cols, b, s10, s11, s12, s13, s14, s15)
  if (rows > 2) storeRow(to + below * 2, step, cols, b, s20, s21, s22, s23, s24, s25)
  if (rows > 3) storeRow(to + below * 3, step, cols, b, s30, s31, s32, s33, s34, s35)
}

// Aᵀ's rows on m0 … m5: m0 + (m1 + m2) + (m3 + m4); (m1 − m2) + 2(m3 − m4); (m1 + m2) + 4(m3 + m4);
// (m1 − m2) + 8(m3 − m4) + m5. On column ν of M for four filters (at0 … at3), and on a row of s (storeRow, reluRow, poolRows).
// @ts-ignore: decorator
@inline
function mAt(at: usize, mb: usize, q: i32): v128 {
  return v128.load(at + <usize>q * mb)
}
// @ts-ignore: decorator
@inline
function at0(at: usize, mb: usize, nu: i32): v128 {
  return f32x4.add(f32x4.add(mAt(at, mb, nu), f32x4.add(mAt(at, mb, 6 + nu), mAt(at, mb, 12 + nu))), f32x4.add(mAt(at, mb, 18 + nu), mAt(at, mb, 24 + nu)))
}
// @ts-ignore: decorator
@inline
function at1(at: usize, mb: usize, nu: i32): v128 {
  return f32x4.add(f32x4.sub(mAt(at, mb, 6 + nu), mAt(at, mb, 12 + nu)), f32x4.mul(TWO, f32x4.sub(mAt(at, mb, 18 + nu), mAt(at, mb, 24 + nu))))
}
// @ts-ignore: decorator
@inline
function at2(at: usize, mb: usize, nu: i32): v128 {
  return f32x4.add(f32x4.add(mAt(at, mb, 6 + nu), mAt(at, mb, 12 + nu)), f32x4.mul(FOUR, f32x4.add(mAt(at, mb, 18 + nu), mAt(at, mb, 24 + nu))))
}
// @ts-ignore: decorator
@inline
function at3(at: usize, mb: usize, nu: i32): v128 {
  return f32x4.add(f32x4.add(f32x4.sub(mAt(at, mb, 6 + nu), mAt(at, mb, 12 + nu)), f32x4.mul(EIGHT, f32x4.sub(mAt(at, mb, 18 + nu), mAt(at, mb, 24 + nu)))), mAt(at, mb, 30 + nu))
}

const EIGHT = f32x4.splat(8)

/** Row i of a 4×4 block for four filters (maps `step` bytes apart) from s_i0 … s_i5: Aᵀ on them plus the bias; `cols` (1–4) columns. */
// @ts-ignore: decorator
@inline
function storeRow(to: usize, step: usize, cols: i32, b: v128, m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128): void {
  const a = f32x4.add(m1, m2), d = f32x4.sub(m1, m2), e = f32x4.add(m3, m4), g = f32x4.sub(m3, m4)
  if (cols == 4) {
    storeRows(
      to,
      step,
      f32x4.add(f32x4.add(f32x4.add(m0, a), e), b),
      f32x4.add(f32x4.add(d, f32x4.mul(TWO, g)), b),
      f32x4.add(f32x4.add(a, f32x4.mul(FOUR, e)), b),
      f32x4.add(f32x4.add(f32x4.add(d, f32x4.mul(EIGHT, g)), m5), b)
    )
    return
  }
  storeColumn(to, step, f32x4.add(f32x4.add(f32x4.add(m0, a), e), b))
  if (cols > 1) storeColumn(to + 4, step, f32x4.add(f32x4.add(d, f32x4.mul(TWO, g)), b))
  if (cols > 2) storeColumn(to + 8, step, f32x4.add(f32x4.add(a, f32x4.mul(FOUR, e)), b))
}

/**
 * Four whole columns of a block row (y0 … y3, lanes the four filters) as four rows of one filter each
 * (`step` bytes apart): a 4×4 transpose by shuffles, one store a filter instead of four.
 */
// @ts-ignore: decorator
@inline
function storeRows(to: usize, step: usize, y0: v128, y1: v128, y2: v128, y3: v128): void {
  // Filters 0 and 1 of columns 0, 1 (t0) and of columns 2, 3 (t2); filters 2 and 3 in t1 and t3.
  const t0 = v128.shuffle<f32>(y0, y1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(y0, y1, 2, 6, 3, 7)
  const t2 = v128.shuffle<f32>(y2, y3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(y2, y3, 2, 6, 3, 7)
  v128.store(to, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5))
  v128.store(to + step, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7))
  v128.store(to + step * 2, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5))
  v128.store(to + step * 3, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7))
}

/** Two pooled columns (p0, p1; lanes the four filters) as a pair of values for each filter, `step` bytes apart. */
// @ts-ignore: decorator
@inline
function storePairs(to: usize, step: usize, p0: v128, p1: v128): void {
  const t0 = v128.shuffle<f32>(p0, p1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(p0, p1, 2, 6, 3, 7)
  v128.store64_lane(to, t0, 0)
  v128.store64_lane(to + step, t0, 1)
  v128.store64_lane(to + step * 2, t1, 0)
  v128.store64_lane(to + step * 3, t1, 1)
}

/** One output position of four filters, `step` bytes apart. */
// @ts-ignore: decorator
@inline
function storeColumn(to: usize, step: usize, y: v128): void {
  store<f32>(to, f32x4.extract_lane(y, 0))
  store<f32>(to + step, f32x4.extract_lane(y, 1))
  store<f32>(to + step * 2, f32x4.extract_lane(y, 2))
  store<f32>(to + step * 3, f32x4.extract_lane(y, 3))
}

/**
 * winogradF4Output's values through max(y, 0), stored as they are or, with `pool`, as the first maximum of
 * each 2×2 window (from −Inf, a strictly larger value replacing it: reluMaxPoolForward's bits), a block's
 * pooled rows and columns to (N, FN, oh/2, ow/2). A 4×4 block starts at even rows and columns, so its
 * windows are its own.
 */
function winogradF4OutputRelu(geometry: usize, m: usize, mMatrix: i32, filters: i32, bias: usize, out: usize, pool: bool, imgStart: i32, imgEnd: i32): void {
  // A loop for each (`pool` a constant in it), each in a function of its own: both in one function (inlined into
  // winogradF4ForwardRelu's) ran 5–20 % slower.
  if (pool) pooledOutput(geometry, m, mMatrix, filters, bias, out, imgStart, imgEnd)
  else reluOnlyOutput(geometry, m, mMatrix, filters, bias, out, imgStart, imgEnd)
}

function pooledOutput(geometry: usize, m: usize, mMatrix: i32, filters: i32, bias: usize, out: usize, imgStart: i32, imgEnd: i32): void {
  reluOutput(geometry, m, mMatrix, filters, bias, out, true, imgStart, imgEnd)
}

function reluOnlyOutput(geometry: usize, m: usize, mMatrix: i32, filters: i32, bias: usize, out: usize, imgStart: i32, imgEnd: i32): void {
  reluOutput(geometry, m, mMatrix, filters, bias, out, false, imgStart, imgEnd)
}

/** winogradF4OutputRelu's loop, inlined with `pool` constant. */
// @ts-ignore: decorator
@inline
function reluOutput(geometry: usize, m: usize, mMatrix: i32, filters: i32, bias: usize, out: usize, pool: bool, imgStart: i32, imgEnd: i32): void {
  const oh = load<i32>(geometry, GEOMETRY_OH), ow = load<i32>(geometry, GEOMETRY_OW)
  const th = (oh + 3) >> 2, tw = (ow + 3) >> 2
  const mb = <usize>mMatrix << 2
  const outH = pool ? oh >> 1 : oh, outW = pool ? ow >> 1 : ow
  const map = <usize>(outH * outW)
  const step = map << 2
  const below = <usize>outW << 2
  // The next block's first output: 4 columns on, or 2 pooled.
  const right: usize = pool ? 8 : 16
  for (let img = imgStart; img < imgEnd; img++) {
    const image = out + (<usize>img * <usize>filters * map << 2)
    for (let ty = 0; ty < th; ty++) {
      const oy = 4 * ty
      const rows = min(4, oh - oy)
      // Two blocks side by side an iteration, as winogradF4Output.
      for (let tx = 0; tx < tw; tx += 2) {
        const ox = 4 * tx
        const cols = min(4, ow - ox)
        const first = m + (<usize>((img * th + ty) * tw + tx) * <usize>filters << 2)
        // The block's first output (pooled: its first window) in filter 0's map.
        const pixel = image + (pool ? <usize>((oy >> 1) * outW + (ox >> 1)) << 2 : <usize>(oy * ow + ox) << 2)
        if (tx + 1 < tw) {
          const next = min(4, ow - ox - 4)
          for (let f = 0; f + 4 <= filters; f += 4) {
            const b = v128.load(bias + (<usize>f << 2))
            const at = first + (<usize>f << 2)
            const to = pixel + (<usize>f * map << 2)
            reluBlock(at, mb, to, step, below, rows, cols, b, pool)
            reluBlock(at + (<usize>filters << 2), mb, to + right, step, below, rows, next, b, pool)
          }
        } else {
          for (let f = 0; f + 4 <= filters; f += 4) {
            reluBlock(first + (<usize>f << 2), mb, pixel + (<usize>f * map << 2), step, below, rows, cols, v128.load(bias + (<usize>f << 2)), pool)
          }
        }
      }
    }
  }
}

/** outputBlock's values through the ReLU, with `pool` max-pooled (`below`: a pooled row's bytes then). */
// @ts-ignore: decorator
@inline
function reluBlock(at: usize, mb: usize, to: usize, step: usize, below: usize, rows: i32, cols: i32, b: v128, pool: bool): void {
  // s_iν as winogradF4Output's, all before the first store (so M's loads are shared between the rows).
  const s00 = at0(at, mb, 0), s01 = at0(at, mb, 1), s02 = at0(at, mb, 2), s03 = at0(at, mb, 3), s04 = at0(at, mb, 4), s05 = at0(at, mb, 5)
  const s10 = at1(at, mb, 0), s11 = at1(at, mb, 1), s12 = at1(at, mb, 2), s13 = at1(at, mb, 3), s14 = at1(at, mb, 4), s15 = at1(at, mb, 5)
  const s20 = at2(at, mb, 0), s21 = at2(at, mb, 1), s22 = at2(at, mb, 2), s23 = at2(at, mb, 3), s24 = at2(at, mb, 4), s25 = at2(at, mb, 5)
  const s30 = at3(at, mb, 0), s31 = at3(at, mb, 1), s32 = at3(at, mb, 2), s33 = at3(at, mb, 3), s34 = at3(at, mb, 4), s35 = at3(at, mb, 5)
  if (!pool) {
    reluRow(to, step, cols, b, s00, s01, s02, s03, s04, s05)
    if (rows > 1) reluRow(to + below, step, cols, b, s10, s11, s12, s13, s14, s15)
    if (rows > 2) reluRow(to + below * 2, step, cols, b, s20, s21, s22, s23, s24, s25)
    if (rows > 3) reluRow(to + below * 3, step, cols, b, s30, s31, s32, s33, s34, s35)
  } else {
    // Rows in pairs (oh even).
    poolRows(to, step, cols, b, s00, s01, s02, s03, s04, s05, s10, s11, s12, s13, s14, s15)
    if (rows > 2) poolRows(to + below, step, cols, b, s20, s21, s22, s23, s24, s25, s30, s31, s32, s33, s34, s35)
  }
}

const ZERO = f32x4.splat(0),
  LOWEST = f32x4.splat(-Infinity)

/** Column 0 … 3 of a block row for four filters (storeRow's sums) through the ReLU. */
// @ts-ignore: decorator
@inline
function relu0(m0: v128, a: v128, e: v128, b: v128): v128 {
  return f32x4.max(f32x4.add(f32x4.add(f32x4.add(m0, a), e), b), ZERO)
}
// @ts-ignore: decorator
@inline
function relu1(d: v128, g: v128, b: v128): v128 {
  return f32x4.max(f32x4.add(f32x4.add(d, f32x4.mul(TWO, g)), b), ZERO)
}
// @ts-ignore: decorator
@inline
function relu2(a: v128, e: v128, b: v128): v128 {
  return f32x4.max(f32x4.add(f32x4.add(a, f32x4.mul(FOUR, e)), b), ZERO)
}
// @ts-ignore: decorator
@inline
function relu3(d: v128, g: v128, m5: v128, b: v128): v128 {
  return f32x4.max(f32x4.add(f32x4.add(f32x4.add(d, f32x4.mul(EIGHT, g)), m5), b), ZERO)
}

/** A row of a block (s_i0 … s_i5) for four filters through the ReLU, `cols` (1–4) columns: whole rows of each filter where all four are inside. */
// @ts-ignore: decorator
@inline
function reluRow(to: usize, step: usize, cols: i32, b: v128, m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128): void {
  const a = f32x4.add(m1, m2), d = f32x4.sub(m1, m2), e = f32x4.add(m3, m4), g = f32x4.sub(m3, m4)
  if (cols == 4) {
    storeRows(to, step, relu0(m0, a, e, b), relu1(d, g, b), relu2(a, e, b), relu3(d, g, m5, b))
    return
  }
  storeColumn(to, step, relu0(m0, a, e, b))
  if (cols > 1) storeColumn(to + 4, step, relu1(d, g, b))
  if (cols > 2) storeColumn(to + 8, step, relu2(a, e, b))
}

/**
 * Rows i (s_i0 … s_i5: m) and i + 1 (n) of a block through the ReLU, max-pooled: each window's first maximum from −Inf in the order
 * (i, 2j), (i, 2j + 1), (i + 1, 2j), (i + 1, 2j + 1). `cols` 2 or 4 (ow even): one window, or two stored as pairs.
 */
// @ts-ignore: decorator
@inline
function poolRows(
  to: usize,
  step: usize,
  cols: i32,
  b: v128,
  m0: v128,
  m1: v128,
  m2: v128,
  m3: v128,
  m4: v128,
  m5: v128,
  n0: v128,
  n1: v128,
  n2: v128,
  n3: v128,
  n4: v128,
  n5: v128
): void {
  const a = f32x4.add(m1, m2), d = f32x4.sub(m1, m2), e = f32x4.add(m3, m4), g = f32x4.sub(m3, m4)
  const a1 = f32x4.add(n1, n2), d1 = f32x4.sub(n1, n2), e1 = f32x4.add(n3, n4), g1 = f32x4.sub(n3, n4)
  const p0 = larger(larger(larger(larger(LOWEST, relu0(m0, a, e, b)), relu1(d, g, b)), relu0(n0, a1, e1, b)), relu1(d1, g1, b))
  if (cols < 4) {
    storeColumn(to, step, p0)
    return
  }
  storePairs(to, step, p0, larger(larger(larger(larger(LOWEST, relu2(a, e, b)), relu3(d, g, m5, b)), relu2(a1, e1, b)), relu3(d1, g1, n5, b)))
}

/** best, or v where v is strictly larger (a pooling window's first maximum). */
// @ts-ignore: decorator
@inline
function larger(best: v128, v: v128): v128 {
  return v128.bitselect(v, best, f32x4.gt(v, best))
}
