/*
 * The float64 ("course precision") matrix products, in AssemblyScript with 128-bit SIMD; wrapped by
 * f64/products.ts. All pointers and strides are byte addresses in the module's own memory.
 *
 * Bit-identity with gemm-ts.ts is the design constraint: every output element receives the same
 * additions in the same order as there, so
 * - vectors run across independent outputs (two neighbouring columns j per f64x2); the reduction index
 *   is never split or reordered, and each term is `acc = acc + x·b` (a multiply then an add: fixed-width
 *   SIMD has no fused multiply-add, and relaxed-simd is not enabled);
 * - which zero terms are skipped is decided before any arithmetic by the *list builders*: a term list
 *   holds the terms one output tile receives, in order, skipped ones left out (list4 and list1);
 * - the *panels* walk the list once per tile of output columns with the accumulators in registers
 *   (4 rows × 4 columns, or 1 row × 8 columns): each loaded vector of B feeds four rows, each x is
 *   loaded once per tile, and the list is compact and sequential even when A is 80 % zeros.
 * Accumulators start at +0 or from the values already in C, so callers may split the reduction into
 * chunks that stay in cache (storing and reloading a double is exact). f64/products.ts also runs gemm
 * with a looser skip rule where that provably changes no bit (all-finite B; see the note there).
 */
import { F64_LIST_BYTES_PER_TERM } from '../../plan-layouts'

// Term list entries for four output rows: x0..x3 (their bits, copied exactly), then the address of B's row.
const ENTRY4: usize = F64_LIST_BYTES_PER_TERM
const ENTRY4_ROW = 32
// Term list entries for one output row: x, then the address of B's row.
const ENTRY1: usize = 16
const ENTRY1_ROW = 8

/*
 * "x is ±0" — what `x === 0` means in gemm-ts.ts — is "no bit set but the sign": one shift and a test on
 * the raw bits, no float compare (V8 lowers f64.eq to a compare and two branches, for NaN).
 */
// @ts-ignore: decorator
@inline
function isZero(bits: i64): bool {
  return bits << 1 == 0
}

// @ts-ignore: decorator
@inline
function allZero(x0: i64, x1: i64, x2: i64, x3: i64): bool {
  return isZero(x0 | x1 | x2 | x3)
}

/** The bytes an entry moves the list cursor by: none when it is skipped. Branch-free: MNIST zeros are unpredictable. */
// @ts-ignore: decorator
@inline
function kept(entry: usize, skip: i32, allZero: bool): usize {
  return select<usize>(0, entry, (skip & <i32>allZero) != 0)
}

/**
 * Terms t in [t0, t1) for four output rows: x_r = A at a + r·rowStride + t·termStride, and the address
 * of B row t; returns their count. With `skip`, t is left out when all four x are 0: gemm-ts.ts's rule
 * for matmul's four-row blocks. The entry is always written, the cursor advances only when it is kept.
 * Vectorised for the two layouts the products use: terms along A's rows (termStride 8: two terms per
 * pass, lanes regrouped into entries) or the four rows side by side (rowStride 8: an entry is two loads).
 */
