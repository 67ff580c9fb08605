/*
 * The engine's float32 matrix kernels, in AssemblyScript with 128-bit SIMD (wrapped by
 * f32/products.ts).
 *
 * One register-tiled kernel serves all three products. The right operand is first packed into panels of
 * 8 columns (each step's 8 values side by side, zero-padded at the right edge), so the kernel walks a
 * 4 × 8 tile of C over the reduction with 8 f32x4 accumulators in registers: per step two vector loads of
 * the panel, four broadcasts of A, eight multiplies and eight adds. A is read in place through two
 * strides, so Aᵀ (the weight gradient) needs no copy. Where A's rows are adjacent (Winograd's V, Aᵀ) the
 * tile is 5 × 8: ten chains of multiply-adds instead of eight leave slack for the fused multiply-add's
 * latency, which a short reduction (16 channels) otherwise pays at every tile's start and end. V8 keeps 15
 * of x64's 16 vector registers for values and issues a step's loads first: a fifth broadcast (or a sixth
 * row) spills accumulators and halves the speed, so rows i…i+3 come in one load, spread by shuffles.
 * The tiles are inlined into the loops over rows and panels, with C's start (+0 or loaded) decided once.
 *
 * Every element of C sums its terms in reduction order, starting from +0, in the same chunks whatever
 * the tile, so any split of C's rows between threads gives the same bits.
 *
 * Each term is added by `madd`: one fused multiply-add (one rounding) in the module built with relaxed
 * SIMD, a multiply then an add in the one without (see f32/relaxed-simd.ts for which runs where).
 *
 * All pointers are byte addresses in the (shared) memory; all sizes are element counts.
 */

import { F32_PANEL_COLUMNS } from '../../plan-layouts'

/** Columns per packed panel. */
const PANEL: i32 = F32_PANEL_COLUMNS
/** Reduction steps per chunk: a chunk of a panel (CHUNK × 32 bytes) stays in the first-level cache. */
const CHUNK: i32 = 256

/**
 * Packs the `rows` × `cols` row-major matrix at `src` (row stride `ld` elements) into panels at `dst`:
 * panel q holds columns 8q…8q+7 of every row, row after row, zeros past the last column. Panels
 * [qStart, qEnd) only: each panel is its own, so threads may take panels.
 */
export function pack(src: usize, ld: i32, rows: i32, cols: i32, dst: usize, qStart: i32, qEnd: i32): void {
  for (let q = qStart; q < qEnd; q++) {
    const j0 = q * PANEL
    const width = min(PANEL, cols - j0)
    let out = dst + (<usize>q * <usize>rows * <usize>PANEL << 2)
    for (let r = 0; r < rows; r++) {
      const from = src + ((<usize>r * <usize>ld + <usize>j0) << 2)
      if (width == PANEL) {
        v128.store(out, v128.load(from))
        v128.store(out, v128.load(from, 16), 16)
      } else {
        for (let j = 0; j < PANEL; j++) store<f32>(out + (<usize>j << 2), j < width ? load<f32>(from + (<usize>j << 2)) : 0)
      }
      out += PANEL << 2
    }
  }
}

/**
 * Packs the transpose of the `rows` × `cols` row-major matrix at `src`: the panels of a `cols` × `rows`
 * matrix whose column j is row j of `src` (for A·Bᵀ). Panels [qStart, qEnd) only.
 */
export function packTransposed(src: usize, rows: i32, cols: i32, dst: usize, qStart: i32, qEnd: i32): void {
  for (let q = qStart; q < qEnd; q++) {
    const j0 = q * PANEL
    const width = min(PANEL, rows - j0)
    let out = dst + (<usize>q * <usize>cols * <usize>PANEL << 2)
    for (let c = 0; c < cols; c++) {
      for (let j = 0; j < PANEL; j++) store<f32>(out + (<usize>j << 2), j < width ? load<f32>(src + ((<usize>(j0 + j) * <usize>cols + <usize>c) << 2)) : 0)
      out += PANEL << 2
    }
  }
}

