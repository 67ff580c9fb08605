/**
 * The WebAssembly SIMD gemm kernels, generated as module bytes (see encoder.ts for why there is no
 * .wasm file). All pointers and strides are byte addresses in the module's own memory.
 *
 * Bit-identity with gemm-ts.ts is the design constraint: every output element receives the same
 * additions in the same order as there, so
 * - vectors run across independent outputs (two neighbouring columns j per f64x2); the reduction index
 *   is never split or reordered, and each term is `acc = acc + x·b` (no fused multiply-add exists in
 *   fixed-width SIMD, and relaxed-simd is not used);
 * - which zero terms are skipped is decided before any arithmetic by the *list builders*: a term list
 *   holds the terms one output tile receives, in order, skipped ones left out (see list4 and list1);
 * - the *panels* walk the list once per tile of output columns with the accumulators in v128 locals
 *   (4 rows × 4 columns, or 1 row × 8 columns): each loaded vector of B feeds four rows, each x is
 *   loaded once per tile, and the list is compact and sequential even when A is 80 % zeros.
 * Accumulators start at +0 or from the values already in C, so callers may split the reduction into
 * chunks that stay in cache (storing and reloading a double is exact). gemm-wasm.ts also runs gemm with
 * a looser skip rule where that provably changes no bit (all-finite B; see the note there).
 */
import {
  call, encodeModule, F64, F64x2, get, i32, I32, i64, I64, I64x2, ifElse, ifThen, ret, select, set, V128, v128, whileLoop, WasmFunction,
  type Code, type Local, type ValType
} from './encoder'

/** Term list entries for four output rows: x0..x3, then the address of B's row. */
const ENTRY4 = 40
const ENTRY4_ROW = 32
/** Term list entries for one output row: x, then the address of B's row. */
const ENTRY1 = 16
const ENTRY1_ROW = 8
/** The most list bytes one term can take. */
export const LIST_BYTES_PER_TERM = ENTRY4

const inc = (local: Local, by: Code | number): Code => set(local, I32.add(get(local), typeof by === 'number' ? I32.const(by) : by))
/**
 * The x values move through the list builders as raw i64 bits (copied exactly), and "is ±0" — what
 * `x === 0` means in gemm-ts.ts — is "no bit set but the sign": one shift and a test, no float compares
 * (V8 lowers f64.eq to a compare and two branches, for NaN).
 */
const withoutSign = (bits: Code): Code => I64.shl(bits, I64.const(1))
const isZero = (x: Local): Code => I64.eqz(withoutSign(get(x)))
const allZero = (x: Local[]): Code => I64.eqz(withoutSign(I64.or(I64.or(get(x[0]), get(x[1])), I64.or(get(x[2]), get(x[3])))))
const locals = (fn: WasmFunction, type: ValType, count: number): Local[] => Array.from({ length: count }, () => fn.local(type))

/**
 * list4(a, rowStride, termStride, t0, t1, b, ldb, skip, out) → count. Terms t in [t0, t1) for four
 * output rows: x_r = A at a + r·rowStride + t·termStride, and the address of B row t. With `skip`, t is
 * left out when all four x are 0: gemm-ts.ts's rule for matmul's four-row blocks. Branch-free (the entry
 * is always written, the cursor advances only when it is kept) because MNIST zeros are unpredictable.
 * Vectorised for the two layouts the products use: terms along A's rows (termStride 8: two terms per
 * pass, lanes regrouped into entries) or the four rows side by side (rowStride 8: an entry is two loads).
 */