function list4(a: usize, rowStride: usize, termStride: usize, t0: i32, t1: i32, b: usize, ldb: usize, skip: i32, out: usize): i32 {
  let t = t0
  let ptr = a + <usize>t0 * termStride
  let row = b + <usize>t0 * ldb
  let cursor = out
  if (termStride == 8) {
    while (t + 2 <= t1) {
      const v0 = v128.load(ptr)
      const v1 = v128.load(ptr + rowStride)
      const v2 = v128.load(ptr + rowStride * 2)
      const v3 = v128.load(ptr + rowStride * 3)
      const bits = i64x2.shl(v128.or(v128.or(v0, v1), v128.or(v2, v3)), 1)
      v128.store(cursor, v128.shuffle<i64>(v0, v1, 0, 2))
      v128.store(cursor, v128.shuffle<i64>(v2, v3, 0, 2), 16)
      store<u32>(cursor, <u32>row, ENTRY4_ROW)
      cursor += kept(ENTRY4, skip, i64x2.extract_lane(bits, 0) == 0)
      v128.store(cursor, v128.shuffle<i64>(v0, v1, 1, 3))
      v128.store(cursor, v128.shuffle<i64>(v2, v3, 1, 3), 16)
      store<u32>(cursor, <u32>(row + ldb), ENTRY4_ROW)
      cursor += kept(ENTRY4, skip, i64x2.extract_lane(bits, 1) == 0)
      t += 2
      ptr += 16
      row += ldb << 1
    }
  }
  if (rowStride == 8) {
    while (t < t1) {
      const v0 = v128.load(ptr)
      const v1 = v128.load(ptr, 16)
      v128.store(cursor, v0)
      v128.store(cursor, v1, 16)
      store<u32>(cursor, <u32>row, ENTRY4_ROW)
      cursor += kept(ENTRY4, skip, !v128.any_true(i64x2.shl(v128.or(v0, v1), 1)))
      t++
      ptr += termStride
      row += ldb
    }
  }
  while (t < t1) { // the odd last term, or any other layout
    const x0 = load<i64>(ptr)
    const x1 = load<i64>(ptr + rowStride)
    const x2 = load<i64>(ptr + rowStride * 2)
    const x3 = load<i64>(ptr + rowStride * 3)
    store<i64>(cursor, x0)
    store<i64>(cursor, x1, 8)
    store<i64>(cursor, x2, 16)
    store<i64>(cursor, x3, 24)
    store<u32>(cursor, <u32>row, ENTRY4_ROW)
    cursor += kept(ENTRY4, skip, allZero(x0, x1, x2, x3))
    t++
    ptr += termStride
    row += ldb
  }
  return <i32>((cursor - out) / ENTRY4)
}

/**
 * Terms q in [q0, q1) for one output row: x = A at a + q·stride, and the address of B row q; returns
 * their count. With `skip`: below `groupEnd` (matmulTransA's four-row blocks; q0 is then a multiple of
 * 4) four consecutive q are dropped together only when all four x are 0, and otherwise all four are
 * kept, zeros included; past it each q with x = 0 is dropped alone.
 */
function list1(a: usize, stride: usize, q0: i32, q1: i32, b: usize, ldb: usize, skip: i32, groupEnd: i32, out: usize): i32 {
  const groupStop = min(groupEnd, q1)
  let q = q0
  let ptr = a + <usize>q0 * stride
  let row = b + <usize>q0 * ldb
  let cursor = out
  while (q + 4 <= groupStop) {
    const x0 = load<i64>(ptr)
    const x1 = load<i64>(ptr + stride)
    const x2 = load<i64>(ptr + stride * 2)
    const x3 = load<i64>(ptr + stride * 3)
    store<i64>(cursor, x0)
    store<u32>(cursor, <u32>row, ENTRY1_ROW)
    store<i64>(cursor, x1, ENTRY1)
    store<u32>(cursor, <u32>(row + ldb), ENTRY1 + ENTRY1_ROW)
    store<i64>(cursor, x2, 2 * ENTRY1)
    store<u32>(cursor, <u32>(row + ldb * 2), 2 * ENTRY1 + ENTRY1_ROW)
    store<i64>(cursor, x3, 3 * ENTRY1)
    store<u32>(cursor, <u32>(row + ldb * 3), 3 * ENTRY1 + ENTRY1_ROW)
    cursor += kept(4 * ENTRY1, skip, allZero(x0, x1, x2, x3))
    q += 4
    ptr += stride * 4
    row += ldb * 4
  }
  while (q < q1) {
    const x = load<i64>(ptr)
    store<i64>(cursor, x)
    store<u32>(cursor, <u32>row, ENTRY1_ROW)
    cursor += kept(ENTRY1, skip, isZero(x))
    q++
    ptr += stride
    row += ldb
  }
  return <i32>((cursor - out) / ENTRY1)
}

