/*
 * Winograd's F(2×2, 3×3) for 3×3 convolutions at stride 1 (all of cnn-deep's): each 2×2 block of outputs
 * comes from a 4×4 block of input with 16 multiplications per channel and filter instead of 36.
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A, summed over channels,
 * with Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], Aᵀ = [1 1 1 0; 0 1 −1 −1].
 * The sum over channels is a matrix product per transform position ξν (16 of them), done by `gemm`:
 *   U[ξν]: C × FN, the filters transformed;  V[ξν]: T × C, the input's tiles transformed (stored C × T);
 *   M[ξν] = V[ξν] · U[ξν]: T × FN.
 * The arithmetic differs from im2col's sums only by rounding (within 1e-4 of the oracle, tested).
 * The input's tiles are turned by winograd-input.ts (shared with the weight gradient, winograd-gradient.ts).
 * Wrapped by f32/winograd.ts; the geometry and the plans are laid out in plan-layouts.ts. All pointers
 * are byte addresses.
 */

import { GEOMETRY_C, GEOMETRY_OH, GEOMETRY_OW, WINOGRAD_FILTERS, WINOGRAD_M_MATRIX, WINOGRAD_TILES, WINOGRAD_U_PANELS, WINOGRAD_V_MATRIX } from '../../plan-layouts'
import { gemm } from './products'
import { winogradInput } from './winograd-input'

/**
 * The whole forward pass for images [imgStart, imgEnd) of a chunk: their tiles transformed into V, the 16
 * products M[ξν] = V[ξν] · U[ξν] on their rows, and their outputs from M. A part of the images needs
 * nothing from another part, so threads take images and meet only once per chunk. `plan` is the
 * geometry's ten i32 followed by filters, vMatrix, mMatrix (floats per V[ξν] and M[ξν]) and the floats
 * per packed U[ξν] (`panels`: the 16 packed U one after another).
 */
export function winogradForward(plan: usize, x: usize, v: usize, panels: usize, m: usize, bias: usize, out: usize, imgStart: i32, imgEnd: i32): void {
  const c = load<i32>(plan, GEOMETRY_C), oh = load<i32>(plan, GEOMETRY_OH), ow = load<i32>(plan, GEOMETRY_OW)
  const filters = load<i32>(plan, WINOGRAD_FILTERS), vMatrix = load<i32>(plan, WINOGRAD_V_MATRIX), mMatrix = load<i32>(plan, WINOGRAD_M_MATRIX), uPanels = load<i32>(plan, WINOGRAD_U_PANELS)
  const tiles = ((oh + 1) >> 1) * ((ow + 1) >> 1)
  const chunkTiles = load<i32>(plan, WINOGRAD_TILES)
  // A few images at a time, so that their V and M rows are still in this core's cache when the products
  // read V and the output transform reads M.
  const group = max(1, GROUP_BYTES / (16 * tiles * (c + filters) * 4))
  for (let first = imgStart; first < imgEnd; first += group) {
    const last = min(imgEnd, first + group)
    winogradInput(plan, x, v, vMatrix, first, last)
    for (let q = 0; q < 16; q++) {
      gemm(v + (<usize>(q * vMatrix) << 2), 1, chunkTiles, c, panels + (<usize>(q * uPanels) << 2), m + (<usize>(q * mMatrix) << 2), filters, 0, first * tiles, last * tiles)
    }
    winogradOutput(plan, m, mMatrix, filters, bias, out, first, last)
  }
}

/**
 * Bytes of V and M rows that one group of winogradForward's images may take: 128 KB, one image of
 * cnn-deep's layers (measured against 512 KB: ~5 % faster on one thread, ~20 % on two).
 */
const GROUP_BYTES: i32 = 128 * 1024

