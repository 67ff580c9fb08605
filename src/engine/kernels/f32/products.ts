/**
 * The float32 matrix products on the kernels (assembly/gemm-f32.ts), with the same signatures as
 * gemm-ts.ts. The right operand is packed into 8-column panels, then C's rows are split between the
 * kernel threads, if any. Each element of C is summed in reduction order from +0 by exactly one thread,
 * so results do not depend on the thread count. They differ from gemm-ts.ts's float32 loops only by
 * rounding (those round through float64 per step): within 1e-4 relative, tested. A left operand that is
 * mostly zeros (MNIST pixels) takes the zero-skipping kernels, which give the same bits.
 */
import type { BatchMemory, PixelTerms } from './batch-pixels'
import type { KernelMemory } from './kernel-memory'

export interface GemmKernelsF32 {
  /** C (m×n) = A (m×k) · B (k×n). */
  matmul(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void
  /** C (k×n) = Aᵀ · B, with A (m×k) and B (m×n). */
  matmulTransA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void
  /** C (m×k) = A (m×n) · Bᵀ, with B (k×n). */
  matmulTransB(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number): void
}

/**
 * What the products read besides the memory: whether zero skipping is on (tests turn it off to compare),
 * and the term lists of batches formed on the kernels (batch-pixels.ts).
 */
export type ProductMemory = BatchMemory

const PANEL = 8
/** Below this many multiply-adds a part is not worth a thread's wake-up (~10–20 µs). */
const MIN_PART_WORK = 300_000
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

/** Floats of B's panels: `columns` rounded up to whole panels, `steps` rows each. */
export const panelFloats = (columns: number, steps: number): number => Math.ceil(columns / PANEL) * PANEL * steps

/** Packs B (kernels' `pack`), its panels split between the threads. */
export function packPanels(mem: KernelMemory, src: number, ld: number, rows: number, cols: number, dst: number): void {
  const panels = Math.ceil(cols / PANEL)
  const minPanels = mem.minParts(rows * PANEL)
  mem.split('pack', [src, ld, rows, cols, dst], panels, 1, minPanels, (start, end) => mem.kernels.pack(src, ld, rows, cols, dst, start, end))
}

/** Packs Bᵀ (kernels' `packTransposed`), its panels split between the threads. */
export function packPanelsTransposed(mem: KernelMemory, src: number, rows: number, cols: number, dst: number): void {
  const panels = Math.ceil(rows / PANEL)
  const minPanels = mem.minParts(cols * PANEL)
  mem.split('packTransposed', [src, rows, cols, dst], panels, 1, minPanels, (start, end) => mem.kernels.packTransposed(src, rows, cols, dst, start, end))
}

/** C rows [0, rows) of the product, split between the threads. */
export function runProduct(mem: KernelMemory, a: number, rowStride: number, stepStride: number, steps: number, panels: number, c: number, cols: number, rows: number, accumulate = false): void {
  const args = [a, rowStride, stepStride, steps, panels, c, cols, accumulate ? 1 : 0]
  const minRows = Math.ceil(MIN_PART_WORK / Math.max(1, steps * cols))
  mem.split('gemm', args, rows, 4, minRows, (start, end) => mem.kernels.gemm(a, rowStride, stepStride, steps, panels, c, cols, accumulate ? 1 : 0, start, end))
}

/**
 * runProduct with B read in place, row-major (`steps` rows of `cols`), unpacked: the kernel's panels are
 * then just B's columns eight at a time, and packing B (a pass over all of it per call: an affine layer's
 * 4,320 × 100 weights) is saved. The same bits as packing first.
 */
export function runProductRowMajorB(mem: KernelMemory, a: number, rowStride: number, stepStride: number, steps: number, b: number, c: number, cols: number, rows: number, accumulate = false): void {
  const args = [a, rowStride, stepStride, steps, b, c, cols, accumulate ? 1 : 0]
  const minRows = Math.ceil(MIN_PART_WORK / Math.max(1, steps * cols))
  mem.split('gemmRowMajorB', args, rows, 4, minRows, (start, end) => mem.kernels.gemmRowMajorB(a, rowStride, stepStride, steps, b, c, cols, accumulate ? 1 : 0, start, end))
}

export function matmul(mem: ProductMemory, a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  const terms = listedTerms(mem, a, m, k)
  if (terms) return matmulTermRows(mem, terms, a, b, c, m, k, n)
  const density = mem.zeroSkipping && k >= SPARSE_MIN_ROW ? nonZeroShare(a, m * k) : 1
  if (density <= 1 - SPARSE_ZEROS) return matmulSparseA(mem, a, b, c, m, k, n, density)
  const regions = mem.layout([[a, m * k], [b, k * n], [c, m * n]])
  if (!regions) return fallback.matmul(a, b, c, m, k, n)
  const [aAt, bAt, cAt] = regions
  mem.put(a, aAt, m * k)
  mem.put(b, bAt, k * n)
  runProductRowMajorB(mem, aAt, k, 1, k, bAt, cAt, n, m)
  mem.take(c, cAt, m * n)
}

export function matmulTransA(mem: ProductMemory, a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  const terms = listedTerms(mem, a, m, k)
  if (terms) return matmulTermsTransA(mem, terms, a, b, c, m, k, n)
  const density = mem.zeroSkipping && k >= SPARSE_MIN_ROW ? nonZeroShare(a, m * k) : 1
  if (density <= 1 - SPARSE_ZEROS) return matmulSparseTransA(mem, a, b, c, m, k, n, density)
  const regions = mem.layout([[a, m * k], [b, m * n], [c, k * n]])
  if (!regions) return fallback.matmulTransA(a, b, c, m, k, n)
  const [aAt, bAt, cAt] = regions
  mem.put(a, aAt, m * k)
  mem.put(b, bAt, m * n)
  // Row p of C reads column p of A: neighbouring rows 1 apart, steps (rows of A) k apart.
  runProductRowMajorB(mem, aAt, 1, k, m, bAt, cAt, n, k)
  mem.take(c, cAt, k * n)
}

/** matmul for an A that is mostly zeros: B is read unpacked, rows of C split between the threads. */
function matmulSparseA(mem: KernelMemory, a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, density: number): void {
  // Term lists: a part starting at row r lists its rows' terms from pair r·k on (one row at a time).
  const regions = mem.layout([[a, m * k], [b, k * n], [c, m * n], [null, 2 * m * k]])
  if (!regions) return fallback.matmul(a, b, c, m, k, n)
  const [aAt, bAt, cAt, listAt] = regions
  mem.put(a, aAt, m * k)
  mem.put(b, bAt, k * n)
  const minRows = Math.ceil(MIN_SPARSE_PART_WORK / Math.max(1, density * k * n))
  mem.split('gemmSparseA', [aAt, k, bAt, n, cAt, listAt], m, 1, minRows, (start, end) => mem.kernels.gemmSparseA(aAt, k, bAt, n, cAt, listAt, start, end))
  mem.take(c, cAt, m * n)
}

/** matmulTransA for an A that is mostly zeros: C's rows (A's columns) split between the threads. */
function matmulSparseTransA(mem: KernelMemory, a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, density: number): void {
  // Term lists: m pairs of room per column of A, then one count per column.
  const regions = mem.layout([[a, m * k], [b, m * n], [c, k * n], [null, 2 * m * k + k]])
  if (!regions) return fallback.matmulTransA(a, b, c, m, k, n)
  const [aAt, bAt, cAt, listAt] = regions
  mem.put(a, aAt, m * k)
  mem.put(b, bAt, m * n)
  const minRows = Math.ceil(MIN_SPARSE_PART_WORK / Math.max(1, density * m * n))
  mem.split('gemmSparseTransA', [aAt, m, k, bAt, n, cAt, listAt], k, 4, minRows, (start, end) => mem.kernels.gemmSparseTransA(aAt, m, k, bAt, n, cAt, listAt, start, end))
  mem.take(c, cAt, k * n)
}

/** A's term lists, when A is a batch formed on the kernels with this shape and zeros enough to skip. */
function listedTerms(mem: ProductMemory, a: Float32Array, m: number, k: number): PixelTerms | undefined {
  if (!mem.zeroSkipping) return undefined
  const terms = mem.pixelTerms.get(a)
  if (!terms || terms.rows !== m || terms.width !== k || terms.nonZeros > (1 - SPARSE_ZEROS) * m * k) return undefined
  return terms
}

/** matmul over a batch's term lists: as matmulSparseA (the same bits), without listing. */
function matmulTermRows(mem: KernelMemory, terms: PixelTerms, a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  const regions = mem.layout([[b, k * n], [c, m * n], [terms.room, terms.room.length]])
  if (!regions) return fallback.matmul(a, b, c, m, k, n)
  const [bAt, cAt] = regions
  mem.put(b, bAt, k * n)
  const { countsAt, pairsAt } = terms
  const minRows = Math.ceil(MIN_SPARSE_PART_WORK / Math.max(1, (terms.nonZeros / m) * n))
  mem.split('gemmTermRows', [pairsAt, countsAt, k, bAt, n, cAt], m, 1, minRows, (start, end) => mem.kernels.gemmTermRows(pairsAt, countsAt, k, bAt, n, cAt, start, end))
  mem.take(c, cAt, m * n)
}

/** matmulTransA over a batch's term lists: as matmulSparseTransA (the same bits), C's rows split between the threads. */
function matmulTermsTransA(mem: KernelMemory, terms: PixelTerms, a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  const regions = mem.layout([[b, m * n], [c, k * n], [terms.room, terms.room.length]])
  if (!regions) return fallback.matmulTransA(a, b, c, m, k, n)
  const [bAt, cAt] = regions
  mem.put(b, bAt, m * n)
  const { countsAt, pairsAt } = terms
  const minRows = Math.ceil(MIN_SPARSE_PART_WORK / Math.max(1, (terms.nonZeros / k) * n))
  mem.split('gemmTermsTransA', [pairsAt, countsAt, m, k, bAt, n, cAt], k, 1, minRows, (start, end) => mem.kernels.gemmTermsTransA(pairsAt, countsAt, m, k, bAt, n, cAt, start, end))
  mem.take(c, cAt, k * n)
}

export function matmulTransB(mem: KernelMemory, a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number): void {
  const regions = mem.layout([[a, m * n], [b, k * n], [null, panelFloats(k, n)], [c, m * k]])
  if (!regions) return fallback.matmulTransB(a, b, c, m, n, k)
  const [aAt, bAt, pAt, cAt] = regions
  mem.put(a, aAt, m * n)
  mem.put(b, bAt, k * n)
  packPanelsTransposed(mem, bAt, k, n, pAt)
  runProduct(mem, aAt, n, 1, n, pAt, cAt, k, m)
  mem.take(c, cAt, m * k)
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

/** Plain loops for a product too large for the kernels' memory (never on MNIST-sized networks). */
const fallback: GemmKernelsF32 = {
  matmul(a, b, c, m, k, n) {
    c.fill(0, 0, m * n)
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[i * n + j] += a[i * k + p] * b[p * n + j]
  },
  matmulTransA(a, b, c, m, k, n) {
    c.fill(0, 0, k * n)
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[p * n + j] += a[i * k + p] * b[i * n + j]
  },
  matmulTransB(a, b, c, m, n, k) {
    c.fill(0, 0, m * k)
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[i * k + p] += a[i * n + j] * b[p * n + j]
  }
}
