/**
 * The three float64 ("course precision") matrix products on the WebAssembly SIMD kernels
 * (assembly/f64/products.ts, compiled into compiled-module.ts), with the same signatures and
 * bit-identical results as gemm-ts.ts.
 *
 * Operands are copied into the module's one growable memory and the result copied out: memcpy-speed
 * `set`s that cost ~2–9 % of an MLP product and up to ~25 % of the big im2col ones (bench/gemm.ts
 * measures it), and keep the rest of the engine on plain Float64Arrays. The memory only grows
 * (WebAssembly cannot shrink), to the largest product seen; a product that cannot get the memory runs on
 * the TypeScript kernels instead.
 *
 * When zero terms may be skipped freely: every sum starts at +0, and under round-to-nearest a sum is -0
 * only when both addends are -0, so no accumulator is ever -0; adding ±0 to a value that is not -0
 * returns it unchanged. So a term 0·b with b finite (= ±0) changes no result, and any subset of such
 * terms may be skipped or added. Only an Inf or NaN b makes 0·b = NaN, and there the exact TypeScript
 * rule is followed. The kernels use this freedom when the right operand is all finite (checked per call,
 * O(its size)): matmulTransA then shares one term list between four output rows, and matmulTransB skips
 * zeros as well.
 *
 * Compiled synchronously (`new WebAssembly.Module`): allowed in workers, the Electron utility process and
 * Node; the engine never runs on a browser main thread, where Chromium limits that to 4 KB modules.
 */
import { decodeBase64 } from '../base64'
import * as typescriptKernels from '../gemm-ts'
import { F64_LIST_BYTES_PER_TERM } from '../plan-layouts'
import { F64_KERNELS_WASM } from './compiled-module'

/** The compiled kernels this file calls (assembly/f64/products.ts); all addresses and strides in bytes. */
interface ProductKernels {
  memory: { buffer: ArrayBuffer; grow(pages: number): number }
  gemm(
    a: number,
    rowStride: number,
    termStride: number,
    b: number,
    c: number,
    m: number,
    n: number,
    t0: number,
    t1: number,
    skip: number,
    accumulate: number,
    list: number
  ): void
  gemmTransA(a: number, b: number, c: number, m: number, k: number, n: number, i0: number, i1: number, accumulate: number, list: number): void
  transpose(src: number, dst: number, rows: number, cols: number): void
  allFinite(ptr: number, count: number): number
}

/** The part of the WebAssembly JS API used here, declared locally so the engine needs no DOM typings. */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: unknown }
  validate(bytes: Uint8Array): boolean
}

function webAssemblyApi(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly
}

const PAGE = 65536
/** Operands end below 2 GiB, as the float32 kernels' do. The module keeps no data of its own, so they start at 0. */
const MAX_BYTES = 2 ** 31 - PAGE
const ALIGN = 64 // each operand starts on its own cache line
/** Reduction rows per chunk: keeps the chunk of the shared operand (rows × n doubles) within ~256 KB of cache. */
const CHUNK_BYTES = 256 * 1024

const SKIP_ZEROS = 1
const KEEP_ZEROS = 0

const alignUp = (bytes: number) => Math.ceil(bytes / ALIGN) * ALIGN

/** Rows of the reduction per kernel call: as many as fit the cache budget, at least 16, a multiple of 4. */
function chunkRows(rowBytes: number, total: number): number {
  const rows = Math.max(16, Math.floor(CHUNK_BYTES / Math.max(rowBytes, 1)) & ~3)
  return Math.min(rows, Math.max(4, (total + 3) & ~3))
}

export interface GemmKernels {
  matmul(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void
  matmulTransA(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void
  matmulTransB(a: Float64Array, b: Float64Array, c: Float64Array, m: number, n: number, k: number): void
}

/** The wasm kernels, or undefined when this runtime lacks WebAssembly or its SIMD instructions. */
export function createWasmGemm(): GemmKernels | undefined {
  const api = webAssemblyApi()
  if (!api) return undefined
  const bytes = decodeBase64(F64_KERNELS_WASM)
  // Validating the real module checks every SIMD instruction it uses (including load64_zero and
  // store64_lane, which some early SIMD builds lacked), not just that SIMD exists.
  if (!api.validate(bytes)) return undefined
  const exports = new api.Instance(new api.Module(bytes), {}).exports as ProductKernels
  return new WasmGemm(exports)
}

class WasmGemm implements GemmKernels {
  constructor(private readonly kernels: ProductKernels) {}

  /**
   * Lays out regions of the given double counts, then a term-list region in bytes, growing the memory as
   * needed; returns their byte offsets, or undefined when the memory cannot hold them.
   */
  private reserve(doubles: readonly number[], listBytes: number): number[] | undefined {
    const offsets: number[] = []
    let end = 0
    for (const count of doubles) {
      offsets.push(end)
      end = alignUp(end + count * 8)
    }
    offsets.push(end)
    end += listBytes
    if (end > MAX_BYTES) return undefined
    const memory = this.kernels.memory
    try {
      if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE))
    } catch {
      return undefined // RangeError: the engine's process is out of address space
    }
    return offsets
  }

