/**
 * The engine's float32 kernels behind one object: AssemblyScript SIMD (kernels/assembly/f32/, compiled
 * into compiled-module.ts). This file builds it and names what it does; the work is in the wrappers beside
 * it, each named as the AssemblyScript file whose kernels it calls:
 *   products.ts          the matrix products (gemm-ts.ts's signatures)
 *   sparse-products.ts   the products of a mostly-zero left operand (digit pixels)
 *   convolution.ts       im2col / col2im, a convolution's products a few images at a time, its layouts
 *   winograd.ts          3×3 convolutions by Winograd's F(2×2, 3×3) (forward, and the input gradient)
 *   winograd-gradient.ts their weight gradient by F(3×3, 2×2)
 *   winograd-input.ts    the input tiles both turn
 *   winograd-f4.ts       3×3 convolutions by F(4×4, 3×3) where it pays (forward, and the input gradient)
 *   winograd-f4-gradient.ts their weight gradient with F(4×4, 3×3)'s transforms
 *   winograd-f4-filters.ts  its transformed filters kept between inference calls
 *   layer-loops.ts       ReLU, max pooling (and both at once for inference), an affine layer's bias
 *   batch-pixels.ts      forming a batch from bytes, with its non-zero terms listed for the products
 *   optimizer-updates.ts the optimizers' updates
 * and kernel-memory.ts: the shared memory, arrays that live there, each call's operands, the threads.
 * Only the products differ from the TypeScript oracle (by float32 rounding, within 1e-4); everything else
 * gives the oracle's bits. Every result is the same on any number of threads.
 *
 * Where SharedArrayBuffer exists (Node; a cross-origin-isolated page) the memory is shared so threads can
 * be added and arrays can live in it; elsewhere the plain variant runs on one thread, copying operands.
 */
import { decodeBase64 } from '../base64'
import type { ConvGeometry } from '../conv-shape'
import { gatherPixelRange, gatherPixels, type PixelTerms } from './batch-pixels'
import {
  F32_KERNELS_MAXIMUM_PAGES,
  F32_KERNELS_PLAIN_FMA_WASM,
  F32_KERNELS_PLAIN_WASM,
  F32_KERNELS_SHARED_FMA_WASM,
  F32_KERNELS_SHARED_WASM
} from './compiled-module'
import {
  CONV_CHUNK_BYTES,
  col2im,
  convBackward,
  convChunkImages,
  convForward,
  convOneChannel,
  convOneChannelRelu,
  filterSums,
  im2col,
  mapsFromRows,
  rowsFromMaps,
  winogradFits
} from './convolution'
import { KernelMemory, type KernelExports, type ThreadFunction, type WebAssemblyApi } from './kernel-memory'
import { addRowBias, columnSums, maxPoolBackward, maxPoolForward, reluBackward, reluForward, reluMaxPoolForward } from './layer-loops'
import { optimizerUpdate, type OptimizerUpdate } from './optimizer-updates'
import { matmul, matmulTransA, matmulTransB, type GemmKernelsF32 } from './products'
import { relaxedSimdRuns } from './relaxed-simd'
import { convForwardWinograd } from './winograd'
import { convForwardWinogradF4, convReluWinogradF4 } from './winograd-f4'
import type { KeptFilters } from './winograd-f4-filters'
import { convWeightGradWinogradF4 } from './winograd-f4-gradient'
import { convWeightGradWinograd } from './winograd-gradient'

export type { GemmKernelsF32 } from './products'
export type { OptimizerUpdate } from './optimizer-updates'

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
  // The fused multiply-add build where relaxed SIMD runs (relaxed-simd.ts says where that is), else plain SIMD.
  const fusedBytes = decodeBase64(shared ? F32_KERNELS_SHARED_FMA_WASM : F32_KERNELS_PLAIN_FMA_WASM)
  const fused = relaxedSimdRuns((b) => api.validate(b), fusedBytes)
  const bytes = fused ? fusedBytes : decodeBase64(shared ? F32_KERNELS_SHARED_WASM : F32_KERNELS_PLAIN_WASM)
  if (!api.validate(bytes)) return undefined
  const memory = new api.Memory({ initial: 1, maximum: F32_KERNELS_MAXIMUM_PAGES, ...(shared ? { shared: true } : {}) })
  const module = new api.Module(bytes)
  const exports = new api.Instance(module, { env: { memory } }).exports as KernelExports
  // Every exported function may run on a thread; the module's own list says which those are.
  const functions = api.Module.exports(module)
    .filter((e) => e.kind === 'function')
    .map((e) => e.name as ThreadFunction)
  const kernels = new WasmGemmF32(exports, memory, module, functions, shared)
  kernels.fusedMultiplyAdd = fused
  return kernels
}