// ---- Panels: one tile of output columns at a time over a term list -------------------------------------
// A tile's accumulators start from C (`accumulate`) or from +0 as gemm-ts.ts's sums do (C's stale
// contents are then never read into a result). The odd last column uses lane 0 only, read with
// load64_zero and written with store64_lane, so no byte outside C or B is touched. The helpers below
// are inlined with constant `odd`, so each tile is straight-line code.

// @ts-ignore: decorator
@inline
function loadPart(at: usize, odd: bool): v128 {
  if (odd) return v128.load64_zero(at)
  return v128.load(at)
}

// @ts-ignore: decorator
@inline
function storePart(at: usize, value: v128, odd: bool): void {
  if (odd) v128.store64_lane(at, value, 0)
  else v128.store(at, value)
}

// @ts-ignore: decorator
@inline
function startPart(at: usize, accumulate: i32, odd: bool): v128 {
  if (accumulate) return loadPart(at, odd)
  return f64x2.splat(0)
}

/** Four rows × four columns (two vectors per row) of C at column byte offset `j`. */
// @ts-ignore: decorator
@inline
function tile4x4(list: usize, end: usize, c0: usize, c1: usize, c2: usize, c3: usize, j: usize, accumulate: i32): void {
  let a00 = startPart(c0 + j, accumulate, false), a01 = startPart(c0 + j + 16, accumulate, false)
  let a10 = startPart(c1 + j, accumulate, false), a11 = startPart(c1 + j + 16, accumulate, false)
  let a20 = startPart(c2 + j, accumulate, false), a21 = startPart(c2 + j + 16, accumulate, false)
  let a30 = startPart(c3 + j, accumulate, false), a31 = startPart(c3 + j + 16, accumulate, false)
  for (let e = list; e < end; e += ENTRY4) {
    const bRow = <usize>load<u32>(e, ENTRY4_ROW) + j
    const b0 = v128.load(bRow)
    const b1 = v128.load(bRow, 16)
    let x = v128.load64_splat(e)
    a00 = f64x2.add(a00, f64x2.mul(x, b0))
    a01 = f64x2.add(a01, f64x2.mul(x, b1))
    x = v128.load64_splat(e, 8)
    a10 = f64x2.add(a10, f64x2.mul(x, b0))
    a11 = f64x2.add(a11, f64x2.mul(x, b1))
    x = v128.load64_splat(e, 16)
    a20 = f64x2.add(a20, f64x2.mul(x, b0))
    a21 = f64x2.add(a21, f64x2.mul(x, b1))
    x = v128.load64_splat(e, 24)
    a30 = f64x2.add(a30, f64x2.mul(x, b0))
    a31 = f64x2.add(a31, f64x2.mul(x, b1))
  }
  v128.store(c0 + j, a00)
  v128.store(c0 + j, a01, 16)
  v128.store(c1 + j, a10)
  v128.store(c1 + j, a11, 16)
  v128.store(c2 + j, a20)
  v128.store(c2 + j, a21, 16)
  v128.store(c3 + j, a30)
  v128.store(c3 + j, a31, 16)
}

/** Four rows × two columns (one vector per row) of C, or the odd last column. */
// @ts-ignore: decorator
@inline
function tile4x2(list: usize, end: usize, c0: usize, c1: usize, c2: usize, c3: usize, j: usize, accumulate: i32, odd: bool): void {
  let a0 = startPart(c0 + j, accumulate, odd)
  let a1 = startPart(c1 + j, accumulate, odd)
  let a2 = startPart(c2 + j, accumulate, odd)
  let a3 = startPart(c3 + j, accumulate, odd)
  for (let e = list; e < end; e += ENTRY4) {
    const b0 = loadPart(<usize>load<u32>(e, ENTRY4_ROW) + j, odd)
    a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(e), b0))
    a1 = f64x2.add(a1, f64x2.mul(v128.load64_splat(e, 8), b0))
    a2 = f64x2.add(a2, f64x2.mul(v128.load64_splat(e, 16), b0))
    a3 = f64x2.add(a3, f64x2.mul(v128.load64_splat(e, 24), b0))
  }
  storePart(c0 + j, a0, odd)
  storePart(c1 + j, a1, odd)
  storePart(c2 + j, a2, odd)
  storePart(c3 + j, a3, odd)
}

