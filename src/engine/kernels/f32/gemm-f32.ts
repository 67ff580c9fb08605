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
  pack(src: number, ld: number, rows: number, cols: number, dst: number, qStart: number, qEnd: number): void
  packTransposed(src: number, rows: number, cols: number, dst: number, qStart: number, qEnd: number): void
  gemm(a: number, rowStride: number, stepStride: number, steps: number, panels: number, c: number, cols: number, accumulate: number, rowStart: number, rowEnd: number): void
  im2col(geometry: number, x: number, col: number, imgStart: number, imgEnd: number): void
  col2im(geometry: number, col: number, x: number, imgStart: number, imgEnd: number): void
  gemmSparseA(a: number, k: number, b: number, n: number, c: number, list: number, rowStart: number, rowEnd: number): void
  gemmSparseTransA(a: number, m: number, k: number, b: number, n: number, c: number, list: number, pStart: number, pEnd: number): void
  mapsFromRows(rows: number, bias: number, out: number, positions: number, filters: number, imgStart: number, imgEnd: number): void
  rowsFromMaps(dout: number, rows: number, positions: number, filters: number, imgStart: number, imgEnd: number): void
  filterSums(dout: number, images: number, positions: number, filters: number, db: number, fStart: number, fEnd: number): void
  reluForward(x: number, y: number, start: number, end: number): void
  reluBackward(x: number, g: number, dx: number, start: number, end: number): void
  maxPoolForward(geometry: number, x: number, out: number, argmax: number, mapStart: number, mapEnd: number): void
  maxPoolBackward(dout: number, argmax: number, dx: number, mapSize: number, outsPerMap: number, mapStart: number, mapEnd: number): void
  unitPixels(bytes: number, out: number, start: number, end: number): void
  sgdUpdate(...args: number[]): void
  momentumUpdate(...args: number[]): void
  nesterovUpdate(...args: number[]): void
  adagradUpdate(...args: number[]): void
  rmspropUpdate(...args: number[]): void
  adamUpdate(...args: number[]): void
}

/** The optimizers whose float32 updates run on the kernels (assembly/optimizers-f32.ts). */
export type OptimizerUpdate = 'sgdUpdate' | 'momentumUpdate' | 'nesterovUpdate' | 'adagradUpdate' | 'rmspropUpdate' | 'adamUpdate'

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
/**
 * The same for the zero-skipping products, counted in non-zero terms × columns: a digit batch's first
 * layer (100 × 784 × 40 at ~19 % non-zero, ~0.6 M) is faster on one thread than split (measured).
 */
const MIN_SPARSE_PART_WORK = 1_200_000
/** Exports a thread may run, by index. */
const THREAD_FUNCTIONS = [
  'gemm', 'im2col', 'col2im', 'gemmSparseA', 'gemmSparseTransA',
  'mapsFromRows', 'rowsFromMaps', 'filterSums', 'reluForward', 'reluBackward', 'maxPoolForward', 'maxPoolBackward',
  'sgdUpdate', 'momentumUpdate', 'nesterovUpdate', 'adagradUpdate', 'rmspropUpdate', 'adamUpdate', 'unitPixels',
  'pack', 'packTransposed'
] as const
const GEMM = 0
const IM2COL = 1
const COL2IM = 2
const GEMM_SPARSE_A = 3
const GEMM_SPARSE_TRANS_A = 4
const MAPS_FROM_ROWS = 5
const ROWS_FROM_MAPS = 6
const FILTER_SUMS = 7
const RELU_FORWARD = 8
const RELU_BACKWARD = 9
const MAX_POOL_FORWARD = 10
const MAX_POOL_BACKWARD = 11
const UNIT_PIXELS = 18
const PACK = 19
const PACK_TRANSPOSED = 20
/** im2col rows per convolution chunk: well inside the last-level cache (32 MiB here), several per thread. */
const CONV_CHUNK_BYTES = 4 << 20
/** Below this many values a part of a memory-bound loop (layout, ReLU, pooling) is not worth a thread. */
const MIN_PART_VALUES = 100_000
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
const SPARSE_MIN_ROW = 64
/** Entries of A looked at to estimate its share of zeros. */
const SPARSE_SAMPLES = 1024
const GEOMETRY_INTS = 10

