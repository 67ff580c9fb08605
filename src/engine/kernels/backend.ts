/**
 * The engine's arithmetic below the layers, behind one interface: what a layer, an optimizer or a batch
 * asks of the kernels, in the precision of its arrays. Layers call `kernelsFor(precision)` and never ask
 * which kernels answer.
 *
 * Two implementations (backends/):
 * - `TypeScriptBackend`, the loops as the course writes them: the reference every other backend is
 *   tested against, and what runs where WebAssembly does not (float32 and float64).
 * - on WebAssembly: float32 on the AssemblyScript SIMD kernels (`WasmF32Backend`: threads, Winograd,
 *   arrays that live in the kernels' memory), float64 on the TypeScript backend with its matrix products
 *   on the float64 SIMD kernels (f64/products.ts, bit-identical to gemm-ts.ts).
 * float64 gives the reference's bits on either backend; float32 agrees with it to 1e-4 relative (the
 * products sum in their own fixed order) and with itself bit for bit, on any number of threads.
 *
 * This module holds only the interface, the registry and the TypeScript backend, so that code which
 * merely uses layers or optimizers (the renderer's optimizer lesson, its PyTorch export) carries no
 * compiled kernels. The WebAssembly backends are installed by whoever starts an engine
 * (`installWasmBackends()` in install-wasm-backends.ts: the engine hosts, the CLI, the test set-up, the
 * benchmarks); where nothing installed them the TypeScript backend answers, and `backendReason()` says so.
 *
 * The choice is made once per engine (each engine is its own process, worker or CLI run, so this
 * module's state is the engine's): WebAssembly where installed and the modules validate, else TypeScript.
 * `setBackend('ts')`, or `globalThis.__GRADIENT_LAB_NO_WASM__ = true` before the first call (e.g. from a
 * `node --import` preload), forces the TypeScript backend for tests and benchmarks.
 */
import { precisionOf, type FloatArray, type Precision } from '../core/dtype'
import { Tensor, sameShape } from '../core/tensor'
import { TypeScriptBackend } from './backends/typescript'
import type { ConvGeometry } from './conv-shape'
// Types only (erased): the WebAssembly modules load with install-wasm-backends.ts, never through this file.
import type { GemmKernels } from './f64/products'
import type { WasmGemmF32 } from './f32/kernels'
import * as gemmTs from './gemm-ts'
import type { KernelThreadHost } from './threads/kernel-pool'

/** A convolution's buffers that outlive a call, one set per layer (`convBuffers`). */
export interface ConvBuffers {
  /** (N·OH·OW, FN): the product in row-per-position order; dout in that order during backward. */
  rows: FloatArray
  /** Wᵀ as (C·FH·FW, FN), so the forward product can skip the zeros of the unrolled input; dWᵀ in backward. */
  readonly wt: FloatArray
  /** For an input gradient by Winograd: the filters turned 180° as (C, FN, 3, 3), and C zeros. */
  turned?: FloatArray
  zeroBias?: FloatArray
  /** For a weight gradient by F(4×4, 3×3): the input tiles its forward pass kept, and the input they are of. */
  inputTiles?: FloatArray
  tilesOf?: FloatArray | null
  /** Inference's maps before their ReLU and pooling, where convReluForward cannot do all three in one pass. */
  maps?: FloatArray
}

/** A convolution's operands: input x (N, C, H, W), filters w (FN, C, FH, FW), geometry, buffers. */
export interface ConvOperands {
  readonly x: FloatArray
  readonly g: ConvGeometry
  readonly w: FloatArray
  readonly filters: number
  readonly buffers: ConvBuffers
  /** No backward pass follows (a prediction): keep nothing for one. */
  readonly inference?: boolean
}

/** A convolution's gradients: dW (FN, C, FH, FW), db (FN), and dx (N, C, H, W) or null when unused. */
export interface ConvGradients {
  readonly dw: FloatArray
  readonly db: FloatArray
  readonly dx: FloatArray | null
}

/** AdaGrad's two forms (optimizers/adagrad.ts): the book's, or the course answer's. */
export interface AdaGradRule {
  readonly course: boolean
  readonly first: boolean
  readonly initialH: number
  readonly epsilon: number
}