/** U[ξν][c][f] = (G g Gᵀ)[ξ][ν] for filters [fStart, fEnd) of W (FN, C, 3, 3); each U[ξν] is C × FN. */
export function winogradFilters(w: usize, u: usize, channels: i32, filters: i32, fStart: i32, fEnd: i32): void {
  const matrix = <usize>channels * <usize>filters
  for (let f = fStart; f < fEnd; f++) {
    for (let c = 0; c < channels; c++) {
      const g = w + (<usize>(f * channels + c) * 9 << 2)
      // G g: four rows of three.
      const a0 = load<f32>(g), a1 = load<f32>(g, 4), a2 = load<f32>(g, 8)
      const c0 = load<f32>(g, 24), c1 = load<f32>(g, 28), c2 = load<f32>(g, 32)
      const b0 = load<f32>(g, 12), b1 = load<f32>(g, 16), b2 = load<f32>(g, 20)
      const r1x = (a0 + b0 + c0) * 0.5, r1y = (a1 + b1 + c1) * 0.5, r1z = (a2 + b2 + c2) * 0.5
      const r2x = (a0 - b0 + c0) * 0.5, r2y = (a1 - b1 + c1) * 0.5, r2z = (a2 - b2 + c2) * 0.5
      const at = u + ((<usize>c * <usize>filters + <usize>f) << 2)
      filterRow(at, matrix, 0, a0, a1, a2)
      filterRow(at, matrix, 1, r1x, r1y, r1z)
      filterRow(at, matrix, 2, r2x, r2y, r2z)
      filterRow(at, matrix, 3, c0, c1, c2)
    }
  }
}

/** Row ξ of G g Gᵀ from row ξ of G g (x, y, z): x, (x + y + z)/2, (x − y + z)/2, z. */
// @ts-ignore: decorator
@inline
function filterRow(at: usize, matrix: usize, xi: i32, x: f32, y: f32, z: f32): void {
  const step = matrix << 2
  const base = at + <usize>(xi * 4) * step
  store<f32>(base, x)
  store<f32>(base + step, (x + y + z) * 0.5)
  store<f32>(base + step * 2, (x - y + z) * 0.5)
  store<f32>(base + step * 3, z)
}

/**
 * out (N, FN, oh, ow) for images [imgStart, imgEnd) from M (each M[ξν] `mMatrix` floats apart, rows of
 * FN values, image i's tiles as in winogradInput): Aᵀ M A plus the bias, four filters at a time.
 */
function winogradOutput(geometry: usize, m: usize, mMatrix: i32, filters: i32, bias: usize, out: usize, imgStart: i32, imgEnd: i32): void {
  const oh = load<i32>(geometry, GEOMETRY_OH), ow = load<i32>(geometry, GEOMETRY_OW)
  const th = (oh + 1) >> 1, tw = (ow + 1) >> 1
  const mb = <usize>mMatrix << 2
  const map = <usize>(oh * ow)
  for (let img = imgStart; img < imgEnd; img++) {
    const image = out + (<usize>img * <usize>filters * map << 2)
    for (let ty = 0; ty < th; ty++) {
      const oy = 2 * ty
      const twoRows = oy + 1 < oh
      for (let tx = 0; tx < tw; tx++) {
        const ox = 2 * tx
        const twoCols = ox + 1 < ow
        const tile = (img * th + ty) * tw + tx
        const first = m + (<usize>tile * <usize>filters << 2)
        const pixel = image + (<usize>(oy * ow + ox) << 2)
        let f = 0
        for (; f + 4 <= filters; f += 4) {
          const at = first + (<usize>f << 2)
          // s0ν = M0ν + M1ν + M2ν, s1ν = M1ν − M2ν − M3ν (rows ξ of M are ξ·4 matrices apart).
          const s00 = column0(at, mb, 0), s01 = column0(at, mb, 1), s02 = column0(at, mb, 2), s03 = column0(at, mb, 3)
          const s10 = column1(at, mb, 0), s11 = column1(at, mb, 1), s12 = column1(at, mb, 2), s13 = column1(at, mb, 3)
          const b = v128.load(bias + (<usize>f << 2))
          const y00 = f32x4.add(f32x4.add(f32x4.add(s00, s01), s02), b)
          const y01 = f32x4.add(f32x4.sub(f32x4.sub(s01, s02), s03), b)
          const y10 = f32x4.add(f32x4.add(f32x4.add(s10, s11), s12), b)
          const y11 = f32x4.add(f32x4.sub(f32x4.sub(s11, s12), s13), b)
          const to = pixel + (<usize>f * map << 2)
          storeFilters(to, map, ow, twoRows, twoCols, y00, y01, y10, y11)
        }
        for (; f < filters; f++) {
          // The last FN mod 4 filters, one at a time (no allocation: the kernels have no heap).
          const at = first + (<usize>f << 2)
          const s00 = sum0(at, mb, 0), s01 = sum0(at, mb, 1), s02 = sum0(at, mb, 2), s03 = sum0(at, mb, 3)
          const s10 = sum1(at, mb, 0), s11 = sum1(at, mb, 1), s12 = sum1(at, mb, 2), s13 = sum1(at, mb, 3)
          const b = load<f32>(bias + (<usize>f << 2))
          const to = pixel + (<usize>f * map << 2)
          store<f32>(to, s00 + s01 + s02 + b)
          if (twoCols) store<f32>(to + 4, s01 - s02 - s03 + b)
          if (twoRows) {
            store<f32>(to + (<usize>ow << 2), s10 + s11 + s12 + b)
            if (twoCols) store<f32>(to + (<usize>ow << 2) + 4, s11 - s12 - s13 + b)
          }
        }
      }
    }
  }
}