/** What the kernels' memory holds: float32 values, or 32-bit indices. */
type Words = Float32Array | Int32Array

/** The kernels' own data (none today) stay below this byte offset. */
const RESIDENT_START = 1024

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
  private readonly residents = new WeakMap<Words, number>()
  /** Whether mostly-zero left operands take the zero-skipping kernels (same bits; off only to compare the two). */
  zeroSkipping = true
  /** Resident arrays fill [RESIDENT_START, permanentEnd), with holes in `residentRoom`; each call's copies go above. */
  private permanentEnd = RESIDENT_START
  private readonly residentRoom = new FreeRoom()
  private readonly reclaim = new FinalizationRegistry<{ at: number; bytes: number }>(({ at, bytes }) => this.giveBack(at, bytes))

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
   * A zeroed array of `length` floats inside the kernels' memory, which the kernels use in place (the
   * big matrices and activations of a convolution then never travel). Only on shared memory, whose views
   * survive its growth; undefined elsewhere, or when the memory is full. Its room is taken back once the
   * array is garbage (a finalization registry), so building network after network reuses the same memory.
   */
  resident(length: number): Float32Array | undefined {
    return this.residentArray(length, (buffer, at) => new Float32Array(buffer, at, length))
  }

  /** The same for 32-bit integers (max pooling's argmax, which its kernels write and read in place). */
  residentInts(length: number): Int32Array | undefined {
    return this.residentArray(length, (buffer, at) => new Int32Array(buffer, at, length))
  }

  private residentArray<T extends Words>(length: number, view: (buffer: ArrayBufferLike, at: number) => T): T | undefined {
    if (!this.shared) return undefined
    const bytes = alignUp(Math.max(1, length) * 4)
    const at = this.residentRoom.take(bytes) ?? this.growResidents(bytes)
    if (at === undefined) return undefined
    const array = view(this.memory.buffer, at)
    array.fill(0) // reused room holds an old array's values
    this.residents.set(array, at)
    this.reclaim.register(array, { at, bytes })
    return array
  }

  /** Room for resident arrays now taken, in bytes (for tests and the memory probe). */
  get residentBytes(): number {
    return this.permanentEnd - RESIDENT_START - this.residentRoom.freeBytes
  }

  /** Gives back a resident array's room now (the registry does it anyway once the array is garbage). */
  releaseResident(array: Words): void {
    const at = this.residents.get(array)
    if (at === undefined) return
    this.residents.delete(array)
    this.reclaim.unregister(array)
    this.giveBack(at, alignUp(Math.max(1, array.length) * 4))
  }

  private growResidents(bytes: number): number | undefined {
    if (!this.ensure(this.permanentEnd + bytes)) return undefined
    const at = this.permanentEnd
    this.permanentEnd += bytes
    return at
  }

  private giveBack(at: number, bytes: number): void {
    this.residentRoom.give(at, bytes)
    // Free room at the top goes back to the per-call scratch above the residents.
    this.permanentEnd = this.residentRoom.trimTop(this.permanentEnd)
  }

  /** Whether `array` lives in the kernels' memory. */
  isResident(array: Words): boolean {
    return this.residents.has(array)
  }

  /**
   * Grows the memory to hold `end` bytes and a little more: kernels may read a vector that starts in
   * the last operand and reaches a few bytes past it (never using those values).
   */
  private ensure(used: number): boolean {
    const end = used + ALIGN
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
  private layout(operands: readonly (readonly [Words | null, number])[]): number[] | undefined {
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

  private put(source: Words, offset: number, count: number): void {
    if (this.residents.get(source) === offset) return
    const words = source.length === count ? source : source.subarray(0, count)
    if (words instanceof Int32Array) new Int32Array(this.memory.buffer, offset, count).set(words)
    else new Float32Array(this.memory.buffer, offset, count).set(words)
  }

  private take(target: Words, offset: number, count: number): void {
    if (this.residents.get(target) === offset) return
    if (target instanceof Int32Array) target.set(new Int32Array(this.memory.buffer, offset, count))
    else target.set(new Float32Array(this.memory.buffer, offset, count))
  }

  /** Runs thread function `fn` on [0, parts), split between the threads when each part is worth it. */
  private split(fn: number, args: readonly number[], parts: number, align: number, minParts: number, local: (start: number, end: number) => void): void {
    // Too little for two parts: no thread to ask (most calls of a small network).
    if (!this.pool || parts < 2 * Math.max(1, minParts)) return local(0, parts)
    this.pool.run(fn, args, parts, align, minParts, local)
  }

  /** Packs B (kernels' `pack`), its panels split between the threads. */
  private pack(src: number, ld: number, rows: number, cols: number, dst: number): void {
    const panels = Math.ceil(cols / PANEL)
    const minPanels = this.minParts(rows * PANEL)
    this.split(PACK, [src, ld, rows, cols, dst], panels, 1, minPanels, (start, end) => this.kernels.pack(src, ld, rows, cols, dst, start, end))
  }

  /** Packs Bᵀ (kernels' `packTransposed`), its panels split between the threads. */
  private packTransposed(src: number, rows: number, cols: number, dst: number): void {
    const panels = Math.ceil(rows / PANEL)
    const minPanels = this.minParts(cols * PANEL)
    this.split(PACK_TRANSPOSED, [src, rows, cols, dst], panels, 1, minPanels, (start, end) => this.kernels.packTransposed(src, rows, cols, dst, start, end))
  }

  /** C rows [0, rows) of the product, split between the threads. */
  private run(a: number, rowStride: number, stepStride: number, steps: number, panels: number, c: number, cols: number, rows: number, accumulate = false): void {
    const args = [a, rowStride, stepStride, steps, panels, c, cols, accumulate ? 1 : 0]
    const minRows = Math.ceil(MIN_PART_WORK / Math.max(1, steps * cols))
    this.split(GEMM, args, rows, 4, minRows, (start, end) => this.kernels.gemm(a, rowStride, stepStride, steps, panels, c, cols, accumulate ? 1 : 0, start, end))
  }

  matmul(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    const density = this.zeroSkipping && k >= SPARSE_MIN_ROW ? nonZeroShare(a, m * k) : 1
    if (density <= 1 - SPARSE_ZEROS) return this.matmulSparseA(a, b, c, m, k, n, density)
    const regions = this.layout([[a, m * k], [b, k * n], [null, panelFloats(n, k)], [c, m * n]])
    if (!regions) return fallback.matmul(a, b, c, m, k, n)
    const [aAt, bAt, pAt, cAt] = regions
    this.put(a, aAt, m * k)
    this.put(b, bAt, k * n)
    this.pack(bAt, n, k, n, pAt)
    this.run(aAt, k, 1, k, pAt, cAt, n, m)
    this.take(c, cAt, m * n)
  }

  matmulTransA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    const density = this.zeroSkipping && k >= SPARSE_MIN_ROW ? nonZeroShare(a, m * k) : 1
    if (density <= 1 - SPARSE_ZEROS) return this.matmulSparseTransA(a, b, c, m, k, n, density)
    const regions = this.layout([[a, m * k], [b, m * n], [null, panelFloats(n, m)], [c, k * n]])
    if (!regions) return fallback.matmulTransA(a, b, c, m, k, n)
    const [aAt, bAt, pAt, cAt] = regions
    this.put(a, aAt, m * k)
    this.put(b, bAt, m * n)
    this.pack(bAt, n, m, n, pAt)
    // Row p of C reads column p of A: neighbouring rows 1 apart, steps (rows of A) k apart.
    this.run(aAt, 1, k, m, pAt, cAt, n, k)
    this.take(c, cAt, k * n)
  }

  /** matmul for an A that is mostly zeros: B is read unpacked, rows of C split between the threads. */
  private matmulSparseA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, density: number): void {
    // Term lists: a part starting at row r lists its rows' terms from pair r·k on (one row at a time).
    const regions = this.layout([[a, m * k], [b, k * n], [c, m * n], [null, 2 * m * k]])
    if (!regions) return fallback.matmul(a, b, c, m, k, n)
    const [aAt, bAt, cAt, listAt] = regions
    this.put(a, aAt, m * k)
    this.put(b, bAt, k * n)
    const minRows = Math.ceil(MIN_SPARSE_PART_WORK / Math.max(1, density * k * n))
    this.split(GEMM_SPARSE_A, [aAt, k, bAt, n, cAt, listAt], m, 1, minRows, (start, end) => this.kernels.gemmSparseA(aAt, k, bAt, n, cAt, listAt, start, end))
    this.take(c, cAt, m * n)
  }

  /** matmulTransA for an A that is mostly zeros: C's rows (A's columns) split between the threads. */
  private matmulSparseTransA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, density: number): void {
    // Term lists: m pairs of room per column of A, then one count per column.
    const regions = this.layout([[a, m * k], [b, m * n], [c, k * n], [null, 2 * m * k + k]])
    if (!regions) return fallback.matmulTransA(a, b, c, m, k, n)
    const [aAt, bAt, cAt, listAt] = regions
    this.put(a, aAt, m * k)
    this.put(b, bAt, m * n)
    const minRows = Math.ceil(MIN_SPARSE_PART_WORK / Math.max(1, density * m * n))
    this.split(GEMM_SPARSE_TRANS_A, [aAt, m, k, bAt, n, cAt, listAt], k, 4, minRows, (start, end) => this.kernels.gemmSparseTransA(aAt, m, k, bAt, n, cAt, listAt, start, end))
    this.take(c, cAt, k * n)
  }

  matmulTransB(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number): void {
    const regions = this.layout([[a, m * n], [b, k * n], [null, panelFloats(k, n)], [c, m * k]])
    if (!regions) return fallback.matmulTransB(a, b, c, m, n, k)
    const [aAt, bAt, pAt, cAt] = regions
    this.put(a, aAt, m * n)
    this.put(b, bAt, k * n)
    this.packTransposed(bAt, k, n, pAt)
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

  // ---- Convolutions a few images at a time -------------------------------------------------------------
  // The whole batch's im2col matrix is tens of MB (cnn-deep's second layer: 45 MB), written and read again
  // at memory speed. A few images' rows fit in the cache: each chunk is unrolled, then used at once. Every
  // row of a product is computed as before, and dW sums its terms in the same order (`accumulate`), so
  // the bits are those of one im2col of the batch then one product.

  /** im2col bytes per convolution chunk (tests set it to compare chunkings). */
  convChunkBytes = CONV_CHUNK_BYTES

  /** Images whose im2col rows take about convChunkBytes: one chunk of a convolution. */
  convChunkImages(g: ConvGeometry): number {
    const bytesPerImage = g.oh * g.ow * colCols(g) * 4
    return Math.max(1, Math.min(g.n, Math.floor(this.convChunkBytes / Math.max(1, bytesPerImage))))
  }

  /**
   * rows (N·OH·OW × FN) = im2col(x) · Wt, unrolling convChunkImages(g) images at a time into `col`
   * (resident, room for one chunk). False when it cannot run here (the caller's whole-batch path then does).
   */
  convForward(x: Float32Array, g: ConvGeometry, wt: Float32Array, rows: Float32Array, col: Float32Array, filters: number): boolean {
    const positions = g.oh * g.ow
    const k = colCols(g)
    const chunk = this.convChunkImages(g)
    const imageSize = g.c * g.h * g.w
    const regions = this.layout([[col, chunk * positions * k], [x, g.n * imageSize], [wt, k * filters], [null, panelFloats(filters, k)], [rows, g.n * positions * filters], [null, GEOMETRY_INTS]])
    if (!regions || !this.isResident(col)) return false
    const [colAt, xAt, wtAt, panelsAt, rowsAt, geometryAt] = regions
    this.put(x, xAt, g.n * imageSize)
    this.put(wt, wtAt, k * filters)
    this.pack(wtAt, filters, k, filters, panelsAt)
    this.writeGeometry(geometryAt, g)
    for (let first = 0; first < g.n; first += chunk) {
      const images = Math.min(chunk, g.n - first)
      this.unrollChunk(geometryAt, xAt + first * imageSize * 4, colAt, images, g)
      this.run(colAt, k, 1, k, panelsAt, rowsAt + first * positions * filters * 4, filters, images * positions)
    }
    this.take(rows, rowsAt, g.n * positions * filters)
    return true
  }

  /**
   * A convolution's backward products: dWt (C·FH·FW × FN) = im2col(x)ᵀ · rows and, when dx is given,
   * dx = col2im(rows · W), a chunk of images at a time (rows: the output gradient, N·OH·OW × FN; w: FN ×
   * C·FH·FW). False when it cannot run here.
   */
  convBackward(x: Float32Array, g: ConvGeometry, rows: Float32Array, w: Float32Array, dWt: Float32Array, col: Float32Array, filters: number, dx: Float32Array | null): boolean {
    const positions = g.oh * g.ow
    const k = colCols(g)
    const chunk = this.convChunkImages(g)
    const imageSize = g.c * g.h * g.w
    const operands: [Words | null, number][] = [
      [col, chunk * positions * k], [x, g.n * imageSize], [rows, g.n * positions * filters], [w, filters * k], [dWt, k * filters],
      [null, panelFloats(filters, chunk * positions)], [null, panelFloats(k, filters)], [null, GEOMETRY_INTS], [dx, dx ? g.n * imageSize : 0]
    ]
    const regions = this.layout(operands)
    if (!regions || !this.isResident(col)) return false
    const [colAt, xAt, rowsAt, wAt, dWtAt, rowPanelsAt, wPanelsAt, geometryAt, dxAt] = regions
    this.put(x, xAt, g.n * imageSize)
    this.put(rows, rowsAt, g.n * positions * filters)
    this.put(w, wAt, filters * k)
    if (dx) this.pack(wAt, k, filters, k, wPanelsAt)
    this.writeGeometry(geometryAt, g)
    for (let first = 0; first < g.n; first += chunk) {
      const images = Math.min(chunk, g.n - first)
      const m = images * positions
      const rowsChunk = rowsAt + first * positions * filters * 4
      this.unrollChunk(geometryAt, xAt + first * imageSize * 4, colAt, images, g)
      // dWt += colᵀ · rows: row p of dWt reads column p of col (neighbouring rows 1 apart, steps k apart).
      this.pack(rowsChunk, filters, m, filters, rowPanelsAt)
      this.run(colAt, 1, k, m, rowPanelsAt, dWtAt, filters, k, first > 0)
      if (!dx) continue
      this.run(rowsChunk, filters, 1, filters, wPanelsAt, colAt, k, m) // dcol = rows · W, over the chunk's col
      const dxChunk = dxAt + first * imageSize * 4
      this.split(COL2IM, [geometryAt, colAt, dxChunk], images, 1, this.minImages(g), (start, end) => this.kernels.col2im(geometryAt, colAt, dxChunk, start, end))
    }
    this.take(dWt, dWtAt, k * filters)
    if (dx) this.take(dx, dxAt, g.n * imageSize)
    return true
  }

  /** im2col of `images` images starting at byte address `x`, into col from its first row. */
  private unrollChunk(geometryAt: number, x: number, colAt: number, images: number, g: ConvGeometry): void {
    this.split(IM2COL, [geometryAt, x, colAt], images, 1, this.minImages(g), (start, end) => this.kernels.im2col(geometryAt, x, colAt, start, end))
  }

  // ---- The layers' own loops (assembly/layers-f32.ts): each gives the same bits as the layer's loops. ----

  /** out (N, FN, P) = rows (N, P, FN) + bias: a convolution's output in numpy's layout. */
  mapsFromRows(rows: Float32Array, bias: Float32Array, out: Float32Array, images: number, positions: number, filters: number): void {
    const size = images * positions * filters
    const regions = this.layout([[rows, size], [bias, filters], [out, size]])
    if (!regions) return mapsFromRowsLoops(rows, bias, out, images, positions, filters)
    const [rowsAt, biasAt, outAt] = regions
    this.put(rows, rowsAt, size)
    this.put(bias, biasAt, filters)
    const args = [rowsAt, biasAt, outAt, positions, filters]
    this.split(MAPS_FROM_ROWS, args, images, 1, this.minParts(positions * filters), (start, end) => this.kernels.mapsFromRows(rowsAt, biasAt, outAt, positions, filters, start, end))
    this.take(out, outAt, size)
  }

  /** rows (N, P, FN) = dout (N, FN, P), and db[f] = the sum of filter f's gradients (conv2d.ts's order). */
  rowsFromMaps(dout: Float32Array, rows: Float32Array, db: Float32Array, images: number, positions: number, filters: number): void {
    const size = images * positions * filters
    const regions = this.layout([[dout, size], [rows, size], [db, filters]])
    if (!regions) return rowsFromMapsLoops(dout, rows, db, images, positions, filters)
    const [doutAt, rowsAt, dbAt] = regions
    this.put(dout, doutAt, size)
    const minImages = this.minParts(positions * filters)
    this.split(ROWS_FROM_MAPS, [doutAt, rowsAt, positions, filters], images, 1, minImages, (start, end) => this.kernels.rowsFromMaps(doutAt, rowsAt, positions, filters, start, end))
    const minFilters = this.minParts(images * positions)
    this.split(FILTER_SUMS, [doutAt, images, positions, filters, dbAt], filters, 1, minFilters, (start, end) => this.kernels.filterSums(doutAt, images, positions, filters, dbAt, start, end))
    this.take(rows, rowsAt, size)
    this.take(db, dbAt, filters)
  }

  /** y = max(x, 0) (relu.ts's values for every finite x and NaN). */
  reluForward(x: Float32Array, y: Float32Array): void {
    const size = x.length
    const regions = this.layout([[x, size], [y, size]])
    if (!regions) return reluForwardLoop(x, y)
    const [xAt, yAt] = regions
    this.put(x, xAt, size)
    this.split(RELU_FORWARD, [xAt, yAt], size, 4, MIN_PART_VALUES, (start, end) => this.kernels.reluForward(xAt, yAt, start, end))
    this.take(y, yAt, size)
  }

  /** dx = g · (x > 0 ? 1 : 0), as relu.ts. */
  reluBackward(x: Float32Array, g: Float32Array, dx: Float32Array): void {
    const size = g.length
    const regions = this.layout([[x, size], [g, size], [dx, size]])
    if (!regions) return reluBackwardLoop(x, g, dx)
    const [xAt, gAt, dxAt] = regions
    this.put(x, xAt, size)
    this.put(g, gAt, size)
    this.split(RELU_BACKWARD, [xAt, gAt, dxAt], size, 4, MIN_PART_VALUES, (start, end) => this.kernels.reluBackward(xAt, gAt, dxAt, start, end))
    this.take(dx, dxAt, size)
  }

  /** Max pooling of every map of x (geometry g: windows g.fh × g.fh), with each maximum's input index; false when it cannot run here. */
  maxPoolForward(x: Float32Array, g: ConvGeometry, out: Float32Array, argmax: Int32Array): boolean {
    const inSize = g.n * g.c * g.h * g.w
    const outSize = g.n * g.c * g.oh * g.ow
    const regions = this.layout([[x, inSize], [out, outSize], [argmax, outSize], [null, GEOMETRY_INTS]])
    if (!regions) return false
    const [xAt, outAt, argAt, geometryAt] = regions
    this.put(x, xAt, inSize)
    this.writeGeometry(geometryAt, g)
    const maps = g.n * g.c
    this.split(MAX_POOL_FORWARD, [geometryAt, xAt, outAt, argAt], maps, 1, this.minParts(g.h * g.w), (start, end) => this.kernels.maxPoolForward(geometryAt, xAt, outAt, argAt, start, end))
    this.take(out, outAt, outSize)
    this.take(argmax, argAt, outSize)
    return true
  }

  /** dx from dout through the argmax of maxPoolForward; false when it cannot run here. */
  maxPoolBackward(dout: Float32Array, argmax: Int32Array, g: ConvGeometry, dx: Float32Array): boolean {
    const inSize = g.n * g.c * g.h * g.w
    const outSize = g.n * g.c * g.oh * g.ow
    const regions = this.layout([[dout, outSize], [argmax, outSize], [dx, inSize]])
    if (!regions) return false
    const [doutAt, argAt, dxAt] = regions
    this.put(dout, doutAt, outSize)
    this.put(argmax, argAt, outSize)
    const mapSize = g.h * g.w
    const outsPerMap = g.oh * g.ow
    this.split(MAX_POOL_BACKWARD, [doutAt, argAt, dxAt, mapSize, outsPerMap], g.n * g.c, 1, this.minParts(mapSize), (start, end) => this.kernels.maxPoolBackward(doutAt, argAt, dxAt, mapSize, outsPerMap, start, end))
    this.take(dx, dxAt, inSize)
    return true
  }

  /**
   * One optimizer update over every element: `arrays` are the parameter's value, its gradient, then the
   * optimizer's buffers (all updated in place but the gradient); `scalars` (float64) in the order the
   * kernel reads them. False when it cannot run here (the optimizer's loops then do).
   */
  optimizerUpdate(update: OptimizerUpdate, arrays: readonly Float32Array[], scalars: readonly number[]): boolean {
    const size = arrays[0].length
    const regions = this.layout([...arrays.map((a) => [a, size] as const), [null, scalars.length * 2]])
    if (!regions) return false
    const scalarsAt = regions[arrays.length]
    arrays.forEach((array, i) => this.put(array, regions[i], size))
    new Float64Array(this.memory.buffer, scalarsAt, scalars.length).set(scalars)
    const args = [...regions.slice(0, arrays.length), scalarsAt]
    const fn = THREAD_FUNCTIONS.indexOf(update)
    const kernel = this.kernels[update]
    this.split(fn, args, size, 4, MIN_PART_VALUES, (start, end) => kernel(...args, start, end))
    arrays.forEach((array, i) => i !== 1 && this.take(array, regions[i], size))
    return true
  }

  /**
   * A batch's pixels as byte / 255 (data/batch.ts's values, bit for bit): images `indices` of `images`
   * (`pixels` bytes each), in order, into out. False when it cannot run here.
   */
  gatherPixels(images: Uint8Array, indices: ArrayLike<number>, pixels: number, out: Float32Array): boolean {
    return this.unitPixels(indices.length * pixels, out, (bytes) => {
      for (let i = 0; i < indices.length; i++) bytes.set(images.subarray(indices[i] * pixels, (indices[i] + 1) * pixels), i * pixels)
    })
  }

  /** gatherPixels for the images [first, first + count): one copy. */
  gatherPixelRange(images: Uint8Array, first: number, count: number, pixels: number, out: Float32Array): boolean {
    return this.unitPixels(count * pixels, out, (bytes) => bytes.set(images.subarray(first * pixels, (first + count) * pixels)))
  }

  private unitPixels(count: number, out: Float32Array, fill: (bytes: Uint8Array) => void): boolean {
    const regions = this.layout([[null, Math.ceil(count / 4)], [out, count]])
    if (!regions) return false
    const [bytesAt, outAt] = regions
    fill(new Uint8Array(this.memory.buffer, bytesAt, count))
    this.split(UNIT_PIXELS, [bytesAt, outAt], count, 16, MIN_PART_VALUES, (start, end) => this.kernels.unitPixels(bytesAt, outAt, start, end))
    this.take(out, outAt, count)
    return true
  }

  /** Parts of `valuesPerPart` values worth a thread: ~MIN_PART_VALUES values. */
  private minParts(valuesPerPart: number): number {
    return Math.ceil(MIN_PART_VALUES / Math.max(1, valuesPerPart))
  }

  private writeGeometry(at: number, g: ConvGeometry): void {
    new Int32Array(this.memory.buffer, at, GEOMETRY_INTS).set([g.n, g.c, g.h, g.w, g.fh, g.fw, g.stride, g.pad, g.oh, g.ow])
  }

  /** Images per thread worth waking it for: ~MIN_PART_WORK values of col. */
  private minImages(g: ConvGeometry): number {
    return Math.ceil(MIN_PART_WORK / Math.max(1, g.oh * g.ow * colCols(g)))
  }
}

