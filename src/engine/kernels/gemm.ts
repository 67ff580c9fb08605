/**
 * The engine's matrix products (row-major Float64Array). They run on the WebAssembly SIMD kernels
 * (wasm/gemm-wasm.ts) when this runtime validates them, else on the TypeScript loops (gemm-ts.ts); both
 * give bit-identical results, so the choice changes speed only, never a trained number.
 *
 * `setGemmBackend('ts')`, or `globalThis.__GRADIENT_LAB_NO_WASM__ = true` before the first product
 * (e.g. from a `node --import` preload), forces the TypeScript path for tests and benchmarks.
 */
import * as typescriptKernels from './gemm-ts'
import { createWasmGemm, type GemmKernels } from './wasm/gemm-wasm'

export type GemmBackend = 'ts' | 'wasm'

let requested: GemmBackend | 'auto' = 'auto'
let active: GemmKernels | undefined
let activeName: GemmBackend = 'ts'
/** The wasm kernels once built: undefined = not tried yet, null = unavailable here. */
let wasmKernels: GemmKernels | null | undefined

function wasm(): GemmKernels | null {
  if (wasmKernels === undefined) {
    try {
      wasmKernels = createWasmGemm() ?? null
    } catch {
      wasmKernels = null // e.g. a content-security policy that forbids compiling WebAssembly
    }
  }
  return wasmKernels
}

function resolve(): GemmKernels {
  const wantsTs = requested === 'ts' || (requested === 'auto' && (globalThis as { __GRADIENT_LAB_NO_WASM__?: unknown }).__GRADIENT_LAB_NO_WASM__ === true)
  const kernels = wantsTs ? null : wasm()
  if (requested === 'wasm' && !kernels) throw new Error('gemm: the WebAssembly SIMD kernels are not available in this runtime')
  activeName = kernels ? 'wasm' : 'ts'
  active = kernels ?? typescriptKernels
  return active
}

/** Chooses the kernels: 'auto' (the default) = wasm when available; 'wasm' throws if it is not. */
export function setGemmBackend(backend: GemmBackend | 'auto'): void {
  requested = backend
  active = undefined
  resolve()
}

/** Which kernels the products run on now. */
export function gemmBackend(): GemmBackend {
  if (!active) resolve()
  return activeName
}

/** C (m×n) = A (m×k) · B (k×n). */
export function matmul(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void {
  ;(active ?? resolve()).matmul(a, b, c, m, k, n)
}

/** C (k×n) = Aᵀ · B, with A (m×k) and B (m×n): the weight gradient xᵀ·dout. */
export function matmulTransA(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void {
  ;(active ?? resolve()).matmulTransA(a, b, c, m, k, n)
}

/** C (m×k) = A (m×n) · Bᵀ, with B (k×n): the input gradient dout·Wᵀ. */
export function matmulTransB(a: Float64Array, b: Float64Array, c: Float64Array, m: number, n: number, k: number): void {
  ;(active ?? resolve()).matmulTransB(a, b, c, m, n, k)
}
