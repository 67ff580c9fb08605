/**
 * The float32 matrix products on the AssemblyScript SIMD kernels (kernels/assembly/gemm-f32.ts, compiled
 * into gemm-f32-module.ts), with the same signatures as gemm-ts.ts.
 *
 * Operands are copied into the kernels' memory and the result copied out (memcpy-speed `set`s); the right
 * operand is packed into 8-column panels by the calling thread, then C's rows are split between the
 * kernel threads, if any (threads/kernel-pool.ts). Each element of C is summed in reduction order from +0
 * by exactly one thread, so results do not depend on the thread count. They differ from gemm-ts.ts's
 * float32 loops only by rounding (those round through float64 per step): within 1e-4 relative, tested.
 *
 * Where SharedArrayBuffer exists (Node; a cross-origin-isolated page) the memory is shared so threads can
 * be added; elsewhere the plain variant runs on one thread.
 */
import { GEMM_F32_MAXIMUM_PAGES, GEMM_F32_PLAIN_WASM, GEMM_F32_SHARED_WASM } from './gemm-f32-module'
import { KernelPool, type KernelThreadHost } from '../threads/kernel-pool'
import { colCols, colRows, type ConvGeometry } from '../conv-shape'

export interface GemmKernelsF32 {
  /** C (m×n) = A (m×k) · B (k×n). */
  matmul(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void
  /** C (k×n) = Aᵀ · B, with A (m×k) and B (m×n). */
  matmulTransA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void
  /** C (m×k) = A (m×n) · Bᵀ, with B (k×n). */
  matmulTransB(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number): void
}

interface KernelExports {
  pack(src: number, ld: number, rows: number, cols: number, dst: number): void
  packTransposed(src: number, rows: number, cols: number, dst: number): void
  gemm(a: number, rowStride: number, stepStride: number, steps: number, panels: number, c: number, cols: number, rowStart: number, rowEnd: number): void
  im2col(geometry: number, x: number, col: number, imgStart: number, imgEnd: number): void
  col2im(geometry: number, col: number, x: number, imgStart: number, imgEnd: number): void
}

/** The part of the WebAssembly JS API used here, declared locally so the engine needs no DOM typings. */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: unknown }
  Memory: new (descriptor: { initial: number; maximum: number; shared?: boolean }) => WasmMemory
  validate(bytes: Uint8Array): boolean
}
interface WasmMemory {
  buffer: ArrayBufferLike
  grow(pages: number): number
}

const PAGE = 65536
const PANEL = 8
/** Operands start on their own cache line. */
const ALIGN = 64
/** Below this many multiply-adds a part is not worth a thread's wake-up (~10–20 µs). */
const MIN_PART_WORK = 300_000
/** Exports a thread may run, by index. */
const THREAD_FUNCTIONS = ['gemm', 'im2col', 'col2im'] as const
const GEMM = 0
const IM2COL = 1
const COL2IM = 2
const GEOMETRY_INTS = 10

const alignUp = (bytes: number): number => Math.ceil(bytes / ALIGN) * ALIGN
const panelFloats = (columns: number, steps: number): number => Math.ceil(columns / PANEL) * PANEL * steps

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

function webAssemblyApi(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly
}

/** Whether this runtime can share memory between threads (Node; browsers only when cross-origin isolated). */
function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated
  return isolated !== false
}

/** The kernels, or undefined when this runtime lacks WebAssembly or its SIMD instructions. */
export function createWasmGemmF32(): WasmGemmF32 | undefined {
  const api = webAssemblyApi()
  if (!api) return undefined
  const shared = canShareMemory()
  const bytes = decodeBase64(shared ? GEMM_F32_SHARED_WASM : GEMM_F32_PLAIN_WASM)
  if (!api.validate(bytes)) return undefined
  const memory = new api.Memory({ initial: 1, maximum: GEMM_F32_MAXIMUM_PAGES, ...(shared ? { shared: true } : {}) })
  const module = new api.Module(bytes)
  const exports = new api.Instance(module, { env: { memory } }).exports as KernelExports
  return new WasmGemmF32(exports, memory, module, shared)
}