/** Free byte ranges among the resident arrays, kept sorted and merged with their neighbours. */
class FreeRoom {
  private readonly ranges: { at: number; bytes: number }[] = []

  get freeBytes(): number {
    return this.ranges.reduce((sum, r) => sum + r.bytes, 0)
  }

  /** The start of `bytes` of free room (first fit), now taken; undefined when no range is large enough. */
  take(bytes: number): number | undefined {
    const index = this.ranges.findIndex((r) => r.bytes >= bytes)
    if (index < 0) return undefined
    const range = this.ranges[index]
    const at = range.at
    if (range.bytes === bytes) this.ranges.splice(index, 1)
    else this.ranges[index] = { at: at + bytes, bytes: range.bytes - bytes }
    return at
  }

  give(at: number, bytes: number): void {
    let index = this.ranges.findIndex((r) => r.at > at)
    if (index < 0) index = this.ranges.length
    this.ranges.splice(index, 0, { at, bytes })
    const next = this.ranges[index + 1]
    if (next && at + bytes === next.at) {
      this.ranges[index].bytes += next.bytes
      this.ranges.splice(index + 1, 1)
    }
    const previous = this.ranges[index - 1]
    if (previous && previous.at + previous.bytes === at) {
      previous.bytes += this.ranges[index].bytes
      this.ranges.splice(index, 1)
    }
  }

