/*
 * Products whose left operand is mostly zeros, wrapped by f32/sparse-products.ts.
 * MNIST pixels are ~80 % zeros, and so is the first layer's input (or its im2col matrix). These kernels
 * skip zero entries of A and read B unpacked. Each element of C still sums its non-zero terms in
 * reduction order from +0, so for a finite B they give the same bits as `gemm`: a term 0·b is ±0, and
 * adding ±0 to a sum that is never −0 (it starts at +0, and round-to-nearest gives −0 only for −0 + −0)
 * changes nothing. With an Inf or NaN in B they follow the TypeScript oracle, which skips zeros too.
 *
 * A batch formed from bytes (batch-pixels.ts's `pixelRows`) lists each row's non-zero terms as it converts them, so its
 * first layer's products (`gemmTermRows` forward, `gemmTermsTransA` for the weight gradient) need not
 * look for them again.
 *
 * Their terms are added as products.ts's are (`madd`: fused in the relaxed-SIMD build), so the bits
 * stay gemm's in both builds: a fused 0·b + x is x exactly, as a skipped term is.
 *
 * All pointers are byte addresses in the (shared) memory; all sizes are element counts.
 */
import { TERM_BYTES, TERM_INDEX, TERM_VALUE } from '../../plan-layouts'


/**
 * Writes the non-zero entries of a row segment [from, to) as (index: i32, value: f32) pairs at `list`;
 * returns their count. Four entries are tested at a time: a digit's row is mostly background.
 */
function nonZeros(row: usize, from: i32, to: i32, list: usize): i32 {
  const zero = f32x4.splat(0)
  let count = 0
  let p = from
  for (; p + 4 <= to; p += 4) {
    let mask = i32x4.bitmask(f32x4.ne(v128.load(row + (<usize>p << 2)), zero))
    while (mask != 0) {
      const lane = ctz(mask)
      const at = list + <usize>count * TERM_BYTES
      store<i32>(at, p + lane, TERM_INDEX)
      store<f32>(at, load<f32>(row + (<usize>(p + lane) << 2)), TERM_VALUE)
      count++
      mask &= mask - 1
    }
  }
  for (; p < to; p++) {
    const s = load<f32>(row + (<usize>p << 2))
    if (s != 0) {
      const at = list + <usize>count * TERM_BYTES
      store<i32>(at, p, TERM_INDEX)
      store<f32>(at, s, TERM_VALUE)
      count++
    }
  }
  return count
}

/**
 * C rows [rowStart, rowEnd) = A · B, A (·×k) and B (k×n) row-major, C (·×n). Each row's non-zero entries
 * are listed first (at list + rowStart·k pairs: each part of the rows has its own room), then C's row is
 * summed over them (`sparseRow`).
 */
export function gemmSparseA(a: usize, k: i32, b: usize, n: i32, c: usize, list: usize, rowStart: i32, rowEnd: i32): void {
  const terms = list + <usize>rowStart * <usize>k * TERM_BYTES
  for (let i = rowStart; i < rowEnd; i++) {
    const count = nonZeros(a + (<usize>i * <usize>k << 2), 0, k, terms)
    sparseRow(terms, count, b, n, c + (<usize>i * <usize>n << 2))
  }
}

/**
 * C rows [pStart, pEnd) of Aᵀ · B, A (m×k) and B (m×n) row-major, C (k×n): the weight gradient xᵀ·dout
 * of a first layer. Column p of A is listed first, as (i, a_ip) pairs at list + p·m pairs, its count at
 * list + 8·m·k + 4p (so parts, which own whole columns, never share room); then row p of C is summed
 * over that list (`sparseRow`), over i = 0, 1, … in order, as `gemm` does.
 */
export function gemmSparseTransA(a: usize, m: i32, k: i32, b: usize, n: i32, c: usize, list: usize, pStart: i32, pEnd: i32): void {
  const zero = f32x4.splat(0)
  const counts = list + <usize>m * <usize>k * TERM_BYTES
  memory.fill(counts + (<usize>pStart << 2), 0, <usize>(pEnd - pStart) << 2)
  for (let i = 0; i < m; i++) {
    const row = a + (<usize>i * <usize>k << 2)
    let p = pStart
    for (; p + 4 <= pEnd; p += 4) {
      let mask = i32x4.bitmask(f32x4.ne(v128.load(row + (<usize>p << 2)), zero))
      while (mask != 0) {
        appendTerm(list, counts, m, p + ctz(mask), i, row)
        mask &= mask - 1
      }
    }
    for (; p < pEnd; p++) if (load<f32>(row + (<usize>p << 2)) != 0) appendTerm(list, counts, m, p, i, row)
  }
  for (let p = pStart; p < pEnd; p++) {
    sparseRow(list + <usize>p * <usize>m * TERM_BYTES, load<i32>(counts + (<usize>p << 2)), b, n, c + (<usize>p * <usize>n << 2))
  }
}