/**
 * C rows [rowStart, rowEnd) = A' · P (or += when `accumulate` is 1: C's values are the sums so far, and
 * the new terms are added in order after them, as if the reduction had gone on), where A'(i, s) = A at a + i·rowStride + s·stepStride (in elements)
 * for reduction steps s in [0, steps), and P is `cols` columns packed into panels at `panels`. C is
 * row-major with `cols` columns. Rows run in groups of five (row stride 1) or four; the rows left over
 * use the single-row kernels, which sum in the same order.
 */
export function gemm(a: usize, rowStride: i32, stepStride: i32, steps: i32, panels: usize, c: usize, cols: i32, accumulate: i32, rowStart: i32, rowEnd: i32): void {
  gemmStrided(a, rowStride, stepStride, steps, panels, PANEL, steps * PANEL, c, cols, accumulate, rowStart, rowEnd)
}

/**
 * gemm with the right operand read in place: B row-major (`steps` rows of `cols` values), no packing.
 * Panel q is then columns 8q…8q+7 of B, `cols` floats from one step to the next; a last panel narrower
 * than 8 reads past its row (the next row's values, or up to 7 floats past B: the memory has that slack),
 * lanes whose columns C never gets. The same sums in the same order as gemm on packed B.
 */
export function gemmRowMajorB(a: usize, rowStride: i32, stepStride: i32, steps: i32, b: usize, c: usize, cols: i32, accumulate: i32, rowStart: i32, rowEnd: i32): void {
  gemmStrided(a, rowStride, stepStride, steps, b, cols, PANEL, c, cols, accumulate, rowStart, rowEnd)
}

/** The loops of gemm over B's panels: `panelStep` floats from one step of a panel to the next, `panelStride` from panel to panel. */
// @ts-ignore: decorator
@inline
function gemmStrided(a: usize, rowStride: i32, stepStride: i32, steps: i32, b: usize, panelStep: i32, panelStride: i32, c: usize, cols: i32, accumulate: i32, rowStart: i32, rowEnd: i32): void {
  for (let s0 = 0; s0 < steps || s0 == 0; s0 += CHUNK) {
    const s1 = min(steps, s0 + CHUNK)
    if (s0 == 0 && accumulate == 0) chunkRows(a, rowStride, stepStride, s0, s1, b, panelStep, panelStride, c, cols, rowStart, rowEnd, true)
    else chunkRows(a, rowStride, stepStride, s0, s1, b, panelStep, panelStride, c, cols, rowStart, rowEnd, false)
    if (steps == 0) break
  }
}

/**
 * One chunk of steps [s0, s1) for rows [rowStart, rowEnd), all panels of a row group in turn; `first`: C
 * starts from +0 (a constant once inlined, so each case is its own code). A with adjacent rows (row stride
 * 1: Winograd's V, Aᵀ) goes five rows a tile, the last 8 or 12 in fours where five would leave 3 or 2
 * single rows (8 = 4 + 4, not 5 + 1 + 1 + 1: a lone row is two chains of multiply-adds, bound by their
 * latency; 8 rows run 1.5× faster so, cnn-deep's 8×8 maps two images a group); 16 stays 5 + 5 + 5 + 1
 * (as fast as 4 × 4, measured). Other A goes four rows a tile; the rows left over, one at a time, two
 * panels a tile.
 */
// @ts-ignore: decorator
@inline
function chunkRows(a: usize, rowStride: i32, stepStride: i32, s0: i32, s1: i32, b: usize, panelStep: i32, panelStride: i32, c: usize, cols: i32, rowStart: i32, rowEnd: i32, first: bool): void {
  const panelCount = (cols + PANEL - 1) / PANEL
  let i = rowStart
  if (rowStride == 1) {
    const rows = rowEnd - rowStart
    const left = rows % 5
    const fours = left == 4 ? 1 : left == 3 ? 2 : left == 2 ? 3 : 0
    const fivesEnd = fours * 4 <= rows ? rowEnd - fours * 4 : rowEnd
    for (; i + 5 <= fivesEnd; i += 5) {
      for (let q = 0; q < panelCount; q++) tile5(a, stepStride, s0, s1, b + (<usize>q * <usize>panelStride << 2), panelStep, c, cols, i, q * PANEL, first)
    }
  }
  for (; i + 4 <= rowEnd; i += 4) {
    for (let q = 0; q < panelCount; q++) tile4(a, rowStride, stepStride, s0, s1, b + (<usize>q * <usize>panelStride << 2), panelStep, c, cols, i, q * PANEL, first)
  }
  for (; i < rowEnd; i++) {
    let q = 0
    for (; q + 2 <= panelCount; q += 2) tile1x2(a, rowStride, stepStride, s0, s1, b + (<usize>q * <usize>panelStride << 2), panelStride, panelStep, c, cols, i, q * PANEL, first)
    if (q < panelCount) tile1(a, rowStride, stepStride, s0, s1, b + (<usize>q * <usize>panelStride << 2), panelStep, c, cols, i, q * PANEL, first)
  }
}