function defineList4(fn: WasmFunction): void {
  const [a, rowStride, termStride, t0, t1, b, ldb, skip, out] = fn.params
  const [t, ptr, row, cursor] = locals(fn, i32, 4)
  const x = locals(fn, i64, 4)
  const v = locals(fn, v128, 4)
  const bits = fn.local(v128)
  const rowAt = (r: number): Code => (r === 0 ? get(ptr) : I32.add(get(ptr), I32.mul(get(rowStride), I32.const(r))))
  const keep = (isAllZero: Code): Code => inc(cursor, select(I32.const(0), I32.const(ENTRY4), I32.and(get(skip), isAllZero)))
  const signless = (bits: Code): Code => I64x2.shl(bits, I32.const(1))
  const twoTermsPerPass = [
    ...v.map((vr, r) => set(vr, V128.load(rowAt(r)))),
    set(bits, signless(V128.or(V128.or(get(v[0]), get(v[1])), V128.or(get(v[2]), get(v[3]))))),
    ...([0, 1] as const).flatMap((lane) => [
      V128.store(get(cursor), I64x2.pick(get(v[0]), lane, get(v[1]), lane), 0),
      V128.store(get(cursor), I64x2.pick(get(v[2]), lane, get(v[3]), lane), 16),
      I32.store(get(cursor), lane === 0 ? get(row) : I32.add(get(row), get(ldb)), ENTRY4_ROW),
      keep(I64.eqz(I64x2.extractLane(get(bits), lane)))
    ]),
    inc(t, 2),
    inc(ptr, 16),
    inc(row, I32.shl(get(ldb), I32.const(1)))
  ]
  const rowsSideBySide = [
    set(v[0], V128.load(get(ptr))),
    set(v[1], V128.load(get(ptr), 16)),
    V128.store(get(cursor), get(v[0]), 0),
    V128.store(get(cursor), get(v[1]), 16),
    I32.store(get(cursor), get(row), ENTRY4_ROW),
    keep(I32.eqz(V128.anyTrue(signless(V128.or(get(v[0]), get(v[1])))))),
    inc(t, 1),
    inc(ptr, get(termStride)),
    inc(row, get(ldb))
  ]
  const oneTerm = [
    ...x.map((xr, r) => set(xr, I64.load(rowAt(r)))),
    ...x.map((xr, r) => I64.store(get(cursor), get(xr), 8 * r)),
    I32.store(get(cursor), get(row), ENTRY4_ROW),
    keep(allZero(x)),
    inc(t, 1),
    inc(ptr, get(termStride)),
    inc(row, get(ldb))
  ]
  fn.body = [
    set(t, get(t0)),
    set(ptr, I32.add(get(a), I32.mul(get(t0), get(termStride)))),
    set(row, I32.add(get(b), I32.mul(get(t0), get(ldb)))),
    set(cursor, get(out)),
    ifThen(I32.eq(get(termStride), I32.const(8)), whileLoop(I32.leS(I32.add(get(t), I32.const(2)), get(t1)), ...twoTermsPerPass)),
    ifThen(I32.eq(get(rowStride), I32.const(8)), whileLoop(I32.ltS(get(t), get(t1)), ...rowsSideBySide)),
    whileLoop(I32.ltS(get(t), get(t1)), ...oneTerm), // the odd last term, or any other layout
    ret(I32.divU(I32.sub(get(cursor), get(out)), I32.const(ENTRY4)))
  ]
}

/**
 * list1(a, stride, q0, q1, b, ldb, skip, groupEnd, out) → count. Terms q in [q0, q1) for one output
 * row: x = A at a + q·stride, and the address of B row q. With `skip`: below `groupEnd` (matmulTransA's
 * four-row blocks; q0 is then a multiple of 4) four consecutive q are dropped together only when all four
 * x are 0, and otherwise all four are kept, zeros included; past it each q with x = 0 is dropped alone.
 */