export class WasmGemmF32 extends KernelMemory implements GemmKernelsF32 {
  /** Whether mostly-zero left operands take the zero-skipping kernels (same bits; off only to compare the two). */
  zeroSkipping = true
  /** im2col bytes per convolution chunk (tests set it to compare chunkings). */
  convChunkBytes = CONV_CHUNK_BYTES
  /** The term lists of batches formed here (batch-pixels.ts), by batch array. */
  readonly pixelTerms = new WeakMap<Float32Array, PixelTerms>()
  /** Whether the products' terms are fused multiply-adds (the relaxed-SIMD build runs here; relaxed-simd.ts). */
  fusedMultiplyAdd = false
  /** Whether 3×3 stride-1 convolutions take Winograd's F(2×2, 3×3) forward (off only to compare with im2col). */
  winograd = true
  /** Whether the 3×3 convolutions that winogradF4Pays take F(4×4, 3×3) rather than F(2×2, 3×3) (off only to compare). */
  winogradF4 = true

  matmul(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    matmul(this, a, b, c, m, k, n)
  }

  matmulTransA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void {
    matmulTransA(this, a, b, c, m, k, n)
  }

  matmulTransB(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number): void {
    matmulTransB(this, a, b, c, m, n, k)
  }

  /** im2col into a resident `col`; false when it cannot run here (the caller's loops then do). */
  im2col(x: Float32Array, g: ConvGeometry, col: Float32Array): boolean {
    return im2col(this, x, g, col)
  }

  /** col2im from a resident `col`; false when it cannot run here. */
  col2im(col: Float32Array, g: ConvGeometry, x: Float32Array): boolean {
    return col2im(this, col, g, x)
  }

  /** Images per convolution chunk (convolution.ts). */
  convChunkImages(g: ConvGeometry): number {
    return convChunkImages(this, g)
  }

  /** rows = im2col(x) · Wt, a chunk of images at a time into the resident `col` (convolution.ts). */
  convForward(x: Float32Array, g: ConvGeometry, wt: Float32Array, rows: Float32Array, col: Float32Array, filters: number): boolean {
    return convForward(this, x, g, wt, rows, col, filters)
  }

  /**
   * out = x ∗ w + bias by Winograd's F(2×2, 3×3), for 3×3 windows at stride 1 (convolution.ts); false when
   * it is off, does not fit, or cannot run here.
   */
  convForwardWinograd(x: Float32Array, g: ConvGeometry, w: Float32Array, bias: Float32Array, out: Float32Array, filters: number): boolean {
    return this.winograd && winogradFits(g) && convForwardWinograd(this, x, g, w, bias, out, filters)
  }

  /**
   * out = x ∗ w + bias by F(4×4, 3×3) where winogradF4Pays (winograd-f4.ts), the input's tiles left in
   * `keep` when given (for convWeightGradWinogradF4), the filters' transforms kept in `filtersKept` when
   * given (inference: winograd-f4-filters.ts); false when off, not paying, or not fitting here.
   */
  convForwardWinogradF4(
    x: Float32Array,
    g: ConvGeometry,
    w: Float32Array,
    bias: Float32Array,
    out: Float32Array,
    filters: number,
    keep: Float32Array | null = null,
    filtersKept: KeptFilters | null = null
  ): boolean {
    return this.winograd && this.winogradF4 && convForwardWinogradF4(this, x, g, w, bias, out, filters, false, keep, filtersKept)
  }

  /**
   * Inference's max(x ∗ w + bias, 0) by F(4×4, 3×3) where winogradF4Pays, 2×2-max-pooled at stride 2 when
   * `pool` (winograd-f4.ts); false when off, not paying, or not fitting here.
   */
  convReluWinogradF4(
    x: Float32Array,
    g: ConvGeometry,
    w: Float32Array,
    bias: Float32Array,
    out: Float32Array,
    filters: number,
    pool: boolean,
    filtersKept: KeptFilters
  ): boolean {
    return this.winograd && this.winogradF4 && convReluWinogradF4(this, x, g, w, bias, out, filters, pool, filtersKept)
  }

  /** A first layer on one channel, 3×3 at stride 1: out = x ∗ w + bias straight from the pixels (convolution.ts); false when it does not apply. */
  convOneChannel(x: Float32Array, g: ConvGeometry, w: Float32Array, bias: Float32Array, out: Float32Array, filters: number): boolean {
    return convOneChannel(this, x, g, w, bias, out, filters)
  }