// @ts-ignore: decorator
@inline
function appendTerm(list: usize, counts: usize, m: i32, p: i32, i: i32, row: usize): void {
  const countAt = counts + (<usize>p << 2)
  const count = load<i32>(countAt)
  const at = list + (<usize>p * <usize>m + <usize>count) * TERM_BYTES
  store<i32>(at, i, TERM_INDEX)
  store<f32>(at, load<f32>(row + (<usize>p << 2)), TERM_VALUE)
  store<i32>(countAt, count + 1)
}

/** x + a·b as products.ts's `madd`: fused in the relaxed-SIMD build. */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, x: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? f32x4.relaxed_madd(a, b, x) : f32x4.add(x, f32x4.mul(a, b))
}

/** x + a·b for one value, rounded as a lane of `madd` is (the same instruction, one lane used). */
// @ts-ignore: decorator
@inline
function madd1(a: f32, b: f32, x: f32): f32 {
  return ASC_FEATURE_RELAXED_SIMD ? f32x4.extract_lane(f32x4.relaxed_madd(f32x4.splat(a), f32x4.splat(b), f32x4.splat(x)), 0) : x + a * b
}

/**
 * out[0, n) = Σ over `count` (index, value) terms of value · B[index, :] (B row-major, n columns), in
 * list order. Columns go in blocks of up to 48 (twelve vectors held in registers: wide blocks keep many
 * independent sums in flight and read each term once), then single columns.
 */
function sparseRow(terms: usize, count: i32, b: usize, n: i32, out: usize): void {
  let j = 0
  for (; j + 48 <= n; j += 48) sparseBlock(terms, count, b + (<usize>j << 2), n, out + (<usize>j << 2), 12)
  const vectors = (n - j) >> 2
  const bj = b + (<usize>j << 2)
  const oj = out + (<usize>j << 2)
  // One specialised loop per width (the width must be a constant for the accumulators to stay in registers).
  if (vectors == 1) sparseBlock(terms, count, bj, n, oj, 1)
  else if (vectors == 2) sparseBlock(terms, count, bj, n, oj, 2)
  else if (vectors == 3) sparseBlock(terms, count, bj, n, oj, 3)
  else if (vectors == 4) sparseBlock(terms, count, bj, n, oj, 4)
  else if (vectors == 5) sparseBlock(terms, count, bj, n, oj, 5)
  else if (vectors == 6) sparseBlock(terms, count, bj, n, oj, 6)
  else if (vectors == 7) sparseBlock(terms, count, bj, n, oj, 7)
  else if (vectors == 8) sparseBlock(terms, count, bj, n, oj, 8)
  else if (vectors == 9) sparseBlock(terms, count, bj, n, oj, 9)
  else if (vectors == 10) sparseBlock(terms, count, bj, n, oj, 10)
  else if (vectors == 11) sparseBlock(terms, count, bj, n, oj, 11)
  j += vectors << 2
  for (; j < n; j++) sparseColumn(terms, count, b + (<usize>j << 2), n, out + (<usize>j << 2))
}

/** `vectors` (1 to 12) × 4 columns: Σ over the listed terms of value · B[index, block]. */
// @ts-ignore: decorator
@inline
function sparseBlock(terms: usize, count: i32, b: usize, n: i32, out: usize, vectors: i32): void {
  const zero = f32x4.splat(0)
  let x0 = zero, x1 = zero, x2 = zero, x3 = zero, x4 = zero, x5 = zero
  let x6 = zero, x7 = zero, x8 = zero, x9 = zero, x10 = zero, x11 = zero
  const bStride = <usize>n << 2
  for (let t = 0; t < count; t++) {
    const at = terms + <usize>t * TERM_BYTES
    const av = f32x4.splat(load<f32>(at, TERM_VALUE))
    const from = b + <usize>load<i32>(at, TERM_INDEX) * bStride
    x0 = madd(av, v128.load(from), x0)
    if (vectors > 1) x1 = madd(av, v128.load(from, 16), x1)
    if (vectors > 2) x2 = madd(av, v128.load(from, 32), x2)
    if (vectors > 3) x3 = madd(av, v128.load(from, 48), x3)
    if (vectors > 4) x4 = madd(av, v128.load(from, 64), x4)
    if (vectors > 5) x5 = madd(av, v128.load(from, 80), x5)
    if (vectors > 6) x6 = madd(av, v128.load(from, 96), x6)
    if (vectors > 7) x7 = madd(av, v128.load(from, 112), x7)
    if (vectors > 8) x8 = madd(av, v128.load(from, 128), x8)
    if (vectors > 9) x9 = madd(av, v128.load(from, 144), x9)
    if (vectors > 10) x10 = madd(av, v128.load(from, 160), x10)
    if (vectors > 11) x11 = madd(av, v128.load(from, 176), x11)
  }
  v128.store(out, x0)
  if (vectors > 1) v128.store(out, x1, 16)
  if (vectors > 2) v128.store(out, x2, 32)
  if (vectors > 3) v128.store(out, x3, 48)
  if (vectors > 4) v128.store(out, x4, 64)
  if (vectors > 5) v128.store(out, x5, 80)
  if (vectors > 6) v128.store(out, x6, 96)
  if (vectors > 7) v128.store(out, x7, 112)
  if (vectors > 8) v128.store(out, x8, 128)
  if (vectors > 9) v128.store(out, x9, 144)
  if (vectors > 10) v128.store(out, x10, 160)
  if (vectors > 11) v128.store(out, x11, 176)
}