function defineList1(fn: WasmFunction): void {
  const [a, stride, q0, q1, b, ldb, skip, groupEnd, out] = fn.params
  const [q, ptr, row, cursor, groupStop] = locals(fn, i32, 5)
  const x = locals(fn, i64, 4)
  const times = (local: Local, r: number): Code => I32.mul(get(local), I32.const(r))
  fn.body = [
    set(groupStop, select(get(groupEnd), get(q1), I32.ltS(get(groupEnd), get(q1)))),
    set(q, get(q0)),
    set(ptr, I32.add(get(a), I32.mul(get(q0), get(stride)))),
    set(row, I32.add(get(b), I32.mul(get(q0), get(ldb)))),
    set(cursor, get(out)),
    whileLoop(I32.leS(I32.add(get(q), I32.const(4)), get(groupStop)),
      ...x.map((xr, r) => set(xr, I64.load(I32.add(get(ptr), times(stride, r))))),
      ...x.flatMap((xr, r) => [
        I64.store(get(cursor), get(xr), ENTRY1 * r),
        I32.store(get(cursor), I32.add(get(row), times(ldb, r)), ENTRY1 * r + ENTRY1_ROW)
      ]),
      inc(cursor, select(I32.const(0), I32.const(4 * ENTRY1), I32.and(get(skip), allZero(x)))),
      inc(q, 4),
      inc(ptr, times(stride, 4)),
      inc(row, times(ldb, 4))
    ),
    whileLoop(I32.ltS(get(q), get(q1)),
      set(x[0], I64.load(get(ptr))),
      I64.store(get(cursor), get(x[0])),
      I32.store(get(cursor), get(row), ENTRY1_ROW),
      inc(cursor, select(I32.const(0), I32.const(ENTRY1), I32.and(get(skip), isZero(x[0])))),
      inc(q, 1),
      inc(ptr, get(stride)),
      inc(row, get(ldb))
    ),
    ret(I32.shrU(I32.sub(get(cursor), get(out)), I32.const(4)))
  ]
}

/**
 * panel(list, count, c, ldc, n, accumulate) for `rows` rows of C at `c` (row stride `ldc`), all n
 * columns: tiles `widths[0]` vectors wide while they fit, then each narrower width at most once, then
 * the odd last column in lane 0 only (read with load64_zero, written with store64_lane, so no byte
 * outside C or B is touched). Accumulators start from C when `accumulate`, else from +0 as
 * gemm-ts.ts's do (C's stale contents are then never read into a result).
 */
function definePanel(fn: WasmFunction, rows: number, entry: number, rowField: number, widths: readonly number[]): void {
  const [list, count, c, ldc, n, accumulate] = fn.params
  const [j, jBytes, e, end, bRow] = locals(fn, i32, 5)
  const cRows = [c, ...locals(fn, i32, rows - 1)]
  const maxWidth = widths[0]
  const acc = Array.from({ length: rows }, () => locals(fn, v128, maxWidth))
  const bv = locals(fn, v128, maxWidth)
  const x = fn.local(v128)
  const rowIds = Array.from({ length: rows }, (_, r) => r)

  const tile = (width: number, oddColumn: boolean): Code[] => {
    const load = oddColumn ? V128.load64Zero : V128.load
    const cAt = (r: number): Code => I32.add(get(cRows[r]), get(jBytes))
    const vectors = Array.from({ length: width }, (_, w) => w)
    const each = (action: (r: number, w: number) => Code): Code[] => rowIds.flatMap((r) => vectors.map((w) => action(r, w)))
    return [
      ifElse(get(accumulate),
        each((r, w) => set(acc[r][w], load(cAt(r), 16 * w))),
        each((r, w) => set(acc[r][w], F64x2.splat(F64.const(0))))),
      set(e, get(list)),
      whileLoop(I32.ltS(get(e), get(end)),
        set(bRow, I32.add(I32.load(get(e), rowField), get(jBytes))),
        ...vectors.map((w) => set(bv[w], load(get(bRow), 16 * w))),
        ...rowIds.flatMap((r) => [
          set(x, V128.load64Splat(get(e), 8 * r)),
          ...vectors.map((w) => set(acc[r][w], F64x2.add(get(acc[r][w]), F64x2.mul(get(x), get(bv[w])))))
        ]),
        inc(e, entry)
      ),
      ...each((r, w) => (oddColumn ? V128.store64Lane(cAt(r), get(acc[r][w]), 0) : V128.store(cAt(r), get(acc[r][w]), 16 * w)))
    ]
  }
  const advance = (width: number): Code[] => [inc(j, 2 * width), inc(jBytes, 16 * width)]
  const fits = (width: number): Code => I32.leS(I32.add(get(j), I32.const(2 * width)), get(n))

  fn.body = [
    ...cRows.slice(1).map((local, r) => set(local, I32.add(get(c), I32.mul(get(ldc), I32.const(r + 1))))),
    set(end, I32.add(get(list), I32.mul(get(count), I32.const(entry)))),
    set(j, I32.const(0)),
    set(jBytes, I32.const(0)),
    whileLoop(fits(maxWidth), ...tile(maxWidth, false), ...advance(maxWidth)),
    ...widths.slice(1).map((width) => ifThen(fits(width), ...tile(width, false), ...advance(width))),
    ifThen(I32.ltS(get(j), get(n)), ...tile(1, true))
  ]
}