/** x + a·b: fused (relaxed_madd, rounded once where the processor has FMA) in the relaxed-SIMD build. */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, x: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? f32x4.relaxed_madd(a, b, x) : f32x4.add(x, f32x4.mul(a, b))
}

// @ts-ignore: decorator
@inline
function startValue(c: usize, first: bool): v128 {
  return first ? f32x4.splat(0) : v128.load(c)
}

/**
 * Five rows i…i+4 × the 8 columns of one panel, over steps [s0, s1), for A whose rows are adjacent (row
 * stride 1): tile4's sums with 10 accumulators. Rows i…i+3 of a step come in one load, each spread by a
 * shuffle just before its use, so the loads in flight leave V8 registers for all ten.
 */
// @ts-ignore: decorator
@inline
function tile5(a: usize, stepStride: i32, s0: i32, s1: i32, panel: usize, panelStep: i32, c: usize, cols: i32, i: i32, j0: i32, first: bool): void {
  const width = min(PANEL, cols - j0)
  const cb = <usize>cols << 2
  const c0 = c + ((<usize>i * <usize>cols + <usize>j0) << 2)
  const c1 = c0 + cb
  const c2 = c1 + cb
  const c3 = c2 + cb
  const c4 = c3 + cb
  let x00: v128, x01: v128, x10: v128, x11: v128, x20: v128, x21: v128, x30: v128, x31: v128, x40: v128, x41: v128
  if (width == PANEL) {
    x00 = startValue(c0, first); x01 = startValue(c0 + 16, first)
    x10 = startValue(c1, first); x11 = startValue(c1 + 16, first)
    x20 = startValue(c2, first); x21 = startValue(c2 + 16, first)
    x30 = startValue(c3, first); x31 = startValue(c3 + 16, first)
    x40 = startValue(c4, first); x41 = startValue(c4 + 16, first)
  } else {
    x00 = loadPartial(c0, width, 0, first); x01 = loadPartial(c0, width, 4, first)
    x10 = loadPartial(c1, width, 0, first); x11 = loadPartial(c1, width, 4, first)
    x20 = loadPartial(c2, width, 0, first); x21 = loadPartial(c2, width, 4, first)
    x30 = loadPartial(c3, width, 0, first); x31 = loadPartial(c3, width, 4, first)
    x40 = loadPartial(c4, width, 0, first); x41 = loadPartial(c4, width, 4, first)
  }
  const ss = <usize>stepStride << 2
  let pa = a + ((<usize>i + <usize>s0 * <usize>stepStride) << 2)
  const bs = <usize>panelStep << 2
  let pb = panel + (<usize>s0 * <usize>panelStep << 2)
  for (let s = s0; s < s1; s++) {
    const b0 = v128.load(pb)
    const b1 = v128.load(pb, 16)
    const a03 = v128.load(pa)
    const a4 = v128.load32_splat(pa, 16)
    const a0 = v128.shuffle<i32>(a03, a03, 0, 0, 0, 0)
    x00 = madd(a0, b0, x00); x01 = madd(a0, b1, x01)
    const a1 = v128.shuffle<i32>(a03, a03, 1, 1, 1, 1)
    x10 = madd(a1, b0, x10); x11 = madd(a1, b1, x11)
    const a2 = v128.shuffle<i32>(a03, a03, 2, 2, 2, 2)
    x20 = madd(a2, b0, x20); x21 = madd(a2, b1, x21)
    const a3 = v128.shuffle<i32>(a03, a03, 3, 3, 3, 3)
    x30 = madd(a3, b0, x30); x31 = madd(a3, b1, x31)
    x40 = madd(a4, b0, x40); x41 = madd(a4, b1, x41)
    pa += ss
    pb += bs
  }
  if (width == PANEL) {
    v128.store(c0, x00); v128.store(c0, x01, 16)
    v128.store(c1, x10); v128.store(c1, x11, 16)
    v128.store(c2, x20); v128.store(c2, x21, 16)
    v128.store(c3, x30); v128.store(c3, x31, 16)
    v128.store(c4, x40); v128.store(c4, x41, 16)
  } else {
    storePartial(c0, width, x00, x01)
    storePartial(c1, width, x10, x11)
    storePartial(c2, width, x20, x21)
    storePartial(c3, width, x30, x31)
    storePartial(c4, width, x40, x41)
  }
}

