/**
 * The float32 kernels' memory and threads: one WebAssembly memory that the compiled kernels
 * (assembly/f32/*.ts, in compiled-module.ts) and every kernel thread share. It keeps arrays that live there
 * (`resident`: used in place, their room reused once they are garbage), lays out each call's operands
 * (copying the others in and out), and splits a call's range between the threads (threads/kernel-pool.ts).
 * The wrappers that call the kernels (products.ts, convolution.ts, layer-loops.ts, optimizer-updates.ts)
 * use the members marked "for the wrappers".
 */
import type { ConvGeometry } from '../conv-shape'
import {
  GEOMETRY_BYTES,
  GEOMETRY_C,
  GEOMETRY_FH,
  GEOMETRY_FW,
  GEOMETRY_H,
  GEOMETRY_N,
  GEOMETRY_OH,
  GEOMETRY_OW,
  GEOMETRY_PAD,
  GEOMETRY_STRIDE,
  GEOMETRY_W
} from '../plan-layouts'
import { KernelPool, type KernelThreadHost } from '../threads/kernel-pool'
import type { BatchPixelKernels } from './batch-pixels'
import { F32_KERNELS_MAXIMUM_PAGES } from './compiled-module'
import type { ConvolutionKernels } from './convolution'
import { FreeRoom } from './free-room'
import type { LayerLoopKernels } from './layer-loops'
import type { OptimizerKernels } from './optimizer-updates'
import type { ProductKernels } from './products'
import type { SparseProductKernels } from './sparse-products'
import type { WinogradKernels } from './winograd'
import type { WinogradF4Kernels } from './winograd-f4'
import type { WinogradF4GradientKernels } from './winograd-f4-gradient'
import type { WinogradGradientKernels } from './winograd-gradient'
import type { WinogradInputKernels } from './winograd-input'

/**
 * The compiled kernels' exports: each wrapper declares the ones it calls, beside the AssemblyScript file
 * of the same name that defines them (assembly/f32/<name>.ts ↔ f32/<name>.ts).
 */
export type KernelExports = ProductKernels &
  SparseProductKernels &
  ConvolutionKernels &
  WinogradKernels &
  WinogradF4Kernels &
  WinogradF4GradientKernels &
  WinogradInputKernels &
  WinogradGradientKernels &
  LayerLoopKernels &
  BatchPixelKernels &
  OptimizerKernels

/** A kernel a thread may run: any export (each takes its range [start, end) as its last two arguments). */
export type ThreadFunction = keyof KernelExports

/** The part of the WebAssembly JS API used here, declared locally so the engine needs no DOM typings. */
export interface WebAssemblyApi {
  Module: { new (bytes: Uint8Array): object; exports(module: object): { name: string; kind: string }[] }
  Instance: new (module: object, imports: object) => { exports: unknown }
  Memory: new (descriptor: { initial: number; maximum: number; shared?: boolean }) => WasmMemory
  validate(bytes: Uint8Array): boolean
}
export interface WasmMemory {
  buffer: ArrayBufferLike
  grow(pages: number): number
}

/** What the kernels' memory holds: float32 values, or 32-bit indices. */
export type Words = Float32Array | Int32Array

const PAGE = 65536
/** Operands start on their own cache line. */
const ALIGN = 64
/** The kernels' own data (none today) stay below this byte offset. */
const RESIDENT_START = 1024
/** Below this many values a part of a memory-bound loop (layout, ReLU, pooling) is not worth a thread. */
export const MIN_PART_VALUES = 100_000

const alignUp = (bytes: number): number => Math.ceil(bytes / ALIGN) * ALIGN

export class KernelMemory {
  private pool: KernelPool | null = null
  /** Arrays that live in the kernels' memory (`resident`), by their byte offset: used in place, never copied. */
  private readonly residents = new WeakMap<Words, number>()
  /** Resident arrays fill [RESIDENT_START, permanentEnd), with holes in `residentRoom`; each call's copies go above. */
  private permanentEnd = RESIDENT_START
  private readonly residentRoom = new FreeRoom()
  private readonly reclaim = new FinalizationRegistry<{ at: number; bytes: number }>(({ at, bytes }) => this.giveBack(at, bytes))

