import { allocateFloats, type FloatArray, type Precision } from '../core/dtype'
import type { Tensor } from '../core/tensor'
import { colCols, colRows, convGeometry, fitsGeometry, windowedSize, windowSettingsProblem, type ConvGeometry } from '../kernels/conv-shape'
import { activeF32Kernels, kernelFloats, matmul, matmulTransA, reuseKernelTensor } from '../kernels/gemm'
import { winogradFits } from '../kernels/f32/convolution'
import { fold, unroll } from '../kernels/unroll'
import { makeParam, type Layer, type Param } from './layer'

/**
 * One im2col matrix for every convolution: layers run one at a time, so a layer that needs its input's
 * columns again in backward recomputes them instead of keeping its own copy. For the course's deep conv
 * net that is one 90 MB matrix instead of six adding up to 221 MB (an im2col per backward costs ~5%).
 */
const sharedCol: Record<Precision, FloatArray> = { float32: new Float32Array(0), float64: new Float64Array(0) }
function colScratch(precision: Precision, size: number): FloatArray {
  const current = sharedCol[precision]
  // A matrix made while the kernels were off (the TypeScript backend) is not theirs: make one that is.
  const kernels = precision === 'float32' ? activeF32Kernels() : null
  const foreign = kernels !== null && !kernels.isResident(current as Float32Array)
  if (current.length < size || foreign) sharedCol[precision] = kernelFloats(precision, size)
  return sharedCol[precision]
}

type F32Kernels = NonNullable<ReturnType<typeof activeF32Kernels>>

/**
 * Convolution as the course computes it: unroll the input with im2col, then one matrix product with the
 * filters reshaped to (FN, C·FH·FW); the backward pass is two more products and col2im.
 * W has the course's shape (FN, C, FH, FW), b one value per filter.
 */
export class Conv2D implements Layer {
  readonly W: Param
  readonly b: Param
  readonly params: readonly Param[]
  /** Off for the first layer: the gradient with respect to the pixels is never used. */
  propagateInputGrad = true
  private geometry: ConvGeometry | undefined
  /** The last input: backward unrolls it again (into the shared matrix) for dW, then reuses that matrix for dcol. */
  private x: Tensor | undefined
  /** (N·OH·OW, FN): the product in row-per-position order, and dout in that order during backward. */
  private rowsOut: FloatArray
  /** Wᵀ as (C·FH·FW, FN), so the forward product can skip the zeros of col (padding, background, ReLU). */
  private readonly Wt: FloatArray
  private out: Tensor | undefined
  private dx: Tensor | undefined
  /** For the input gradient by Winograd: the filters turned 180° as (C, FN, 3, 3), and C zeros. */
  private turnedFilters: FloatArray | undefined
  private zeroBias: FloatArray | undefined

  constructor(
    readonly name: string,
    readonly inChannels: number,
    readonly filters: number,
    readonly fh: number,
    readonly fw: number,
    readonly stride: number,
    readonly pad: number,
    readonly precision: Precision
  ) {
    const problem = windowSettingsProblem(fh, fw, stride, pad)
    if (problem) throw new RangeError(`${name}: ${problem}`)
    this.W = makeParam(`${name}.W`, [filters, inChannels, fh, fw], true, precision)
    this.b = makeParam(`${name}.b`, [filters], false, precision)
    this.params = [this.W, this.b]
    this.Wt = kernelFloats(precision, this.W.value.length)
    this.rowsOut = allocateFloats(precision, 0)
  }

  /** Inputs per output: what He and Xavier scale by (the course's pre_node_nums entry). */
  get fanIn(): number {
    return this.inChannels * this.fh * this.fw
  }

  outputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length === 3 && inputShape[0] !== this.inChannels) {
      throw new RangeError(`${this.name}: expects ${this.inChannels} input channels, gets [${inputShape.join(', ')}]`)
    }
    try {
      return [this.filters, ...windowedSize(inputShape, this.fh, this.fw, this.stride, this.pad)]
    } catch (error) {
      throw new RangeError(`${this.name}: ${(error as Error).message}`)
    }
  }

  forward(x: Tensor): Tensor {
    const g = this.geometryOf(x.shape)
    const m = colRows(g)
    const k = colCols(g)
    const fn = this.filters
    if (this.rowsOut.length < m * fn) this.rowsOut = kernelFloats(this.precision, m * fn)
    this.x = x
    const kernels = this.precision === 'float32' ? activeF32Kernels() : null
    const out = (this.out = reuseKernelTensor(this.out, [g.n, fn, g.oh, g.ow], x.precision))
    // 3×3 windows at stride 1: Winograd's F(2×2, 3×3), straight into the output (float32 kernels).
    if (kernels?.convForwardWinograd(x.data as Float32Array, g, this.W.value as Float32Array, this.b.value as Float32Array, out.data as Float32Array, fn)) return out
    const W = this.W.value
    for (let f = 0; f < fn; f++) for (let j = 0; j < k; j++) this.Wt[j * fn + f] = W[f * k + j]
    // On the float32 kernels, a few images at a time (the same bits); else the whole batch's im2col.
    const chunkCol = kernels ? colScratch(this.precision, kernels.convChunkImages(g) * colRows({ ...g, n: 1 }) * k) : null
    if (!kernels?.convForward(x.data as Float32Array, g, this.Wt as Float32Array, this.rowsOut as Float32Array, chunkCol as Float32Array, fn)) {
      const col = colScratch(this.precision, m * k)
      unroll(x.data, g, col)
      // col · Wᵀ: the same sums, in the same order, as matmulTransB(col, W), but zero rows of col cost nothing.
      matmul(col, this.Wt, this.rowsOut, m, k, fn)
    }
    // (N, OH·OW, FN) → (N, FN, OH·OW), adding the bias on the way: numpy's reshape(N, OH, OW, −1).transpose(0, 3, 1, 2).
    const positions = g.oh * g.ow
    const bias = this.b.value
    if (kernels) {
      kernels.mapsFromRows(this.rowsOut as Float32Array, bias as Float32Array, out.data as Float32Array, g.n, positions, fn)
      return out
    }
    for (let img = 0; img < g.n; img++) {
      for (let p = 0; p < positions; p++) {
        const from = (img * positions + p) * fn
        const to = img * fn * positions + p
        for (let f = 0; f < fn; f++) out.data[to + f * positions] = this.rowsOut[from + f] + bias[f]
      }
    }
    return out
  }

  backward(dout: Tensor): Tensor {
    const g = this.geometry
    const x = this.x
    if (!g || !x) throw new Error(`${this.name}: backward without a forward pass before it`)
    const m = colRows(g)
    const k = colCols(g)
    const fn = this.filters
    const positions = g.oh * g.ow
    const rows = this.rowsOut
    const db = this.b.grad
    const kernels = this.precision === 'float32' ? activeF32Kernels() : null
    const dx = (this.dx = reuseKernelTensor(this.dx, [g.n, g.c, g.h, g.w], dout.precision))
    if (kernels && this.backwardByWinograd(kernels, dout, dx, g, x)) return dx
    if (kernels) kernels.rowsFromMaps(dout.data as Float32Array, rows as Float32Array, db as Float32Array, g.n, positions, fn)
    else {
      db.fill(0)
      for (let img = 0; img < g.n; img++) {
        for (let f = 0; f < fn; f++) {
          const from = (img * fn + f) * positions
          let sum = 0
          for (let p = 0; p < positions; p++) {
            const v = dout.data[from + p]
            rows[(img * positions + p) * fn + f] = v
            sum += v
          }
          db[f] += sum
        }
      }
    }
    if (kernels) {
      const chunkCol = colScratch(this.precision, kernels.convChunkImages(g) * colRows({ ...g, n: 1 }) * k) as Float32Array
      const dWt = this.Wt as Float32Array // (C·FH·FW, FN): free until the next forward pass refills it
      const target = this.propagateInputGrad ? (dx.data as Float32Array) : null
      if (kernels.convBackward(x.data as Float32Array, g, rows as Float32Array, this.W.value as Float32Array, dWt, chunkCol, fn, target)) {
        const grad = this.W.grad
        for (let j = 0; j < k; j++) for (let f = 0; f < fn; f++) grad[f * k + j] = dWt[j * fn + f]
        return dx
      }
    }
    const col = colScratch(this.precision, m * k)
    unroll(x.data, g, col)
    this.weightGradient(rows, col, m, fn, k)
    if (this.propagateInputGrad) {
      matmul(rows, this.W.value, col, m, fn, k)
      fold(col, g, dx.data)
    }
    return dx
  }

  /**
   * The whole backward pass without im2col, for 3×3 windows at stride 1 on the float32 kernels: db by
   * filter sums, dW by Winograd's F(3×3, 2×2), dx by F(2×2, 3×3). False when it does not apply or cannot
   * run (the im2col path then computes all three again).
   */
  private backwardByWinograd(kernels: F32Kernels, dout: Tensor, dx: Tensor, g: ConvGeometry, x: Tensor): boolean {
    if (!kernels.winograd || !winogradFits(g) || g.pad > 2) return false
    const out = dout.data as Float32Array
    return (
      kernels.filterSums(out, this.b.grad as Float32Array, g.n, g.oh * g.ow, this.filters) &&
      kernels.convWeightGradWinograd(x.data as Float32Array, g, out, this.W.grad as Float32Array, this.filters) &&
      (!this.propagateInputGrad || this.inputGradientByWinograd(kernels, dout, dx, g))
    )
  }

  /**
   * dx by Winograd's F(2×2, 3×3) (float32 kernels): for 3×3 windows at stride 1 the input gradient is
   * itself such a convolution — of dout, with each filter turned 180° and channels and filters swapped,
   * padded by 2 − pad. False when it does not apply (the im2col path then computes dx).
   */
  private inputGradientByWinograd(kernels: F32Kernels, dout: Tensor, dx: Tensor, g: ConvGeometry): boolean {
    if (!kernels.winograd || !winogradFits(g) || g.pad > 2) return false
    const back = convGeometry([g.n, this.filters, g.oh, g.ow], 3, 3, 1, 2 - g.pad)
    if (back.oh !== g.h || back.ow !== g.w) return false
    const fn = this.filters
    const c = this.inChannels
    const W = this.W.value
    const turned = (this.turnedFilters ??= kernelFloats('float32', W.length)) as Float32Array
    for (let f = 0; f < fn; f++) {
      for (let ch = 0; ch < c; ch++) {
        for (let i = 0; i < 9; i++) turned[(ch * fn + f) * 9 + 8 - i] = W[(f * c + ch) * 9 + i]
      }
    }
    const noBias = (this.zeroBias ??= kernelFloats('float32', c)) as Float32Array
    return kernels.convForwardWinograd(dout.data as Float32Array, back, turned, noBias, dx.data as Float32Array, c)
  }

  /**
   * dW (FN, C·FH·FW) = rowsᵀ · col. In float32 it is computed as its transpose colᵀ · rows, so the
   * kernels pack the small operand (rows, N·OH·OW × FN) instead of the big one; every element is still
   * one sum over the positions in order. float64 keeps the course's exact product.
   */
  private weightGradient(rows: FloatArray, col: FloatArray, m: number, fn: number, k: number): void {
    if (this.precision === 'float64') return matmulTransA(rows, col, this.W.grad, m, fn, k)
    const gradT = this.Wt // (C·FH·FW, FN): free until the next forward pass refills it
    matmulTransA(col, rows, gradT, m, k, fn)
    const grad = this.W.grad
    for (let j = 0; j < k; j++) for (let f = 0; f < fn; f++) grad[f * k + j] = gradT[j * fn + f]
  }

  private geometryOf(shape: readonly number[]): ConvGeometry {
    const g = this.geometry
    if (g && fitsGeometry(shape, g)) return g
    const next = convGeometry(shape, this.fh, this.fw, this.stride, this.pad)
    if (next.c !== this.inChannels) throw new RangeError(`${this.name}: expects ${this.inChannels} input channels, gets shape [${shape.join(', ')}]`)
    return (this.geometry = next)
  }
}