/** Four rows i…i+3 × the 8 columns of one panel, over steps [s0, s1). */
// @ts-ignore: decorator
@inline
function tile4(a: usize, rowStride: i32, stepStride: i32, s0: i32, s1: i32, panel: usize, panelStep: i32, c: usize, cols: i32, i: i32, j0: i32, first: bool): void {
  const width = min(PANEL, cols - j0)
  const c0 = c + ((<usize>i * <usize>cols + <usize>j0) << 2)
  const c1 = c0 + (<usize>cols << 2)
  const c2 = c1 + (<usize>cols << 2)
  const c3 = c2 + (<usize>cols << 2)
  let x00: v128, x01: v128, x10: v128, x11: v128, x20: v128, x21: v128, x30: v128, x31: v128
  if (width == PANEL) {
    x00 = startValue(c0, first); x01 = startValue(c0 + 16, first)
    x10 = startValue(c1, first); x11 = startValue(c1 + 16, first)
    x20 = startValue(c2, first); x21 = startValue(c2 + 16, first)
    x30 = startValue(c3, first); x31 = startValue(c3 + 16, first)
  } else {
    x00 = loadPartial(c0, width, 0, first); x01 = loadPartial(c0, width, 4, first)
    x10 = loadPartial(c1, width, 0, first); x11 = loadPartial(c1, width, 4, first)
    x20 = loadPartial(c2, width, 0, first); x21 = loadPartial(c2, width, 4, first)
    x30 = loadPartial(c3, width, 0, first); x31 = loadPartial(c3, width, 4, first)
  }
  const rs = <usize>rowStride << 2
  const ss = <usize>stepStride << 2
  let pa = a + ((<usize>i * <usize>rowStride + <usize>s0 * <usize>stepStride) << 2)
  const bs = <usize>panelStep << 2
  let pb = panel + (<usize>s0 * <usize>panelStep << 2)
  for (let s = s0; s < s1; s++) {
    const b0 = v128.load(pb)
    const b1 = v128.load(pb, 16)
    const a0 = v128.load32_splat(pa)
    const a1 = v128.load32_splat(pa + rs)
    const a2 = v128.load32_splat(pa + rs * 2)
    const a3 = v128.load32_splat(pa + rs * 3)
    x00 = madd(a0, b0, x00); x01 = madd(a0, b1, x01)
    x10 = madd(a1, b0, x10); x11 = madd(a1, b1, x11)
    x20 = madd(a2, b0, x20); x21 = madd(a2, b1, x21)
    x30 = madd(a3, b0, x30); x31 = madd(a3, b1, x31)
    pa += ss
    pb += bs
  }
  if (width == PANEL) {
    v128.store(c0, x00); v128.store(c0, x01, 16)
    v128.store(c1, x10); v128.store(c1, x11, 16)
    v128.store(c2, x20); v128.store(c2, x21, 16)
    v128.store(c3, x30); v128.store(c3, x31, 16)
  } else {
    storePartial(c0, width, x00, x01)
    storePartial(c1, width, x10, x11)
    storePartial(c2, width, x20, x21)
    storePartial(c3, width, x30, x31)
  }
}

/**
 * One row i × the 16 columns of two panels (the second may be the last, narrower one): tile1's sums, with
 * four chains of multiply-adds instead of two (a lone row is bound by their latency).
 */