/**
 * What layers, optimizers and batches ask of the kernels. Every array is of the backend's precision and
 * row-major; outputs are overwritten, never accumulated into.
 */
export interface Backend {
  readonly precision: Precision
  /** A zeroed array for a layer's activations, parameters and big intermediates (in float32 on WebAssembly: in the kernels' memory, used in place). */
  floats(length: number): FloatArray
  /** The same for 32-bit indices (max pooling's argmax). */
  ints(length: number): Int32Array

  /** C (m×n) = A (m×k) · B (k×n). */
  matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void
  /** C (k×n) = Aᵀ · B, with A (m×k) and B (m×n): the weight gradient xᵀ·dout. */
  matmulTransA(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void
  /** C (m×k) = A (m×n) · Bᵀ, with B (k×n): the input gradient dout·Wᵀ. */
  matmulTransB(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number): void
  /** out (rows × cols) += bias on every row. */
  addRowBias(out: FloatArray, bias: FloatArray, rows: number, cols: number): void
  /** sums = g's column sums, rows in order. */
  columnSums(g: FloatArray, rows: number, cols: number, sums: FloatArray): void

  /** The course's im2col: every window of x as one row of col (N·OH·OW, C·FH·FW). */
  im2col(x: FloatArray, g: ConvGeometry, col: FloatArray): void
  /** Its adjoint: every entry of col added back to the pixel it came from. */
  col2im(col: FloatArray, g: ConvGeometry, x: FloatArray): void
  /** Buffers for one convolution layer with `weights` filter values. */
  convBuffers(weights: number): ConvBuffers
  /** out (N, FN, OH, OW) = x ∗ w + b. */
  convForward(op: ConvOperands, b: FloatArray, out: FloatArray): void
  /**
   * Inference only: out = max(x ∗ w + b, 0), or with `pool` (the pooling's geometry on those maps) each of
   * its windows' maximum of that: the bits of convForward (as `op.inference`), reluForward and
   * reluMaxPoolForward in turn.
   */
  convReluForward(op: ConvOperands, b: FloatArray, out: FloatArray, pool: ConvGeometry | null): void
  /** The gradients of x ∗ w + b from dout (N, FN, OH, OW). */
  convBackward(op: ConvOperands, dout: FloatArray, grads: ConvGradients): void

  /** y = max(0, x). */
  reluForward(x: FloatArray, y: FloatArray): void
  /** dx = g where x > 0, else 0. */
  reluBackward(x: FloatArray, g: FloatArray, dx: FloatArray): void
  /** Each window's maximum, and where it was (−1: a padding zero). */
  maxPoolForward(x: FloatArray, g: ConvGeometry, out: FloatArray, argmax: Int32Array): void
  /** dout sent back to each window's maximum (adding where windows overlap). */
  maxPoolBackward(dout: FloatArray, argmax: Int32Array, g: ConvGeometry, dx: FloatArray): void
  /** Inference only: each window's maximum of reluForward's values, the bits of both in turn, without the argmax. */
  reluMaxPoolForward(x: FloatArray, g: ConvGeometry, out: FloatArray): void

  /** out = the images at `indices` (bytes, `pixels` each) as pixel / 255. */
  gatherPixels(images: Uint8Array, indices: ArrayLike<number>, pixels: number, out: FloatArray): void
  /** out = images [first, first + count) as pixel / 255. */
  gatherPixelRange(images: Uint8Array, first: number, count: number, pixels: number, out: FloatArray): void

  /** p ← p − lr·g */
  sgdUpdate(p: FloatArray, g: FloatArray, lr: number): void
  /** v ← momentum·v − lr·g;  p ← p + v */
  momentumUpdate(p: FloatArray, g: FloatArray, v: FloatArray, lr: number, momentum: number): void
  /** v ← momentum·v − lr·g;  p ← p + momentum²·v − (1 + momentum)·lr·g */
  nesterovUpdate(p: FloatArray, g: FloatArray, v: FloatArray, lr: number, momentum: number): void
  /** h ← h + g²;  p ← p − lr·g / (√h + ε) (or the course's form, see optimizers/adagrad.ts) */
  adagradUpdate(p: FloatArray, g: FloatArray, h: FloatArray, lr: number, rule: AdaGradRule): void
  /** h ← decay·h + (1 − decay)·g²;  p ← p − lr·g / (√h + ε) */
  rmspropUpdate(p: FloatArray, g: FloatArray, h: FloatArray, lr: number, decay: number, epsilon: number): void
  /** m ← m + (1 − β1)(g − m);  v ← v + (1 − β2)(g² − v);  p ← p − lrT·m / (√v + ε) */
  adamUpdate(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, lrT: number, beta1: number, beta2: number, epsilon: number): void
}

/** Which kernels run: the TypeScript loops, or WebAssembly. */
export type BackendKind = 'ts' | 'wasm'

/**
 * How to make the WebAssembly backends, as an engine host installs them (install-wasm-backends.ts). The
 * factories return undefined, or throw, where this runtime cannot run the kernels.
 */
export interface WasmBackends {
  /** The float64 products on SIMD, bit-identical to gemm-ts.ts. */
  float64Products(): GemmKernels | undefined
  /** The float32 kernels: one module and memory, shared by its threads. */
  float32Kernels(): WasmGemmF32 | undefined
  /** The float32 backend on those kernels. */
  float32Backend(kernels: WasmGemmF32): Backend
}

/** Why the TypeScript backend answers: asked for, nothing installed the WebAssembly ones, or this runtime cannot run them. */
export type TypeScriptReason = 'requested' | 'not-installed' | 'unavailable'

let requested: BackendKind | 'auto' = 'auto'
let installed: WasmBackends | null = null
let resolved = false
let activeKind: BackendKind = 'ts'
let reason: TypeScriptReason | null = null
/** The WebAssembly kernels once built: undefined = not tried yet, null = unavailable here. */
let wasm64: GemmKernels | null | undefined
let wasm32: WasmGemmF32 | null | undefined
/** The backends once made (each keeps its scratch matrices), by kind and precision. */
const made = new Map<string, Backend>()
let active: Record<Precision, Backend> | undefined
let threadHost: KernelThreadHost | null = null
let threadsWanted = 1

function attempt<T>(create: () => T | undefined): T | null {
  try {
    return create() ?? null
  } catch {
    return null // e.g. a content-security policy that forbids compiling WebAssembly
  }
}

function backend(key: string, make: () => Backend): Backend {
  let b = made.get(key)
  if (!b) made.set(key, (b = make()))
  return b
}

/** The term lists of a batch the float32 kernels formed are stale once anything else writes it. */
const forgetTerms = (out: FloatArray): void => forgetPixelTerms(out)

function resolve(): void {
  const wantsTs = requested === 'ts' || (requested === 'auto' && (globalThis as { __GRADIENT_LAB_NO_WASM__?: unknown }).__GRADIENT_LAB_NO_WASM__ === true)
  const wasm = wantsTs ? null : installed
  // Each module is compiled and validated once per engine, the first time it is wanted.
  if (wasm && wasm64 === undefined) wasm64 = attempt(() => wasm.float64Products())
  if (wasm && wasm32 === undefined) wasm32 = attempt(() => wasm.float32Kernels())
  const use64 = wasm ? wasm64 : null
  const use32 = wasm ? wasm32 : null
  if (requested === 'wasm' && !installed) throw new Error('backend: no WebAssembly backends were installed in this engine (kernels/install-wasm-backends.ts)')
  if (requested === 'wasm' && (!use64 || !use32)) throw new Error('backend: the WebAssembly SIMD kernels are not available in this runtime')
  activeKind = use64 && use32 ? 'wasm' : 'ts'
  reason = activeKind === 'wasm' ? null : wantsTs ? 'requested' : installed ? 'unavailable' : 'not-installed'
  active = {
    float64: use64
      ? backend('wasm-float64', () => new TypeScriptBackend('float64', use64, forgetTerms))
      : backend('ts-float64', () => new TypeScriptBackend('float64', gemmTs, forgetTerms)),
    float32:
      wasm && use32
        ? backend('wasm-float32', () => wasm.float32Backend(use32))
        : backend('ts-float32', () => new TypeScriptBackend('float32', gemmTs, forgetTerms))
  }
  resolved = true
  if (use32) use32.setThreads(threadHost, threadsWanted)
}

/**
 * Makes the WebAssembly backends available to this engine (install-wasm-backends.ts calls it). The first
 * installation stays; installing after the engine chose the TypeScript backend for want of one makes the
 * choice again, as `setBackend` does.
 */
export function registerWasmBackends(backends: WasmBackends): void {
  if (installed) return
  installed = backends
  if (resolved) resolve()
}

/** The backend for arrays of `precision`. */
export function kernelsFor(precision: Precision): Backend {
  if (!resolved) resolve()
  return active![precision]
}

/** The backend for this array's precision. */
export function kernelsOf(array: FloatArray): Backend {
  return kernelsFor(precisionOf(array))
}

/**
 * How many threads the float32 kernels use (this one included; the default is 1). The host says how
 * to start a thread; without one, or without shared memory, they stay on this thread.
 */
export function setKernelThreads(host: KernelThreadHost | null, threads: number): void {
  threadHost = host
  threadsWanted = Math.max(1, Math.floor(threads))
  if (!resolved) resolve()
  else wasm32?.setThreads(threadHost, threadsWanted)
}

/** Threads the float32 kernels use now, and the most this host could give them. */
export function kernelThreads(): { active: number; wanted: number; shared: boolean } {
  if (!resolved) resolve()
  const kernels = activeKind === 'wasm' ? wasm32 : null
  return { active: kernels?.activeThreads ?? 1, wanted: threadsWanted, shared: kernels?.shared ?? false }
}

/** Chooses the backend: 'auto' (the default) = WebAssembly when available; 'wasm' throws if it is not. */
export function setBackend(kind: BackendKind | 'auto'): void {
  requested = kind
  resolve()
}

/** Which backend runs now. */
export function backendKind(): BackendKind {
  if (!resolved) resolve()
  return activeKind
}

/** Why the TypeScript backend runs now, or null when WebAssembly does. */
export function backendReason(): TypeScriptReason | null {
  if (!resolved) resolve()
  return reason
}

/**
 * The float32 WebAssembly kernels when they run now, else null: for tests and benchmarks that look
 * inside them (resident arrays, a variant switched off to compare). The engine itself asks `kernelsFor`.
 */
export function wasmF32Kernels(): WasmGemmF32 | null {
  if (!resolved) resolve()
  return activeKind === 'wasm' ? (wasm32 ?? null) : null
}

/** C (m×n) = A (m×k) · B (k×n), in the operands' precision. */
export function matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
  kernelsOf(c).matmul(a, b, c, m, k, n)
}