  /** Drops a free range that ends at `end`; returns where the used room now ends. */
  trimTop(end: number): number {
    const last = this.ranges[this.ranges.length - 1]
    if (!last || last.at + last.bytes !== end) return end
    this.ranges.pop()
    return last.at
  }
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

// The layers' loops for operands too large for the kernels' memory (never on MNIST-sized networks).
function mapsFromRowsLoops(rows: Float32Array, bias: Float32Array, out: Float32Array, images: number, positions: number, filters: number): void {
  for (let img = 0; img < images; img++) {
    for (let p = 0; p < positions; p++) {
      const from = (img * positions + p) * filters
      const to = img * filters * positions + p
      for (let f = 0; f < filters; f++) out[to + f * positions] = rows[from + f] + bias[f]
    }
  }
}

function rowsFromMapsLoops(dout: Float32Array, rows: Float32Array, db: Float32Array, images: number, positions: number, filters: number): void {
  db.fill(0)
  for (let img = 0; img < images; img++) {
    for (let f = 0; f < filters; f++) {
      const from = (img * filters + f) * positions
      let sum = 0
      for (let p = 0; p < positions; p++) {
        const v = dout[from + p]
        rows[(img * positions + p) * filters + f] = v
        sum += v
      }
      db[f] += sum
    }
  }
}

function reluForwardLoop(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < x.length; i++) y[i] = Math.max(x[i], 0)
}

function reluBackwardLoop(x: Float32Array, g: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < g.length; i++) dx[i] = g[i] * +(x[i] > 0)
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