// @ts-ignore: decorator
@inline
function tile1x2(a: usize, rowStride: i32, stepStride: i32, s0: i32, s1: i32, panel: usize, panelStride: i32, panelStep: i32, c: usize, cols: i32, i: i32, j0: i32, first: bool): void {
  const width = min(PANEL, cols - j0 - PANEL)
  const c0 = c + ((<usize>i * <usize>cols + <usize>j0) << 2)
  const x0 = startValue(c0, first)
  const x1 = startValue(c0 + 16, first)
  let x2 = loadPartial(c0 + (<usize>PANEL << 2), width, 0, first)
  let x3 = loadPartial(c0 + (<usize>PANEL << 2), width, 4, first)
  let y0 = x0, y1 = x1
  const ss = <usize>stepStride << 2
  let pa = a + ((<usize>i * <usize>rowStride + <usize>s0 * <usize>stepStride) << 2)
  const bs = <usize>panelStep << 2
  const second = <usize>panelStride << 2
  let pb = panel + (<usize>s0 * <usize>panelStep << 2)
  for (let s = s0; s < s1; s++) {
    const a0 = v128.load32_splat(pa)
    y0 = madd(a0, v128.load(pb), y0)
    y1 = madd(a0, v128.load(pb, 16), y1)
    x2 = madd(a0, v128.load(pb + second), x2)
    x3 = madd(a0, v128.load(pb + second, 16), x3)
    pa += ss
    pb += bs
  }
  v128.store(c0, y0)
  v128.store(c0, y1, 16)
  storePartial(c0 + (<usize>PANEL << 2), width, x2, x3)
}

/** One row i × the 8 columns of one panel: the same sums as a row of tile4. */
function tile1(a: usize, rowStride: i32, stepStride: i32, s0: i32, s1: i32, panel: usize, panelStep: i32, c: usize, cols: i32, i: i32, j0: i32, first: bool): void {
  const width = min(PANEL, cols - j0)
  const c0 = c + ((<usize>i * <usize>cols + <usize>j0) << 2)
  let x0 = loadPartial(c0, width, 0, first)
  let x1 = loadPartial(c0, width, 4, first)
  const ss = <usize>stepStride << 2
  let pa = a + ((<usize>i * <usize>rowStride + <usize>s0 * <usize>stepStride) << 2)
  const bs = <usize>panelStep << 2
  let pb = panel + (<usize>s0 * <usize>panelStep << 2)
  for (let s = s0; s < s1; s++) {
    const a0 = v128.load32_splat(pa)
    x0 = madd(a0, v128.load(pb), x0)
    x1 = madd(a0, v128.load(pb, 16), x1)
    pa += ss
    pb += bs
  }
  storePartial(c0, width, x0, x1)
}

/** Lanes `from`…`from+3` of a C row segment of `width` values (zeros past it, or all zeros when `first`). */
function loadPartial(c: usize, width: i32, from: i32, first: bool): v128 {
  let v = f32x4.splat(0)
  if (first) return v
  if (from < width) v = f32x4.replace_lane(v, 0, load<f32>(c + (<usize>from << 2)))
  if (from + 1 < width) v = f32x4.replace_lane(v, 1, load<f32>(c + (<usize>(from + 1) << 2)))
  if (from + 2 < width) v = f32x4.replace_lane(v, 2, load<f32>(c + (<usize>(from + 2) << 2)))
  if (from + 3 < width) v = f32x4.replace_lane(v, 3, load<f32>(c + (<usize>(from + 3) << 2)))
  return v
}

/** Stores the first `width` (< 8) lanes of x0, x1 to a C row segment. */
function storePartial(c: usize, width: i32, x0: v128, x1: v128): void {
  if (width == PANEL) {
    v128.store(c, x0)
    v128.store(c, x1, 16)
    return
  }
  if (width > 0) store<f32>(c, f32x4.extract_lane(x0, 0))
  if (width > 1) store<f32>(c + 4, f32x4.extract_lane(x0, 1))
  if (width > 2) store<f32>(c + 8, f32x4.extract_lane(x0, 2))
  if (width > 3) store<f32>(c + 12, f32x4.extract_lane(x0, 3))
  if (width > 4) store<f32>(c + 16, f32x4.extract_lane(x1, 0))
  if (width > 5) store<f32>(c + 20, f32x4.extract_lane(x1, 1))
  if (width > 6) store<f32>(c + 24, f32x4.extract_lane(x1, 2))
}