/** One column: for the last n mod 4 columns. */
function sparseColumn(terms: usize, count: i32, b: usize, n: i32, out: usize): void {
  let x: f32 = 0
  for (let t = 0; t < count; t++) {
    const at = terms + <usize>t * TERM_BYTES
    x = madd1(load<f32>(at, TERM_VALUE), load<f32>(b + (<usize>load<i32>(at, TERM_INDEX) * <usize>n << 2)), x)
  }
  store<f32>(out, x)
}


/** C rows [rowStart, rowEnd) = A · B over A's listed terms (pixelRows): gemmSparseA without the listing. */
export function gemmTermRows(terms: usize, counts: usize, k: i32, b: usize, n: i32, c: usize, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) {
    sparseRow(terms + <usize>i * <usize>k * TERM_BYTES, load<i32>(counts + (<usize>i << 2)), b, n, c + (<usize>i * <usize>n << 2))
  }
}

/**
 * C rows [pStart, pEnd) of Aᵀ · B over A's listed terms, A (m×k, listed by row), B (m×n), C (k×n): the
 * weight gradient of a first layer. Row by row of A, each term (p, a_ip) adds a_ip · B[i, :] onto C's
 * row p, so every element of C sums over i = 0, 1, … in order from +0, as gemmSparseTransA does (the
 * same bits), without listing A's columns. B's row stays in registers, up to 48 columns at a time.
 */
export function gemmTermsTransA(terms: usize, counts: usize, m: i32, k: i32, b: usize, n: i32, c: usize, pStart: i32, pEnd: i32): void {
  memory.fill(c + (<usize>pStart * <usize>n << 2), 0, <usize>(pEnd - pStart) * <usize>n << 2)
  let j = 0
  for (; j + 48 <= n; j += 48) scatterBlock(terms, counts, m, k, b, n, c, j, pStart, pEnd, 12)
  const vectors = (n - j) >> 2
  // One specialised loop per width, as sparseRow.
  if (vectors == 1) scatterBlock(terms, counts, m, k, b, n, c, j, pStart, pEnd, 1)
  else if (vectors == 2) scatterBlock(terms, counts, m, k, b, n, c, j, pStart, pEnd, 2)
  else if (vectors == 3) scatterBlock(terms, counts, m, k, b, n, c, j, pStart, pEnd, 3)
  else if (vectors == 4) scatterBlock(terms, counts, m, k, b, n, c, j, pStart, pEnd, 4)
  else if (vectors == 5) scatterBlock(terms, counts, m, k, b, n, c, j, pStart, pEnd, 5)
  else if (vectors == 6) scatterBlock(terms, counts, m, k, b, n, c, j, pStart, pEnd, 6)
  else if (vectors == 7) scatterBlock(terms, counts, m, k, b, n, c, j, pStart, pEnd, 7)
  else if (vectors == 8) scatterBlock(terms, counts, m, k, b, n, c, j, pStart, pEnd, 8)
  else if (vectors == 9) scatterBlock(terms, counts, m, k, b, n, c, j, pStart, pEnd, 9)
  else if (vectors == 10) scatterBlock(terms, counts, m, k, b, n, c, j, pStart, pEnd, 10)
  else if (vectors == 11) scatterBlock(terms, counts, m, k, b, n, c, j, pStart, pEnd, 11)
  j += vectors << 2
  for (; j < n; j++) scatterColumn(terms, counts, m, k, b, n, c, j, pStart, pEnd)
}

