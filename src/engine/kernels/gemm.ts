/**
 * The engine's matrix products (row-major), in the precision of their operands.
 *
 * - float64 (the course's precision) runs on the WebAssembly SIMD kernels (f64/products.ts) when this
 *   runtime validates them, else on the TypeScript loops (gemm-ts.ts); both give bit-identical results,
 *   so the choice changes speed only, never a trained number.
 * - float32 (the fast default) runs on the AssemblyScript SIMD kernels (f32/), which sum in their
 *   own fixed order: they agree with the TypeScript loops to 1e-4 relative, and with themselves bit for
 *   bit, run after run and on any number of threads. The same kernels also serve the layers' loops,
 *   optimizer updates and batches (activeF32Kernels), and arrays that live in their memory (kernelFloats).
 *
 * `setGemmBackend('ts')`, or `globalThis.__GRADIENT_LAB_NO_WASM__ = true` before the first product
 * (e.g. from a `node --import` preload), forces the TypeScript path for tests and benchmarks.
 */
import { allocateFloats, isFloat32, type FloatArray, type Precision } from '../core/dtype'
import { Tensor, sameShape } from '../core/tensor'
import * as typescriptKernels from './gemm-ts'
import { createWasmGemm, type GemmKernels } from './f64/products'
import { createWasmGemmF32, type GemmKernelsF32, type WasmGemmF32 } from './f32/kernels'
import type { KernelThreadHost } from './threads/kernel-pool'

export type GemmBackend = 'ts' | 'wasm'

let requested: GemmBackend | 'auto' = 'auto'
let resolved = false
let activeName: GemmBackend = 'ts'
let active64: GemmKernels = typescriptKernels
let active32: GemmKernelsF32 = typescriptKernels
/** The wasm kernels once built: undefined = not tried yet, null = unavailable here. */
let wasm64: GemmKernels | null | undefined
let wasm32: WasmGemmF32 | null | undefined
let threadHost: KernelThreadHost | null = null
let threadsWanted = 1

function attempt<T>(create: () => T | undefined): T | null {
  try {
    return create() ?? null
  } catch {
    return null // e.g. a content-security policy that forbids compiling WebAssembly
  }
}

function resolve(): void {
  const wantsTs = requested === 'ts' || (requested === 'auto' && (globalThis as { __GRADIENT_LAB_NO_WASM__?: unknown }).__GRADIENT_LAB_NO_WASM__ === true)
  if (!wantsTs) {
    if (wasm64 === undefined) wasm64 = attempt(createWasmGemm)
    if (wasm32 === undefined) wasm32 = attempt(createWasmGemmF32)
  }
  const use64 = wantsTs ? null : wasm64
  const use32 = wantsTs ? null : wasm32
  if (requested === 'wasm' && (!use64 || !use32)) throw new Error('gemm: the WebAssembly SIMD kernels are not available in this runtime')
  activeName = use64 && use32 ? 'wasm' : 'ts'
  active64 = use64 ?? typescriptKernels
  active32 = use32 ?? typescriptKernels
  resolved = true
  if (use32) use32.setThreads(threadHost, threadsWanted)
}

/**
 * How many threads the float32 products use (this one included; the default is 1). The host says how
 * to start a thread; without one, or without shared memory, products stay on this thread.
 */
export function setKernelThreads(host: KernelThreadHost | null, threads: number): void {
  threadHost = host
  threadsWanted = Math.max(1, Math.floor(threads))
  if (!resolved) resolve()
  else wasm32?.setThreads(threadHost, threadsWanted)
}

/** Threads the float32 products use now, and the most this host could give them. */
export function kernelThreads(): { active: number; wanted: number; shared: boolean } {
  if (!resolved) resolve()
  const kernels = activeName === 'wasm' ? wasm32 : null
  return { active: kernels?.activeThreads ?? 1, wanted: threadsWanted, shared: kernels?.shared ?? false }
}

/** Chooses the kernels: 'auto' (the default) = wasm when available; 'wasm' throws if it is not. */
export function setGemmBackend(backend: GemmBackend | 'auto'): void {
  requested = backend
  resolve()
}

/** Which kernels the products run on now. */
export function gemmBackend(): GemmBackend {
  if (!resolved) resolve()
  return activeName
}

function kernelsFor(c: FloatArray): GemmKernels | GemmKernelsF32 {
  if (!resolved) resolve()
  return isFloat32(c) ? active32 : active64
}

/** C (m×n) = A (m×k) · B (k×n). All three arrays share one precision. */
export function matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
  ;(kernelsFor(c).matmul as (a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number) => void)(a, b, c, m, k, n)
}

/** C (k×n) = Aᵀ · B, with A (m×k) and B (m×n): the weight gradient xᵀ·dout. */
export function matmulTransA(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
  ;(kernelsFor(c).matmulTransA as (a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number) => void)(a, b, c, m, k, n)
}

/** C (m×k) = A (m×n) · Bᵀ, with B (k×n): the input gradient dout·Wᵀ. */
export function matmulTransB(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number): void {
  ;(kernelsFor(c).matmulTransB as (a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number) => void)(a, b, c, m, n, k)
}

/** The float32 WebAssembly kernels when products run on them now, else null. */
export function activeF32Kernels(): WasmGemmF32 | null {
  if (!resolved) resolve()
  return activeName === 'wasm' ? (wasm32 ?? null) : null
}

/**
 * Forgets the term lists the float32 kernels keep for a batch they formed (kernels/f32/batch-pixels.ts),
 * whichever backend is active: the caller is about to write the batch some other way.
 */
export function forgetPixelTerms(batch: FloatArray): void {
  if (batch instanceof Float32Array) wasm32?.forgetPixelTerms(batch)
}

/**
 * A zeroed array for a layer's big intermediate matrices: in float32 on the wasm kernels, one that lives
 * in their memory so products, im2col and col2im use it in place; otherwise an ordinary array.
 */
export function kernelFloats(precision: Precision, length: number): FloatArray {
  if (precision === 'float32') {
    const resident = activeF32Kernels()?.resident(length)
    if (resident) return resident
  }
  return allocateFloats(precision, length)
}

/** kernelFloats for 32-bit indices (max pooling's argmax): in the float32 kernels' memory when it can be. */
export function kernelInts(precision: Precision, length: number): Int32Array {
  return (precision === 'float32' ? activeF32Kernels()?.residentInts(length) : undefined) ?? new Int32Array(length)
}

/**
 * core/tensor.ts's `reuse` for a layer's activations and gradients: a new tensor's values come from
 * kernelFloats, so in float32 the next layer's kernels read them in place.
 */
export function reuseKernelTensor(current: Tensor | undefined, shape: readonly number[], precision: Precision): Tensor {
  if (current && sameShape(current.shape, shape) && current.precision === precision) return current
  let size = 1
  for (const d of shape) size *= d
  return new Tensor([...shape], kernelFloats(precision, size))
}