/** M0ν + M1ν + M2ν for one filter. */
// @ts-ignore: decorator
@inline
function sum0(at: usize, mb: usize, nu: i32): f32 {
  return load<f32>(at + <usize>nu * mb) + load<f32>(at + <usize>(4 + nu) * mb) + load<f32>(at + <usize>(8 + nu) * mb)
}

/** M1ν − M2ν − M3ν for one filter. */
// @ts-ignore: decorator
@inline
function sum1(at: usize, mb: usize, nu: i32): f32 {
  return load<f32>(at + <usize>(4 + nu) * mb) - load<f32>(at + <usize>(8 + nu) * mb) - load<f32>(at + <usize>(12 + nu) * mb)
}

/** M0ν + M1ν + M2ν for four filters. */
// @ts-ignore: decorator
@inline
function column0(at: usize, mb: usize, nu: i32): v128 {
  return f32x4.add(f32x4.add(v128.load(at + <usize>nu * mb), v128.load(at + <usize>(4 + nu) * mb)), v128.load(at + <usize>(8 + nu) * mb))
}

/** M1ν − M2ν − M3ν for four filters. */
// @ts-ignore: decorator
@inline
function column1(at: usize, mb: usize, nu: i32): v128 {
  return f32x4.sub(f32x4.sub(v128.load(at + <usize>(4 + nu) * mb), v128.load(at + <usize>(8 + nu) * mb)), v128.load(at + <usize>(12 + nu) * mb))
}

/** A 2×2 output block of four filters (maps `map` floats apart), the second row or column only if inside. */
// @ts-ignore: decorator
@inline
function storeFilters(to: usize, map: usize, ow: i32, twoRows: bool, twoCols: bool, y00: v128, y01: v128, y10: v128, y11: v128): void {
  const step = map << 2
  const below = <usize>ow << 2
  store<f32>(to, f32x4.extract_lane(y00, 0))
  store<f32>(to + step, f32x4.extract_lane(y00, 1))
  store<f32>(to + step * 2, f32x4.extract_lane(y00, 2))
  store<f32>(to + step * 3, f32x4.extract_lane(y00, 3))
  if (twoCols) {
    store<f32>(to + 4, f32x4.extract_lane(y01, 0))
    store<f32>(to + step + 4, f32x4.extract_lane(y01, 1))
    store<f32>(to + step * 2 + 4, f32x4.extract_lane(y01, 2))
    store<f32>(to + step * 3 + 4, f32x4.extract_lane(y01, 3))
  }
  if (twoRows) {
    store<f32>(to + below, f32x4.extract_lane(y10, 0))
    store<f32>(to + step + below, f32x4.extract_lane(y10, 1))
    store<f32>(to + step * 2 + below, f32x4.extract_lane(y10, 2))
    store<f32>(to + step * 3 + below, f32x4.extract_lane(y10, 3))
    if (twoCols) {
      store<f32>(to + below + 4, f32x4.extract_lane(y11, 0))
      store<f32>(to + step + below + 4, f32x4.extract_lane(y11, 1))
      store<f32>(to + step * 2 + below + 4, f32x4.extract_lane(y11, 2))
      store<f32>(to + step * 3 + below + 4, f32x4.extract_lane(y11, 3))
    }
  }
}