export class WasmGemmF32 implements GemmKernelsF32 {
  private pool: KernelPool | null = null
  /** Arrays that live in the kernels' memory (`resident`), by their byte offset: used in place, never copied. */
  private readonly residents = new WeakMap<Float32Array, number>()
  /** Resident arrays fill [1024, permanentEnd); each call's copies go above. */
  private permanentEnd = 1024

  constructor(
    private readonly kernels: KernelExports,
    private readonly memory: WasmMemory,
    private readonly module: object,
    /** Whether threads can be added (the memory is shared). */
    readonly shared: boolean
  ) {}

  /**
   * Uses `threads` threads in all (this one included) from now on; 1 closes the helpers. Helpers start
   * asynchronously and take parts once ready; results are the same either way.
   */
  setThreads(host: KernelThreadHost | null, threads: number): void {
    const wanted = this.shared && host ? Math.max(1, Math.floor(threads)) : 1
    if (this.pool && this.pool.threads === wanted) return
    this.pool?.close()
    this.pool = wanted > 1 && host ? new KernelPool(host, this.module, this.memory, THREAD_FUNCTIONS, wanted) : null
  }

  /** Threads working on products now (helpers still starting are not counted). */
  get activeThreads(): number {
    return this.pool?.activeThreads ?? 1
  }

  /**
   * A zeroed array of `length` floats inside the kernels' memory, which products, im2col and col2im
   * use in place (the big matrices of a convolution then never travel). Only on shared memory, whose
   * views survive its growth; undefined elsewhere, or when the memory is full.
   */
  resident(length: number): Float32Array | undefined {
    if (!this.shared || !this.ensure(alignUp(this.permanentEnd + length * 4))) return undefined
    const at = this.permanentEnd
    this.permanentEnd = alignUp(at + length * 4)
    const view = new Float32Array(this.memory.buffer, at, length)
    this.residents.set(view, at)
    return view
  }

  /** Whether `array` lives in the kernels' memory. */
  isResident(array: Float32Array): boolean {
    return this.residents.has(array)
  }