/** Four rows of C at `c` (row stride `ldc`), all n columns, over a list4 term list of `count` entries. */
function panel4(list: usize, count: i32, c: usize, ldc: usize, n: i32, accumulate: i32): void {
  const end = list + <usize>count * ENTRY4
  const c1 = c + ldc, c2 = c + ldc * 2, c3 = c + ldc * 3
  let j = 0
  let jBytes: usize = 0
  for (; j + 4 <= n; j += 4, jBytes += 32) tile4x4(list, end, c, c1, c2, c3, jBytes, accumulate)
  if (j + 2 <= n) {
    tile4x2(list, end, c, c1, c2, c3, jBytes, accumulate, false)
    j += 2
    jBytes += 16
  }
  if (j < n) tile4x2(list, end, c, c1, c2, c3, jBytes, accumulate, true)
}

/** One row × eight columns (four vectors) of C at column byte offset `j`. */
// @ts-ignore: decorator
@inline
function tile1x8(list: usize, end: usize, c: usize, j: usize, accumulate: i32): void {
  let a0 = startPart(c + j, accumulate, false), a1 = startPart(c + j + 16, accumulate, false)
  let a2 = startPart(c + j + 32, accumulate, false), a3 = startPart(c + j + 48, accumulate, false)
  for (let e = list; e < end; e += ENTRY1) {
    const bRow = <usize>load<u32>(e, ENTRY1_ROW) + j
    const x = v128.load64_splat(e)
    a0 = f64x2.add(a0, f64x2.mul(x, v128.load(bRow)))
    a1 = f64x2.add(a1, f64x2.mul(x, v128.load(bRow, 16)))
    a2 = f64x2.add(a2, f64x2.mul(x, v128.load(bRow, 32)))
    a3 = f64x2.add(a3, f64x2.mul(x, v128.load(bRow, 48)))
  }
  v128.store(c + j, a0)
  v128.store(c + j, a1, 16)
  v128.store(c + j, a2, 32)
  v128.store(c + j, a3, 48)
}

/** One row × four columns (two vectors) of C. */
// @ts-ignore: decorator
@inline
function tile1x4(list: usize, end: usize, c: usize, j: usize, accumulate: i32): void {
  let a0 = startPart(c + j, accumulate, false), a1 = startPart(c + j + 16, accumulate, false)
  for (let e = list; e < end; e += ENTRY1) {
    const bRow = <usize>load<u32>(e, ENTRY1_ROW) + j
    const x = v128.load64_splat(e)
    a0 = f64x2.add(a0, f64x2.mul(x, v128.load(bRow)))
    a1 = f64x2.add(a1, f64x2.mul(x, v128.load(bRow, 16)))
  }
  v128.store(c + j, a0)
  v128.store(c + j, a1, 16)
}

/** One row × two columns (one vector) of C, or the odd last column. */
// @ts-ignore: decorator
@inline
function tile1x2(list: usize, end: usize, c: usize, j: usize, accumulate: i32, odd: bool): void {
  let a0 = startPart(c + j, accumulate, odd)
  for (let e = list; e < end; e += ENTRY1) {
    a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(e), loadPart(<usize>load<u32>(e, ENTRY1_ROW) + j, odd)))
  }
  storePart(c + j, a0, odd)
}

