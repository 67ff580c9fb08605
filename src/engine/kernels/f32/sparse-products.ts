/**
 * The float32 products whose left operand is mostly zeros, on the zero-skipping kernels
 * (assembly/f32/sparse-products.ts): MNIST pixels (~80 % zeros) and a first convolution's im2col matrix.
 * B is read unpacked and each element of C sums its non-zero terms in reduction order from +0, so for a
 * finite B they give the same bits as the dense kernel (products.ts decides by `sparseLeft`). A batch
 * formed on the kernels comes with its non-zero terms listed (batch-pixels.ts), which are used as they are.
 */
import { TERM_BYTES } from '../plan-layouts'
import type { BatchMemory, PixelTerms } from './batch-pixels'
import type { KernelMemory } from './kernel-memory'

/** The compiled kernels this file calls (assembly/f32/sparse-products.ts); pointers are byte addresses. */
export interface SparseProductKernels {
  gemmSparseA(a: number, k: number, b: number, n: number, c: number, list: number, rowStart: number, rowEnd: number): void
  gemmSparseTransA(a: number, m: number, k: number, b: number, n: number, c: number, list: number, pStart: number, pEnd: number): void
  gemmTermRows(terms: number, counts: number, k: number, b: number, n: number, c: number, rowStart: number, rowEnd: number): void
  gemmTermsTransA(terms: number, counts: number, m: number, k: number, b: number, n: number, c: number, pStart: number, pEnd: number): void
}

/**
 * The same for the zero-skipping products, counted in non-zero terms × columns: a digit batch's first
 * layer (100 × 784 × 40 at ~19 % non-zero, ~0.6 M) goes in two parts (measured with listed terms and
 * spinning helpers: vg-relu-he's evaluation 0.088 → 0.082 ms, its step 0.27 → 0.26 ms).
 */
const MIN_SPARSE_PART_WORK = 300_000
/**
 * A left operand with at least this share of zeros takes the zero-skipping kernels: MNIST pixels (~80 %)
 * and a first convolution's im2col matrix do; ReLU outputs (~50 %) do not, the register-tiled kernel is
 * faster there. Both kernels give the same bits for a finite B, so the choice changes speed only.
 */
const SPARSE_ZEROS = 0.7
/**
 * Rows of A shorter than this take the tiled kernel whatever their zeros: a first convolution's im2col
 * rows (9 or 25 values) leave too little to skip per row (measured: no faster).
 */
export const SPARSE_MIN_ROW = 64
/** Entries of A looked at to estimate its share of zeros. */
const SPARSE_SAMPLES = 1024

/** How a mostly-zero left operand is read: its listed terms (a batch formed on the kernels), or by looking at each entry. */
export type SparseLeft = { terms: PixelTerms } | { density: number }

/** How A (m×k) takes the zero-skipping kernels, or undefined when it has too few zeros (or rows too short) for them. */
export function sparseLeft(mem: BatchMemory, a: Float32Array, m: number, k: number): SparseLeft | undefined {
  const terms = listedTerms(mem, a, m, k)
  if (terms) return { terms }
  const density = mem.zeroSkipping && k >= SPARSE_MIN_ROW ? nonZeroShare(a, m * k) : 1
  return density <= 1 - SPARSE_ZEROS ? { density } : undefined
}

/** C (m×n) = A · B for a sparse A; false when the memory cannot hold the operands. */
export function matmulSparse(mem: KernelMemory, left: SparseLeft, a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): boolean {
  return 'terms' in left ? matmulTermRows(mem, left.terms, b, c, m, k, n) : matmulSparseA(mem, a, b, c, m, k, n, left.density)
}

/** C (k×n) = Aᵀ · B for a sparse A; false when the memory cannot hold the operands. */
export function matmulTransASparse(
  mem: KernelMemory,
  left: SparseLeft,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number
): boolean {
  return 'terms' in left ? matmulTermsTransA(mem, left.terms, b, c, m, k, n) : matmulSparseTransA(mem, a, b, c, m, k, n, left.density)
}