  private put(source: Float64Array, offset: number, count: number): void {
    new Float64Array(this.kernels.memory.buffer, offset, count).set(source.length === count ? source : source.subarray(0, count))
  }

  private take(target: Float64Array, offset: number, count: number): void {
    target.set(new Float64Array(this.kernels.memory.buffer, offset, count))
  }

  /**
   * Runs `kernel` over the reduction [0, total) in chunks; the first chunk starts its sums from +0
   * (so C needs no zeroing pass), later ones add to C. With nothing to sum, C is zeroed here.
   */
  private reduce(total: number, chunk: number, cAt: number, cSize: number, kernel: (t0: number, t1: number, accumulate: number) => void): void {
    if (total === 0) new Float64Array(this.kernels.memory.buffer, cAt, cSize).fill(0)
    for (let t0 = 0; t0 < total; t0 += chunk) kernel(t0, Math.min(total, t0 + chunk), t0 > 0 ? 1 : 0)
  }

  matmul(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void {
    const chunk = chunkRows(n * 8, k)
    const regions = this.reserve([m * k, k * n, m * n], chunk * F64_LIST_BYTES_PER_TERM)
    if (!regions) return typescriptKernels.matmul(a, b, c, m, k, n)
    const [aAt, bAt, cAt, listAt] = regions
    this.put(a, aAt, m * k)
    this.put(b, bAt, k * n)
    this.reduce(k, chunk, cAt, m * n, (p0, p1, accumulate) => this.kernels.gemm(aAt, k * 8, 8, bAt, cAt, m, n, p0, p1, SKIP_ZEROS, accumulate, listAt))
    this.take(c, cAt, m * n)
  }

  matmulTransA(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void {
    const chunk = chunkRows((n + k) * 8, m) // a multiple of 4: chunks start on gemm-ts.ts's block boundaries
    const regions = this.reserve([m * k, m * n, k * n], chunk * F64_LIST_BYTES_PER_TERM)
    if (!regions) return typescriptKernels.matmulTransA(a, b, c, m, k, n)
    const [aAt, bAt, cAt, listAt] = regions
    this.put(a, aAt, m * k)
    this.put(b, bAt, m * n)
    if (this.kernels.allFinite(bAt, m * n)) {
      // With every B finite, zero terms may be added or skipped freely (see the note at the top), so
      // four output rows p can share one term list: each i where any of their x is non-zero. That is
      // the fast four-row kernel run on Aᵀ (rows p are 8 bytes apart, terms i a row of A apart).
      this.reduce(m, chunk, cAt, k * n, (i0, i1, accumulate) => this.kernels.gemm(aAt, 8, k * 8, bAt, cAt, k, n, i0, i1, SKIP_ZEROS, accumulate, listAt))
    } else {
      // An Inf or NaN in B: 0·Inf = NaN, so only gemm-ts.ts's exact four-row group rule will do.
      this.reduce(m, chunk, cAt, k * n, (i0, i1, accumulate) => this.kernels.gemmTransA(aAt, bAt, cAt, m, k, n, i0, i1, accumulate, listAt))
    }
    this.take(c, cAt, k * n)
  }

  matmulTransB(a: Float64Array, b: Float64Array, c: Float64Array, m: number, n: number, k: number): void {
    // C = A·(Bᵀ): with B transposed (n×k) the k outputs of a row sit side by side for the vectors, and
    // each still sums over j in order from +0, as gemm-ts.ts's dot products do.
    const chunk = chunkRows(k * 8, n)
    const regions = this.reserve([m * n, k * n, n * k, m * k], chunk * F64_LIST_BYTES_PER_TERM)
    if (!regions) return typescriptKernels.matmulTransB(a, b, c, m, n, k)
    const [aAt, bAt, btAt, cAt, listAt] = regions
    this.put(a, aAt, m * n)
    this.put(b, bAt, k * n)
    this.kernels.transpose(bAt, btAt, k, n)
    // gemm-ts.ts skips nothing here; skipping zeros of A is still exact when all of B is finite (see
    // the note at the top). With an Inf or NaN in B, 0·Inf = NaN must be added, so nothing is skipped.
    const skip = this.kernels.allFinite(bAt, k * n) ? SKIP_ZEROS : KEEP_ZEROS
    this.reduce(n, chunk, cAt, m * k, (j0, j1, accumulate) => this.kernels.gemm(aAt, n * 8, 8, btAt, cAt, m, k, j0, j1, skip, accumulate, listAt))
    this.take(c, cAt, m * k)
  }
}