  /** Inference's max(x ∗ w + bias, 0) on one input channel, 3×3 windows at stride 1, straight from the pixels (convolution.ts). */
  convOneChannelRelu(x: Float32Array, g: ConvGeometry, w: Float32Array, bias: Float32Array, out: Float32Array, filters: number): boolean {
    return convOneChannelRelu(this, x, g, w, bias, out, filters)
  }

  /** dW by F(4×4, 3×3)'s transforms where winogradF4Pays (winograd-f4-gradient.ts), from the forward pass's `kept` tiles when given. */
  convWeightGradWinogradF4(x: Float32Array, g: ConvGeometry, dout: Float32Array, dw: Float32Array, filters: number, kept: Float32Array | null): boolean {
    return this.winograd && this.winogradF4 && convWeightGradWinogradF4(this, x, g, dout, dw, filters, kept)
  }

  /** dW (FN, C, 3, 3) by Winograd's F(3×3, 2×2) for 3×3 windows at stride 1 (convolution.ts); false when off or not fitting. */
  convWeightGradWinograd(x: Float32Array, g: ConvGeometry, dout: Float32Array, dw: Float32Array, filters: number): boolean {
    return this.winograd && winogradFits(g) && convWeightGradWinograd(this, x, g, dout, dw, filters)
  }

  /** db = each filter's summed output gradient; false when it cannot run here. */
  filterSums(dout: Float32Array, db: Float32Array, images: number, positions: number, filters: number): boolean {
    return filterSums(this, dout, db, images, positions, filters)
  }

  /** dWt = im2col(x)ᵀ · rows and dx = col2im(rows · W), a chunk of images at a time (convolution.ts). */
  convBackward(
    x: Float32Array,
    g: ConvGeometry,
    rows: Float32Array,
    w: Float32Array,
    dWt: Float32Array,
    col: Float32Array,
    filters: number,
    dx: Float32Array | null
  ): boolean {
    return convBackward(this, x, g, rows, w, dWt, col, filters, dx)
  }

  /** out (N, FN, P) = rows (N, P, FN) + bias. */
  mapsFromRows(rows: Float32Array, bias: Float32Array, out: Float32Array, images: number, positions: number, filters: number): void {
    mapsFromRows(this, rows, bias, out, images, positions, filters)
  }

  /** rows (N, P, FN) = dout (N, FN, P), and db. */
  rowsFromMaps(dout: Float32Array, rows: Float32Array, db: Float32Array, images: number, positions: number, filters: number): void {
    rowsFromMaps(this, dout, rows, db, images, positions, filters)
  }

  /** out (rows × cols) += bias on every row (an affine layer's bias). */
  addRowBias(out: Float32Array, bias: Float32Array, rows: number, cols: number): void {
    addRowBias(this, out, bias, rows, cols)
  }

  /** sums = g's column sums in row order (an affine layer's bias gradient). */
  columnSums(g: Float32Array, rows: number, cols: number, sums: Float32Array): void {
    columnSums(this, g, rows, cols, sums)
  }

  reluForward(x: Float32Array, y: Float32Array): void {
    reluForward(this, x, y)
  }

  reluBackward(x: Float32Array, g: Float32Array, dx: Float32Array): void {
    reluBackward(this, x, g, dx)
  }

  maxPoolForward(x: Float32Array, g: ConvGeometry, out: Float32Array, argmax: Int32Array): boolean {
    return maxPoolForward(this, x, g, out, argmax)
  }

  maxPoolBackward(dout: Float32Array, argmax: Int32Array, g: ConvGeometry, dx: Float32Array): boolean {
    return maxPoolBackward(this, dout, argmax, g, dx)
  }

  reluMaxPoolForward(x: Float32Array, g: ConvGeometry, out: Float32Array): boolean {
    return reluMaxPoolForward(this, x, g, out)
  }

  optimizerUpdate(update: OptimizerUpdate, arrays: readonly Float32Array[], scalars: readonly number[]): boolean {
    return optimizerUpdate(this, update, arrays, scalars)
  }

  /** Forgets `out`'s term lists: something other than gatherPixels is about to write it. */
  forgetPixelTerms(out: Float32Array): void {
    this.pixelTerms.delete(out)
  }

  gatherPixels(images: Uint8Array, indices: ArrayLike<number>, pixels: number, out: Float32Array): boolean {
    return gatherPixels(this, images, indices, pixels, out)
  }

  gatherPixelRange(images: Uint8Array, first: number, count: number, pixels: number, out: Float32Array): boolean {
    return gatherPixelRange(this, images, first, count, pixels, out)
  }
}