  private ensure(end: number): boolean {
    if (end > GEMM_F32_MAXIMUM_PAGES * PAGE) return false
    const have = this.memory.buffer.byteLength
    try {
      if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE))
      return true
    } catch {
      return false // the process is out of address space
    }
  }

  /**
   * Byte offsets for a call's operands: a resident array's own, else a region above the resident ones
   * (`array` null: scratch). Undefined when the memory cannot hold them.
   */
  private layout(operands: readonly (readonly [Float32Array | null, number])[]): number[] | undefined {
    const offsets: number[] = []
    let end = this.permanentEnd
    for (const [array, count] of operands) {
      const at = array ? this.residents.get(array) : undefined
      if (at !== undefined && array!.length >= count) offsets.push(at)
      else {
        offsets.push(end)
        end = alignUp(end + count * 4)
      }
    }
    return this.ensure(end) ? offsets : undefined
  }

  private put(source: Float32Array, offset: number, count: number): void {
    if (this.residents.get(source) === offset) return
    new Float32Array(this.memory.buffer, offset, count).set(source.length === count ? source : source.subarray(0, count))
  }

  private take(target: Float32Array, offset: number, count: number): void {
    if (this.residents.get(target) === offset) return
    target.set(new Float32Array(this.memory.buffer, offset, count))
  }

  /** Runs thread function `fn` on [0, parts), split between the threads when each part is worth it. */
  private split(fn: number, args: readonly number[], parts: number, align: number, minParts: number, local: (start: number, end: number) => void): void {
    if (!this.pool) return local(0, parts)
    this.pool.run(fn, args, parts, align, minParts, local)
  }

  /** C rows [0, rows) of the product, split between the threads. */
  private run(a: number, rowStride: number, stepStride: number, steps: number, panels: number, c: number, cols: number, rows: number): void {
    const args = [a, rowStride, stepStride, steps, panels, c, cols]
    const minRows = Math.ceil(MIN_PART_WORK / Math.max(1, steps * cols))
    this.split(GEMM, args, rows, 4, minRows, (start, end) => this.kernels.gemm(a, rowStride, stepStride, steps, panels, c, cols, start, end))
  }

  matmul(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    const regions = this.layout([[a, m * k], [b, k * n], [null, panelFloats(n, k)], [c, m * n]])
    if (!regions) return fallback.matmul(a, b, c, m, k, n)
    const [aAt, bAt, pAt, cAt] = regions
    this.put(a, aAt, m * k)
    this.put(b, bAt, k * n)
    this.kernels.pack(bAt, n, k, n, pAt)
    this.run(aAt, k, 1, k, pAt, cAt, n, m)
    this.take(c, cAt, m * n)
  }

  matmulTransA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    const regions = this.layout([[a, m * k], [b, m * n], [null, panelFloats(n, m)], [c, k * n]])
    if (!regions) return fallback.matmulTransA(a, b, c, m, k, n)
    const [aAt, bAt, pAt, cAt] = regions
    this.put(a, aAt, m * k)
    this.put(b, bAt, m * n)
    this.kernels.pack(bAt, n, m, n, pAt)
    // Row p of C reads column p of A: neighbouring rows 1 apart, steps (rows of A) k apart.
    this.run(aAt, 1, k, m, pAt, cAt, n, k)
    this.take(c, cAt, k * n)
  }

  matmulTransB(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number): void {
    const regions = this.layout([[a, m * n], [b, k * n], [null, panelFloats(k, n)], [c, m * k]])
    if (!regions) return fallback.matmulTransB(a, b, c, m, n, k)
    const [aAt, bAt, pAt, cAt] = regions
    this.put(a, aAt, m * n)
    this.put(b, bAt, k * n)
    this.kernels.packTransposed(bAt, k, n, pAt)
    this.run(aAt, n, 1, n, pAt, cAt, k, m)
    this.take(c, cAt, m * k)
  }

  /** im2col (kernels/im2col.ts) with `col` resident; false when it cannot run here (then the caller's loops do). */
  im2col(x: Float32Array, g: ConvGeometry, col: Float32Array): boolean {
    const regions = this.layout([[col, colRows(g) * colCols(g)], [x, g.n * g.c * g.h * g.w], [null, GEOMETRY_INTS]])
    if (!regions || !this.isResident(col)) return false
    const [colAt, xAt, geometryAt] = regions
    this.put(x, xAt, g.n * g.c * g.h * g.w)
    this.writeGeometry(geometryAt, g)
    this.split(IM2COL, [geometryAt, xAt, colAt], g.n, 1, this.minImages(g), (start, end) => this.kernels.im2col(geometryAt, xAt, colAt, start, end))
    return true
  }

  /** col2im (kernels/col2im.ts) from a resident `col`; false when it cannot run here. */
  col2im(col: Float32Array, g: ConvGeometry, x: Float32Array): boolean {
    const regions = this.layout([[col, colRows(g) * colCols(g)], [x, g.n * g.c * g.h * g.w], [null, GEOMETRY_INTS]])
    if (!regions || !this.isResident(col)) return false
    const [colAt, xAt, geometryAt] = regions
    this.writeGeometry(geometryAt, g)
    this.split(COL2IM, [geometryAt, colAt, xAt], g.n, 1, this.minImages(g), (start, end) => this.kernels.col2im(geometryAt, colAt, xAt, start, end))
    this.take(x, xAt, g.n * g.c * g.h * g.w)
    return true
  }

  private writeGeometry(at: number, g: ConvGeometry): void {
    new Int32Array(this.memory.buffer, at, GEOMETRY_INTS).set([g.n, g.c, g.h, g.w, g.fh, g.fw, g.stride, g.pad, g.oh, g.ow])
  }

  /** Images per thread worth waking it for: ~MIN_PART_WORK values of col. */
  private minImages(g: ConvGeometry): number {
    return Math.ceil(MIN_PART_WORK / Math.max(1, g.oh * g.ow * colCols(g)))
  }
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