  constructor(
    /** The compiled kernels (for the wrappers). */
    readonly kernels: KernelExports,
    private readonly memory: WasmMemory,
    private readonly module: object,
    /** The module's exported functions, in the order threads know them by. */
    private readonly functions: readonly ThreadFunction[],
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
    this.pool = wanted > 1 && host ? new KernelPool(host, this.module, this.memory, this.functions, wanted) : null
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
    if (end > F32_KERNELS_MAXIMUM_PAGES * PAGE) return false
    const have = this.memory.buffer.byteLength
    try {
      if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE))
      return true
    } catch {
      return false // the process is out of address space
    }
  }

  /**
   * (For the wrappers.) Byte offsets for a call's operands: a resident array's own, else a region above the resident ones
   * (`array` null: scratch). Undefined when the memory cannot hold them.
   */
  layout(operands: readonly (readonly [Words | null, number])[]): number[] | undefined {
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

  put(source: Words, offset: number, count: number): void {
    if (this.residents.get(source) === offset) return
    const words = source.length === count ? source : source.subarray(0, count)
    if (words instanceof Int32Array) new Int32Array(this.memory.buffer, offset, count).set(words)
    else new Float32Array(this.memory.buffer, offset, count).set(words)
  }

  take(target: Words, offset: number, count: number): void {
    if (this.residents.get(target) === offset) return
    if (target instanceof Int32Array) target.set(new Int32Array(this.memory.buffer, offset, count))
    else target.set(new Float32Array(this.memory.buffer, offset, count))
  }

  /**
   * (For the wrappers.) Runs kernel `fn`(…args, start, end) on [0, parts), split between the threads at
   * multiples of `align` when each part gets at least `minParts`; `local` is this thread's call.
   */
  split(fn: ThreadFunction, args: readonly number[], parts: number, align: number, minParts: number, local: (start: number, end: number) => void): void {
    // Too little for two parts: no thread to ask (most calls of a small network).
    if (!this.pool || parts < 2 * Math.max(1, minParts)) return local(0, parts)
    this.pool.run(this.functions.indexOf(fn), args, parts, align, minParts, local)
  }

  /** (For the wrappers.) Parts of `valuesPerPart` values worth a thread: ~MIN_PART_VALUES values. */
  minParts(valuesPerPart: number): number {
    return Math.ceil(MIN_PART_VALUES / Math.max(1, valuesPerPart))
  }

  /** (For the wrappers.) Room for a convolution's geometry, in the 4-byte words `layout` counts. */
  static readonly GEOMETRY_WORDS = GEOMETRY_BYTES / 4

  /** (For the wrappers.) Writes geometry g at byte offset `at` (GEOMETRY_BYTES of room), as plan-layouts.ts lays it out. */
  writeGeometry(at: number, g: ConvGeometry): void {
    const plan = this.planAt(at, GEOMETRY_BYTES)
    plan.setInt32(GEOMETRY_N, g.n, true)
    plan.setInt32(GEOMETRY_C, g.c, true)
    plan.setInt32(GEOMETRY_H, g.h, true)
    plan.setInt32(GEOMETRY_W, g.w, true)
    plan.setInt32(GEOMETRY_FH, g.fh, true)
    plan.setInt32(GEOMETRY_FW, g.fw, true)
    plan.setInt32(GEOMETRY_STRIDE, g.stride, true)
    plan.setInt32(GEOMETRY_PAD, g.pad, true)
    plan.setInt32(GEOMETRY_OH, g.oh, true)
    plan.setInt32(GEOMETRY_OW, g.ow, true)
  }

  /** (For the wrappers.) `bytes` of the memory at `at`, to write a plan's fields at their offsets (little-endian, as WebAssembly reads them). */
  planAt(at: number, bytes: number): DataView {
    return new DataView(this.memory.buffer, at, bytes)
  }

  /** (For the wrappers.) A view of `count` bytes of the memory at `at` (valid until the memory grows, unless shared). */
  bytesAt(at: number, count: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, at, count)
  }

  /** (For the wrappers.) A view of `count` float64 values at `at` (8-aligned). */
  doublesAt(at: number, count: number): Float64Array {
    return new Float64Array(this.memory.buffer, at, count)
  }
}
