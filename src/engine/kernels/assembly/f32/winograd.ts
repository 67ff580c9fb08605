/*
 * Winograd's F(2×2, 3×3) for 3×3 convolutions at stride 1 (all of cnn-deep's): each 2×2 block of outputs
 * comes from a 4×4 block of input with 16 multiplications per channel and filter instead of 36.
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A, summed over channels,
 * with Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], Aᵀ = [1 1 1 0; 0 1 −1 −1].
 * The sum over channels is a matrix product per transform position ξν (16 of them), done by `gemm`:
 *   U[ξν]: C × FN, the filters transformed;  V[ξν]: T × C, the input's tiles transformed;
 *   M[ξν] = V[ξν] · U[ξν]: T × FN.
 * The arithmetic differs from im2col's sums only by rounding (within 1e-4 of the oracle, tested).
 * Wrapped by f32/winograd.ts; the geometry and the plans are laid out in plan-layouts.ts. All pointers
 * are byte addresses.
 */

import { GEOMETRY_C, GEOMETRY_H, GEOMETRY_OH, GEOMETRY_OW, GEOMETRY_PAD, GEOMETRY_W, WINOGRAD_FILTERS, WINOGRAD_GRAD_M_MATRIX, WINOGRAD_M_MATRIX, WINOGRAD_TILES, WINOGRAD_U_PANELS, WINOGRAD_V_MATRIX } from '../../plan-layouts'
import { gemm, pack } from './products'

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
  // A few images at a time, so that their V and M rows are still in this core's cache when the products
  // read V and the output transform reads M.
  const group = max(1, GROUP_BYTES / (16 * tiles * (c + filters) * 4))
  for (let first = imgStart; first < imgEnd; first += group) {
    const last = min(imgEnd, first + group)
    winogradInput(plan, x, v, vMatrix, first, last)
    for (let q = 0; q < 16; q++) {
      gemm(v + (<usize>(q * vMatrix) << 2), c, 1, c, panels + (<usize>(q * uPanels) << 2), m + (<usize>(q * mMatrix) << 2), filters, 0, first * tiles, last * tiles)
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

// ---- The weight gradient by F(3×3, 2×2) -------------------------------------------------------------------
// dW[f][c] = Σ over images and 2×2 output tiles of the 3×3 correlation of the tile's 4×4 input patch with
// its 2×2 block of dout: Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A with, for F(3×3, 2×2),
// Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 −1 0 1], G = [1 0; ½ ½; ½ −½; 0 1], Aᵀ = [1 1 1 0; 0 1 −1 0; 0 1 1 1].
// That Bᵀ is F(2×2, 3×3)'s with its last row negated, so the input is turned by winogradInput and the
// sign s_ξ·s_ν (s_3 = −1) is applied at the end. Per transform position the sum over tiles is a product:
// M[ξν] (C × FN) = V[ξν]ᵀ · U[ξν], accumulated chunk after chunk in tile order.

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
          // g for up to four filters, lane by lane (filters past FN read as 0).
          let g00 = f32x4.splat(0), g01 = g00, g10 = g00, g11 = g00
          for (let l = 0; l < 4; l++) {
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
 * (V[ξν] read in place: row c is V's column c; U[ξν] packed into panels). `plan` continues winogradForward's:
 * filters at 40, vMatrix 44, (unused) 48, panel floats per U 52, rows T at 56, mMatrix 60.
 */
export function winogradGradProducts(plan: usize, v: usize, panels: usize, m: usize, accumulate: i32, rowStart: i32, rowEnd: i32): void {
  const c = load<i32>(plan, GEOMETRY_C), filters = load<i32>(plan, WINOGRAD_FILTERS), vMatrix = load<i32>(plan, WINOGRAD_V_MATRIX)
  const uPanels = load<i32>(plan, WINOGRAD_U_PANELS), tiles = load<i32>(plan, WINOGRAD_TILES), mMatrix = load<i32>(plan, WINOGRAD_GRAD_M_MATRIX)
  for (let q = 0; q < 16; q++) {
    gemm(v + (<usize>(q * vMatrix) << 2), 1, c, tiles, panels + (<usize>(q * uPanels) << 2), m + (<usize>(q * mMatrix) << 2), filters, accumulate, rowStart, rowEnd)
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