/** C (k×n) = Aᵀ · B, in the operands' precision. */
export function matmulTransA(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
  kernelsOf(c).matmulTransA(a, b, c, m, k, n)
}

/** C (m×k) = A (m×n) · Bᵀ, in the operands' precision. */
export function matmulTransB(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number): void {
  kernelsOf(c).matmulTransB(a, b, c, m, n, k)
}

/**
 * Forgets the term lists the float32 kernels keep for a batch they formed (kernels/f32/batch-pixels.ts),
 * whichever backend is active: the caller is about to write the batch some other way.
 */
export function forgetPixelTerms(batch: FloatArray): void {
  if (batch instanceof Float32Array) wasm32?.forgetPixelTerms(batch)
}

/** `Backend.floats` of the backend for `precision`. */
export function kernelFloats(precision: Precision, length: number): FloatArray {
  return kernelsFor(precision).floats(length)
}

/**
 * core/tensor.ts's `reuse` for a layer's activations and gradients: a new tensor's values come from
 * `floats`, so in float32 the next layer's kernels read them in place.
 */
export function reuseKernelTensor(current: Tensor | undefined, shape: readonly number[], precision: Precision): Tensor {
  if (current && sameShape(current.shape, shape) && current.precision === precision) return current
  let size = 1
  for (const d of shape) size *= d
  return new Tensor([...shape], kernelFloats(precision, size))
}