/**
 * gemm(a, rowStride, termStride, b, c, m, n, t0, t1, skip, accumulate, list): for each output row i < m,
 * C[i, :] (+)= Σ_{t0 ≤ t < t1} x(i, t)·B[t, :] with x(i, t) at a + i·rowStride + t·termStride, B and C
 * rows n doubles long. Four rows at a time, then single rows skipping their own zeros: gemm-ts.ts's
 * matmul. The strides let the same code run on a transposed A (see gemm-wasm.ts).
 */
function defineGemm(fn: WasmFunction, list4: WasmFunction, list1: WasmFunction, panel4: WasmFunction, panel1: WasmFunction): void {
  const [a, rowStride, termStride, b, c, m, n, t0, t1, skip, accumulate, list] = fn.params
  const [i, aRow, cRow, ldc, m4, count] = locals(fn, i32, 6)
  fn.body = [
    set(ldc, I32.shl(get(n), I32.const(3))),
    set(m4, I32.and(get(m), I32.const(-4))),
    set(i, I32.const(0)),
    set(aRow, get(a)),
    set(cRow, get(c)),
    whileLoop(I32.ltS(get(i), get(m4)),
      set(count, call(list4, get(aRow), get(rowStride), get(termStride), get(t0), get(t1), get(b), get(ldc), get(skip), get(list))),
      call(panel4, get(list), get(count), get(cRow), get(ldc), get(n), get(accumulate)),
      inc(i, 4),
      inc(aRow, I32.shl(get(rowStride), I32.const(2))),
      inc(cRow, I32.shl(get(ldc), I32.const(2)))
    ),
    whileLoop(I32.ltS(get(i), get(m)),
      set(count, call(list1, get(aRow), get(termStride), get(t0), get(t1), get(b), get(ldc), get(skip), I32.const(0), get(list))),
      call(panel1, get(list), get(count), get(cRow), get(ldc), get(n), get(accumulate)),
      inc(i, 1),
      inc(aRow, get(rowStride)),
      inc(cRow, get(ldc))
    )
  ]
}

/**
 * gemmTransA(a, b, c, m, k, n, i0, i1, accumulate, list): C (k×n) (+)= Σ_{i0 ≤ i < i1} A[i, :]ᵀ·B[i, :],
 * A m×k, B m×n, one output row p at a time with gemm-ts.ts's exact four-row group rule. i0 must be a
 * multiple of 4 so the groups line up with the TypeScript blocks.
 */
function defineGemmTransA(fn: WasmFunction, list1: WasmFunction, panel1: WasmFunction): void {
  const [a, b, c, m, k, n, i0, i1, accumulate, list] = fn.params
  const [p, aColumn, cRow, lda, ldb, count] = locals(fn, i32, 6)
  fn.body = [
    set(lda, I32.shl(get(k), I32.const(3))),
    set(ldb, I32.shl(get(n), I32.const(3))),
    set(p, I32.const(0)),
    set(aColumn, get(a)),
    set(cRow, get(c)),
    whileLoop(I32.ltS(get(p), get(k)),
      set(count, call(list1, get(aColumn), get(lda), get(i0), get(i1), get(b), get(ldb), I32.const(1), I32.and(get(m), I32.const(-4)), get(list))),
      call(panel1, get(list), get(count), get(cRow), get(ldb), get(n), get(accumulate)),
      inc(p, 1),
      inc(aColumn, 8),
      inc(cRow, get(ldb))
    )
  ]
}