/** matmul for an A that is mostly zeros: B is read unpacked, rows of C split between the threads. */
function matmulSparseA(mem: KernelMemory, a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, density: number): boolean {
  // Term lists: a part starting at row r lists its rows' terms from pair r·k on (one row at a time).
  const regions = mem.layout([
    [a, m * k],
    [b, k * n],
    [c, m * n],
    [null, (m * k * TERM_BYTES) / 4]
  ])
  if (!regions) return false
  const [aAt, bAt, cAt, listAt] = regions
  mem.put(a, aAt, m * k)
  mem.put(b, bAt, k * n)
  const minRows = Math.ceil(MIN_SPARSE_PART_WORK / Math.max(1, density * k * n))
  mem.split('gemmSparseA', [aAt, k, bAt, n, cAt, listAt], m, 1, minRows, (start, end) => mem.kernels.gemmSparseA(aAt, k, bAt, n, cAt, listAt, start, end))
  mem.take(c, cAt, m * n)
  return true
}

/** matmulTransA for an A that is mostly zeros: C's rows (A's columns) split between the threads. */
function matmulSparseTransA(mem: KernelMemory, a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, density: number): boolean {
  // Term lists: m pairs of room per column of A, then one count per column.
  const regions = mem.layout([
    [a, m * k],
    [b, m * n],
    [c, k * n],
    [null, (m * k * TERM_BYTES) / 4 + k]
  ])
  if (!regions) return false
  const [aAt, bAt, cAt, listAt] = regions
  mem.put(a, aAt, m * k)
  mem.put(b, bAt, m * n)
  const minRows = Math.ceil(MIN_SPARSE_PART_WORK / Math.max(1, density * m * n))
  mem.split('gemmSparseTransA', [aAt, m, k, bAt, n, cAt, listAt], k, 4, minRows, (start, end) =>
    mem.kernels.gemmSparseTransA(aAt, m, k, bAt, n, cAt, listAt, start, end)
  )
  mem.take(c, cAt, k * n)
  return true
}

/** A's term lists, when A is a batch formed on the kernels with this shape and zeros enough to skip. */
function listedTerms(mem: BatchMemory, a: Float32Array, m: number, k: number): PixelTerms | undefined {
  if (!mem.zeroSkipping) return undefined
  const terms = mem.pixelTerms.get(a)
  if (!terms || terms.rows !== m || terms.width !== k || terms.nonZeros > (1 - SPARSE_ZEROS) * m * k) return undefined
  return terms
}

/** matmul over a batch's term lists: as matmulSparseA (the same bits), without listing. */
function matmulTermRows(mem: KernelMemory, terms: PixelTerms, b: Float32Array, c: Float32Array, m: number, k: number, n: number): boolean {
  const regions = mem.layout([
    [b, k * n],
    [c, m * n],
    [terms.room, terms.room.length]
  ])
  if (!regions) return false
  const [bAt, cAt] = regions
  mem.put(b, bAt, k * n)
  const { countsAt, pairsAt } = terms
  const minRows = Math.ceil(MIN_SPARSE_PART_WORK / Math.max(1, (terms.nonZeros / m) * n))
  mem.split('gemmTermRows', [pairsAt, countsAt, k, bAt, n, cAt], m, 1, minRows, (start, end) =>
    mem.kernels.gemmTermRows(pairsAt, countsAt, k, bAt, n, cAt, start, end)
  )
  mem.take(c, cAt, m * n)
  return true
}

/** matmulTransA over a batch's term lists: as matmulSparseTransA (the same bits), C's rows split between the threads. */
function matmulTermsTransA(mem: KernelMemory, terms: PixelTerms, b: Float32Array, c: Float32Array, m: number, k: number, n: number): boolean {
  const regions = mem.layout([
    [b, m * n],
    [c, k * n],
    [terms.room, terms.room.length]
  ])
  if (!regions) return false
  const [bAt, cAt] = regions
  mem.put(b, bAt, m * n)
  const { countsAt, pairsAt } = terms
  const minRows = Math.ceil(MIN_SPARSE_PART_WORK / Math.max(1, (terms.nonZeros / k) * n))
  mem.split('gemmTermsTransA', [pairsAt, countsAt, m, k, bAt, n, cAt], k, 1, minRows, (start, end) =>
    mem.kernels.gemmTermsTransA(pairsAt, countsAt, m, k, bAt, n, cAt, start, end)
  )
  mem.take(c, cAt, k * n)
  return true
}

/**
 * The share of non-zero entries among `length` values of `a`, from at most SPARSE_SAMPLES entries spread
 * evenly over it (always the same ones for the same data: the choice it drives is reproducible).
 */
function nonZeroShare(a: Float32Array, length: number): number {
  const samples = Math.min(length, SPARSE_SAMPLES)
  if (samples === 0) return 1
  const stride = length / samples
  let nonZero = 0
  for (let s = 0; s < samples; s++) if (a[Math.floor(s * stride)] !== 0) nonZero++
  return nonZero / samples
}