/** One row of C at `c`, all n columns, over a list1 term list of `count` entries. */
function panel1(list: usize, count: i32, c: usize, n: i32, accumulate: i32): void {
  const end = list + <usize>count * ENTRY1
  let j = 0
  let jBytes: usize = 0
  for (; j + 8 <= n; j += 8, jBytes += 64) tile1x8(list, end, c, jBytes, accumulate)
  if (j + 4 <= n) {
    tile1x4(list, end, c, jBytes, accumulate)
    j += 4
    jBytes += 32
  }
  if (j + 2 <= n) {
    tile1x2(list, end, c, jBytes, accumulate, false)
    j += 2
    jBytes += 16
  }
  if (j < n) tile1x2(list, end, c, jBytes, accumulate, true)
}

// ---- The exported products ----------------------------------------------------------------------------

/**
 * For each output row i < m, C[i, :] (+)= Σ_{t0 ≤ t < t1} x(i, t)·B[t, :] with x(i, t) at
 * a + i·rowStride + t·termStride, B and C rows n doubles long. Four rows at a time, then single rows
 * skipping their own zeros: gemm-ts.ts's matmul. The strides let the same code run on a transposed A
 * (see f64/products.ts). `list` is room for (t1 − t0) · F64_LIST_BYTES_PER_TERM bytes.
 */
export function gemm(a: usize, rowStride: i32, termStride: i32, b: usize, c: usize, m: i32, n: i32, t0: i32, t1: i32, skip: i32, accumulate: i32, list: usize): void {
  const ldc = <usize>n << 3
  const m4 = m & -4
  let i = 0
  let aRow = a
  let cRow = c
  for (; i < m4; i += 4) {
    const count = list4(aRow, rowStride, termStride, t0, t1, b, ldc, skip, list)
    panel4(list, count, cRow, ldc, n, accumulate)
    aRow += <usize>rowStride << 2
    cRow += ldc << 2
  }
  for (; i < m; i++) {
    const count = list1(aRow, termStride, t0, t1, b, ldc, skip, 0, list)
    panel1(list, count, cRow, n, accumulate)
    aRow += rowStride
    cRow += ldc
  }
}

/**
 * C (k×n) (+)= Σ_{i0 ≤ i < i1} A[i, :]ᵀ·B[i, :], A m×k, B m×n, one output row p at a time with
 * gemm-ts.ts's exact four-row group rule. i0 must be a multiple of 4 so the groups line up with the
 * TypeScript blocks.
 */
export function gemmTransA(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, i0: i32, i1: i32, accumulate: i32, list: usize): void {
  const lda = <usize>k << 3
  const ldb = <usize>n << 3
  let aColumn = a
  let cRow = c
  for (let p = 0; p < k; p++) {
    const count = list1(aColumn, lda, i0, i1, b, ldb, 1, m & -4, list)
    panel1(list, count, cRow, n, accumulate)
    aColumn += 8
    cRow += ldb
  }
}

/** dst (cols×rows) = srcᵀ, so matmulTransB can vectorise across outputs. */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  const dstStride = <usize>rows << 3
  let from = src
  for (let r = 0; r < rows; r++) {
    let to = dst + (<usize>r << 3)
    for (let col = 0; col < cols; col++) {
      store<i64>(to, load<i64>(from)) // the bits, exactly
      from += 8
      to += dstStride
    }
  }
}

/**
 * 1 when none of the `count` doubles at `ptr` is ±Inf or NaN. v − v is +0 for a finite v and NaN
 * otherwise; OR-ing the bits keeps the loop free of a floating-point dependency chain.
 */
export function allFinite(ptr: usize, count: i32): i32 {
  let bits = f64x2.splat(0)
  let p = ptr
  const end = ptr + (<usize>(count & -2) << 3)
  for (; p < end; p += 16) {
    const v = v128.load(p)
    bits = v128.or(bits, f64x2.sub(v, v))
  }
  if (count & 1) {
    const v = v128.load64_zero(p)
    bits = v128.or(bits, f64x2.sub(v, v))
  }
  return v128.any_true(bits) ? 0 : 1
}