/** transpose(src, dst, rows, cols): dst (cols×rows) = srcᵀ, so matmulTransB can vectorise across outputs. */
function defineTranspose(fn: WasmFunction): void {
  const [src, dst, rows, cols] = fn.params
  const [r, col, from, to, dstStride] = locals(fn, i32, 5)
  fn.body = [
    set(dstStride, I32.shl(get(rows), I32.const(3))),
    set(r, I32.const(0)),
    set(from, get(src)),
    whileLoop(I32.ltS(get(r), get(rows)),
      set(to, I32.add(get(dst), I32.shl(get(r), I32.const(3)))),
      set(col, I32.const(0)),
      whileLoop(I32.ltS(get(col), get(cols)),
        F64.store(get(to), F64.load(get(from))),
        inc(from, 8),
        inc(to, get(dstStride)),
        inc(col, 1)
      ),
      inc(r, 1)
    )
  ]
}

/**
 * allFinite(ptr, count) → 1 when none of the `count` doubles is ±Inf or NaN. v − v is +0 for a finite v
 * and NaN otherwise; OR-ing the bits keeps the loop free of a floating-point dependency chain.
 */
function defineAllFinite(fn: WasmFunction): void {
  const [ptr, count] = fn.params
  const [p, end] = locals(fn, i32, 2)
  const [bits, v] = locals(fn, v128, 2)
  const orDifference = (load: Code): Code[] => [set(v, load), set(bits, V128.or(get(bits), F64x2.sub(get(v), get(v))))]
  fn.body = [
    set(bits, F64x2.splat(F64.const(0))),
    set(p, get(ptr)),
    set(end, I32.add(get(ptr), I32.shl(I32.and(get(count), I32.const(-2)), I32.const(3)))),
    whileLoop(I32.ltS(get(p), get(end)), ...orDifference(V128.load(get(p))), inc(p, 16)),
    ifThen(I32.and(get(count), I32.const(1)), ...orDifference(V128.load64Zero(get(p)))),
    ret(I32.eqz(V128.anyTrue(get(bits))))
  ]
}

/** The exported functions, as the TypeScript side calls them (all addresses and strides in bytes). */
export interface GemmExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number }
  gemm(a: number, rowStride: number, termStride: number, b: number, c: number, m: number, n: number, t0: number, t1: number, skip: number, accumulate: number, list: number): void
  gemmTransA(a: number, b: number, c: number, m: number, k: number, n: number, i0: number, i1: number, accumulate: number, list: number): void
  transpose(src: number, dst: number, rows: number, cols: number): void
  allFinite(ptr: number, count: number): number
}

export function buildGemmModule(): Uint8Array<ArrayBuffer> {
  const ints = (count: number) => Array.from({ length: count }, () => i32)
  const list4 = new WasmFunction(0, ints(9), [i32])
  const list1 = new WasmFunction(1, ints(9), [i32])
  const panel4 = new WasmFunction(2, ints(6), [])
  const panel1 = new WasmFunction(3, ints(6), [])
  const gemm = new WasmFunction(4, ints(12), [], 'gemm')
  const gemmTransA = new WasmFunction(5, ints(10), [], 'gemmTransA')
  const transpose = new WasmFunction(6, ints(4), [], 'transpose')
  const allFinite = new WasmFunction(7, ints(2), [i32], 'allFinite')
  defineList4(list4)
  defineList1(list1)
  definePanel(panel4, 4, ENTRY4, ENTRY4_ROW, [2, 1])
  definePanel(panel1, 1, ENTRY1, ENTRY1_ROW, [4, 2, 1])
  defineGemm(gemm, list4, list1, panel4, panel1)
  defineGemmTransA(gemmTransA, list1, panel1)
  defineTranspose(transpose)
  defineAllFinite(allFinite)
  return encodeModule([list4, list1, panel4, panel1, gemm, gemmTransA, transpose, allFinite], 'memory', 1)
}