/** The terms of row i with index in [pStart, pEnd): [first, end) of its list (lists are in index order). */
// @ts-ignore: decorator
@inline
function termRange(list: usize, count: i32, pStart: i32, pEnd: i32): u64 {
  let first = 0
  while (first < count && load<i32>(list + <usize>first * TERM_BYTES, TERM_INDEX) < pStart) first++
  let end = count
  while (end > first && load<i32>(list + <usize>(end - 1) * TERM_BYTES, TERM_INDEX) >= pEnd) end--
  return (<u64>first << 32) | <u64>end
}

/** Columns [j, j + 4·vectors) of gemmTermsTransA. */
// @ts-ignore: decorator
@inline
function scatterBlock(terms: usize, counts: usize, m: i32, k: i32, b: usize, n: i32, c: usize, j: i32, pStart: i32, pEnd: i32, vectors: i32): void {
  const zero = f32x4.splat(0)
  const stride = <usize>n << 2
  const cj = c + (<usize>j << 2)
  for (let i = 0; i < m; i++) {
    const from = b + <usize>i * stride + (<usize>j << 2)
    const y0 = v128.load(from)
    const y1 = vectors > 1 ? v128.load(from, 16) : zero
    const y2 = vectors > 2 ? v128.load(from, 32) : zero
    const y3 = vectors > 3 ? v128.load(from, 48) : zero
    const y4 = vectors > 4 ? v128.load(from, 64) : zero
    const y5 = vectors > 5 ? v128.load(from, 80) : zero
    const y6 = vectors > 6 ? v128.load(from, 96) : zero
    const y7 = vectors > 7 ? v128.load(from, 112) : zero
    const y8 = vectors > 8 ? v128.load(from, 128) : zero
    const y9 = vectors > 9 ? v128.load(from, 144) : zero
    const y10 = vectors > 10 ? v128.load(from, 160) : zero
    const y11 = vectors > 11 ? v128.load(from, 176) : zero
    const list = terms + <usize>i * <usize>k * TERM_BYTES
    const range = termRange(list, load<i32>(counts + (<usize>i << 2)), pStart, pEnd)
    const end = <i32>range
    for (let t = <i32>(range >> 32); t < end; t++) {
      const pair = list + <usize>t * TERM_BYTES
      const av = f32x4.splat(load<f32>(pair, TERM_VALUE))
      const to = cj + <usize>load<i32>(pair, TERM_INDEX) * stride
      v128.store(to, madd(av, y0, v128.load(to)))
      if (vectors > 1) v128.store(to, madd(av, y1, v128.load(to, 16)), 16)
      if (vectors > 2) v128.store(to, madd(av, y2, v128.load(to, 32)), 32)
      if (vectors > 3) v128.store(to, madd(av, y3, v128.load(to, 48)), 48)
      if (vectors > 4) v128.store(to, madd(av, y4, v128.load(to, 64)), 64)
      if (vectors > 5) v128.store(to, madd(av, y5, v128.load(to, 80)), 80)
      if (vectors > 6) v128.store(to, madd(av, y6, v128.load(to, 96)), 96)
      if (vectors > 7) v128.store(to, madd(av, y7, v128.load(to, 112)), 112)
      if (vectors > 8) v128.store(to, madd(av, y8, v128.load(to, 128)), 128)
      if (vectors > 9) v128.store(to, madd(av, y9, v128.load(to, 144)), 144)
      if (vectors > 10) v128.store(to, madd(av, y10, v128.load(to, 160)), 160)
      if (vectors > 11) v128.store(to, madd(av, y11, v128.load(to, 176)), 176)
    }
  }
}

/** One column j of gemmTermsTransA: for the last n mod 4 columns. */
function scatterColumn(terms: usize, counts: usize, m: i32, k: i32, b: usize, n: i32, c: usize, j: i32, pStart: i32, pEnd: i32): void {
  for (let i = 0; i < m; i++) {
    const y = load<f32>(b + ((<usize>i * <usize>n + <usize>j) << 2))
    const list = terms + <usize>i * <usize>k * TERM_BYTES
    const range = termRange(list, load<i32>(counts + (<usize>i << 2)), pStart, pEnd)
    const end = <i32>range
    for (let t = <i32>(range >> 32); t < end; t++) {
      const pair = list + <usize>t * TERM_BYTES
      const to = c + ((<usize>load<i32>(pair, TERM_INDEX) * <usize>n + <usize>j) << 2)
      store<f32>(to, madd1(load<f32>(pair, TERM_VALUE), y, load<f32>(to)))
    }
  }
}
