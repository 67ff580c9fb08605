/**
 * The float32 matrix products on the kernels (assembly/f32/products.ts), with the same signatures as
 * gemm-ts.ts. The right operand is packed into 8-column panels, then C's rows are split between the
 * kernel threads, if any. Each element of C is summed in reduction order from +0 by exactly one thread,
 * so results do not depend on the thread count. They differ from gemm-ts.ts's float32 loops only by
 * rounding (those round through float64 per step): within 1e-4 relative, tested. A left operand that is
 * mostly zeros (MNIST pixels) takes the zero-skipping kernels (sparse-products.ts), which give the same bits.
 */
import type { BatchMemory } from './batch-pixels'
import type { KernelMemory } from './kernel-memory'
import { F32_PANEL_COLUMNS as PANEL } from '../plan-layouts'
import { matmulSparse, matmulTransASparse, sparseLeft } from './sparse-products'

/** The compiled kernels this file calls (assembly/f32/products.ts); pointers are byte addresses. */
export interface ProductKernels {
  pack(src: number, ld: number, rows: number, cols: number, dst: number, qStart: number, qEnd: number): void
  packTransposed(src: number, rows: number, cols: number, dst: number, qStart: number, qEnd: number): void
  gemm(
    a: number,
    rowStride: number,
    stepStride: number,
    steps: number,
    panels: number,
    c: number,
    cols: number,
    accumulate: number,
    rowStart: number,
    rowEnd: number
  ): void
  gemmRowMajorB(
    a: number,
    rowStride: number,
    stepStride: number,
    steps: number,
    b: number,
    c: number,
    cols: number,
    accumulate: number,
    rowStart: number,
    rowEnd: number
  ): void
}

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

/** Below this many multiply-adds a part is not worth a thread's wake-up (~10–20 µs). */
const MIN_PART_WORK = 300_000
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
export function runProduct(
  mem: KernelMemory,
  a: number,
  rowStride: number,
  stepStride: number,
  steps: number,
  panels: number,
  c: number,
  cols: number,
  rows: number,
  accumulate = false
): void {
  const args = [a, rowStride, stepStride, steps, panels, c, cols, accumulate ? 1 : 0]
  const minRows = Math.ceil(MIN_PART_WORK / Math.max(1, steps * cols))
  mem.split('gemm', args, rows, 4, minRows, (start, end) => mem.kernels.gemm(a, rowStride, stepStride, steps, panels, c, cols, accumulate ? 1 : 0, start, end))
}

/**
 * runProduct with B read in place, row-major (`steps` rows of `cols`), unpacked: the kernel's panels are
 * then just B's columns eight at a time, and packing B (a pass over all of it per call: an affine layer's
 * 4,320 × 100 weights) is saved. The same bits as packing first.
 */
export function runProductRowMajorB(
  mem: KernelMemory,
  a: number,
  rowStride: number,
  stepStride: number,
  steps: number,
  b: number,
  c: number,
  cols: number,
  rows: number,
  accumulate = false
): void {
  const args = [a, rowStride, stepStride, steps, b, c, cols, accumulate ? 1 : 0]
  const minRows = Math.ceil(MIN_PART_WORK / Math.max(1, steps * cols))
  mem.split('gemmRowMajorB', args, rows, 4, minRows, (start, end) =>
    mem.kernels.gemmRowMajorB(a, rowStride, stepStride, steps, b, c, cols, accumulate ? 1 : 0, start, end)
  )
}

export function matmul(mem: ProductMemory, a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  const sparse = sparseLeft(mem, a, m, k)
  if (sparse) {
    if (!matmulSparse(mem, sparse, a, b, c, m, k, n)) fallback.matmul(a, b, c, m, k, n)
    return
  }
  const regions = mem.layout([
    [a, m * k],
    [b, k * n],
    [c, m * n]
  ])
  if (!regions) return fallback.matmul(a, b, c, m, k, n)
  const [aAt, bAt, cAt] = regions
  mem.put(a, aAt, m * k)
  mem.put(b, bAt, k * n)
  runProductRowMajorB(mem, aAt, k, 1, k, bAt, cAt, n, m)
  mem.take(c, cAt, m * n)
}

export function matmulTransA(mem: ProductMemory, a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
  const sparse = sparseLeft(mem, a, m, k)
  if (sparse) {
    if (!matmulTransASparse(mem, sparse, a, b, c, m, k, n)) fallback.matmulTransA(a, b, c, m, k, n)
    return
  }
  const regions = mem.layout([
    [a, m * k],
    [b, m * n],
    [c, k * n]
  ])
  if (!regions) return fallback.matmulTransA(a, b, c, m, k, n)
  const [aAt, bAt, cAt] = regions
  mem.put(a, aAt, m * k)
  mem.put(b, bAt, m * n)
  // Row p of C reads column p of A: neighbouring rows 1 apart, steps (rows of A) k apart.
  runProductRowMajorB(mem, aAt, 1, k, m, bAt, cAt, n, k)
  mem.take(c, cAt, k * n)
}

export function matmulTransB(mem: KernelMemory, a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number): void {
  const regions = mem.layout([
    [a, m * n],
    [b, k * n],
    [null, panelFloats(k, n)],
    [c, m * k]
  ])
  if (!regions) return fallback.matmulTransB(a, b, c, m, n, k)
  const [aAt, bAt, pAt, cAt] = regions
  mem.put(a, aAt, m * n)
  mem.put(b, bAt, k * n)
  packPanelsTransposed(mem, bAt, k, n, pAt)
  runProduct(mem, aAt, n, 1, n, pAt, cAt, k, m)
  mem.take(c, cAt, m * k)
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
