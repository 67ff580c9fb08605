import { allocateFloats, type FloatArray, type Precision } from '../../core/dtype'
import type { AdaGradRule, Backend, ConvBuffers, ConvGradients, ConvOperands } from '../backend'
import { col2im } from '../col2im'
import { colCols, colRows, type ConvGeometry } from '../conv-shape'
import { im2col } from '../im2col'
import * as updates from './update-loops'

/** The three matrix products (gemm-ts.ts's signatures): the TypeScript loops, or the float64 SIMD kernels. */
export interface Products {
  matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void
  matmulTransA(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void
  matmulTransB(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number): void
}

/** byte → byte / 255, looked up instead of divided: the same values, several times faster per pixel. */
const PIXEL_VALUE = Float64Array.from({ length: 256 }, (_, v) => v / 255)

/** dst (cols × rows) = src (rows × cols)ᵀ. */
export function transpose(src: FloatArray, rows: number, cols: number, dst: FloatArray): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) dst[j * rows + i] = src[i * cols + j]
}

/**
 * The reference backend: every operation as a plain loop, written as the course computes it. It runs
 * where WebAssembly does not, carries float64 on every host (its products on the float64 SIMD kernels
 * where they validate, with the same bits), and is the oracle the float32 kernels are tested against.
 */
export class TypeScriptBackend implements Backend {
  /**
   * One im2col matrix for every convolution: layers run one at a time, so a layer that needs its input's
   * columns again in backward recomputes them instead of keeping its own copy. For the course's deep conv
   * net that is one 90 MB matrix instead of six adding up to 221 MB (an im2col per backward costs ~5%).
   */
  protected col: FloatArray

  constructor(
    readonly precision: Precision,
    private readonly products: Products,
    /** Called before a batch is written here (the float32 kernels' term lists of it are then stale). */
    private readonly batchWritten: (out: FloatArray) => void
  ) {
    this.col = allocateFloats(precision, 0)
  }

  floats(length: number): FloatArray {
    return allocateFloats(this.precision, length)
  }

  ints(length: number): Int32Array {
    return new Int32Array(length)
  }

  matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
    this.products.matmul(a, b, c, m, k, n)
  }

  matmulTransA(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
    this.products.matmulTransA(a, b, c, m, k, n)
  }

  matmulTransB(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number): void {
    this.products.matmulTransB(a, b, c, m, n, k)
  }

  addRowBias(out: FloatArray, bias: FloatArray, rows: number, cols: number): void {
    for (let i = 0; i < rows; i++) {
      const row = i * cols
      for (let j = 0; j < cols; j++) out[row + j] += bias[j]
    }
  }

  columnSums(g: FloatArray, rows: number, cols: number, sums: FloatArray): void {
    sums.fill(0)
    for (let i = 0; i < rows; i++) {
      const row = i * cols
      for (let j = 0; j < cols; j++) sums[j] += g[row + j]
    }
  }

  im2col(x: FloatArray, g: ConvGeometry, col: FloatArray): void {
    im2col(x, g, col)
  }

  col2im(col: FloatArray, g: ConvGeometry, x: FloatArray): void {
    col2im(col, g, x)
  }

  /** The shared im2col matrix, at least `size` long. */
  protected colScratch(size: number): FloatArray {
    if (this.col.length < size) this.col = this.floats(size)
    return this.col
  }

  convBuffers(weights: number): ConvBuffers {
    return { wt: this.floats(weights), rows: allocateFloats(this.precision, 0) }
  }

  /** Sizes the layer's product rows for this geometry. */
  protected rowsFor(op: ConvOperands): FloatArray {
    const size = colRows(op.g) * op.filters
    if (op.buffers.rows.length < size) op.buffers.rows = this.floats(size)
    return op.buffers.rows
  }

  /**
   * The course's convolution: unroll the input with im2col, multiply by the filters reshaped to
   * (FN, C·FH·FW), then reshape to (N, FN, OH, OW) adding the bias.
   */
  convForward(op: ConvOperands, b: FloatArray, out: FloatArray): void {
    const rows = this.rowsFor(op)
    transpose(op.w, op.filters, colCols(op.g), op.buffers.wt)
    this.convProduct(op, rows)
    this.mapsFromRows(rows, b, out, op.g.n, op.g.oh * op.g.ow, op.filters)
  }

  /** The three in turn (the WebAssembly backend does them in one pass where it can). */
  convReluForward(op: ConvOperands, b: FloatArray, out: FloatArray, pool: ConvGeometry | null): void {
    if (!pool) {
      this.convForward(op, b, out)
      this.reluForward(out, out)
      return
    }
    const size = op.g.n * op.filters * op.g.oh * op.g.ow
    if (op.buffers.maps?.length !== size) op.buffers.maps = this.floats(size)
    this.convForward(op, b, op.buffers.maps)
    this.reluMaxPoolForward(op.buffers.maps, pool, out)
  }

  /** rows = im2col(x) · Wᵀ: the same sums, in the same order, as im2col(x) · W by matmulTransB, but zero rows of the columns cost nothing. */
  protected convProduct({ x, g, filters, buffers }: ConvOperands, rows: FloatArray): void {
    const m = colRows(g)
    const k = colCols(g)
    const col = this.colScratch(m * k)
    this.im2col(x, g, col)
    this.matmul(col, buffers.wt, rows, m, k, filters)
  }

  /** out (N, FN, P) = rows (N, P, FN) + bias: numpy's reshape(N, OH, OW, −1).transpose(0, 3, 1, 2). */
  protected mapsFromRows(rows: FloatArray, bias: FloatArray, out: FloatArray, images: number, positions: number, filters: number): void {
    for (let img = 0; img < images; img++) {
      for (let p = 0; p < positions; p++) {
        const from = (img * positions + p) * filters
        const to = img * filters * positions + p
        for (let f = 0; f < filters; f++) out[to + f * positions] = rows[from + f] + bias[f]
      }
    }
  }

  /** db = dout summed per filter; dW = doutᵀ · im2col(x); dx = col2im(dout · W). */
  convBackward(op: ConvOperands, dout: FloatArray, grads: ConvGradients): void {
    const rows = op.buffers.rows
    this.rowsFromMaps(dout, rows, grads.db, op.g.n, op.g.oh * op.g.ow, op.filters)
    this.convBackwardByIm2col(op, rows, grads)
  }

  /** rows (N, P, FN) = dout (N, FN, P), and db = each filter's summed gradient. */
  protected rowsFromMaps(dout: FloatArray, rows: FloatArray, db: FloatArray, images: number, positions: number, filters: number): void {
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

  /** dW and dx from dout in row order; the input's columns are unrolled again into the shared matrix. */
  protected convBackwardByIm2col({ x, g, w, filters, buffers }: ConvOperands, rows: FloatArray, { dw, dx }: ConvGradients): void {
    const m = colRows(g)
    const k = colCols(g)
    const col = this.colScratch(m * k)
    this.im2col(x, g, col)
    this.weightGradient(rows, col, dw, buffers.wt, m, filters, k)
    if (dx) {
      this.matmul(rows, w, col, m, filters, k)
      this.col2im(col, g, dx)
    }
  }

  /**
   * dW (FN, C·FH·FW) = rowsᵀ · col. In float32 it is computed as its transpose colᵀ · rows, so the
   * kernels pack the small operand (rows, N·OH·OW × FN) instead of the big one; every element is still
   * one sum over the positions in order. float64 keeps the course's exact product.
   */
  private weightGradient(rows: FloatArray, col: FloatArray, dw: FloatArray, wt: FloatArray, m: number, filters: number, k: number): void {
    if (this.precision === 'float64') return this.matmulTransA(rows, col, dw, m, filters, k)
    this.matmulTransA(col, rows, wt, m, k, filters) // wt is free until the next forward pass refills it
    transpose(wt, k, filters, dw)
  }

  /**
   * max(0, x), written out and branch-free: ReLU runs over every activation of a conv net, whose signs
   * are a coin toss, and a branch mispredicted half the time made it ~6× slower (1.25 M values: 6.7 →
   * 0.8 ms forward, measured here). (x + |x|)·½ is exactly x for x > 0 and +0 otherwise (x + (−x) = +0),
   * for every finite x; a NaN stays NaN, as numpy's masked copy leaves it.
   */
  reluForward(x: FloatArray, y: FloatArray): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]
      y[i] = (v + Math.abs(v)) * 0.5
    }
  }

  /** g·1 or g·0, as the course's mask. */
  reluBackward(x: FloatArray, g: FloatArray, dx: FloatArray): void {
    for (let i = 0; i < g.length; i++) dx[i] = g[i] * +(x[i] > 0)
  }

  /** Padding zeros take part in the max; the first maximum in window order wins, as numpy's argmax. */
  maxPoolForward(x: FloatArray, g: ConvGeometry, out: FloatArray, argmax: Int32Array): void {
    const { n, c, h, w, oh, ow, stride, pad, fh: size } = g
    let o = 0
    for (let map = 0; map < n * c; map++) {
      const base = map * h * w
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let best = -Infinity
          let arg = -1
          for (let ky = 0; ky < size; ky++) {
            const y = oy * stride - pad + ky
            for (let kx = 0; kx < size; kx++) {
              const xx = ox * stride - pad + kx
              const inside = y >= 0 && y < h && xx >= 0 && xx < w
              const v = inside ? x[base + y * w + xx] : 0
              if (v > best) {
                best = v
                arg = inside ? base + y * w + xx : -1
              }
            }
          }
          out[o] = best
          argmax[o++] = arg
        }
      }
    }
  }

  /**
   * reluForward then maxPoolForward in one loop, for inference: each value goes through the ReLU's
   * formula and the pool's comparison as in those two, so the same bits, without the ReLU's output array
   * or the argmax (nothing goes backward from a prediction).
   */
  reluMaxPoolForward(x: FloatArray, g: ConvGeometry, out: FloatArray): void {
    const { n, c, h, w, oh, ow, stride, pad, fh: size } = g
    let o = 0
    for (let map = 0; map < n * c; map++) {
      const base = map * h * w
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let best = -Infinity
          for (let ky = 0; ky < size; ky++) {
            const y = oy * stride - pad + ky
            for (let kx = 0; kx < size; kx++) {
              const xx = ox * stride - pad + kx
              const inside = y >= 0 && y < h && xx >= 0 && xx < w
              const v = inside ? x[base + y * w + xx] : 0
              const r = (v + Math.abs(v)) * 0.5 // a padding zero stays +0, as it was
              if (r > best) best = r
            }
          }
          out[o++] = best
        }
      }
    }
  }

  /** Overlapping windows (stride < size) may pick the same pixel: the gradients add, as col2im adds them. */
  maxPoolBackward(dout: FloatArray, argmax: Int32Array, _g: ConvGeometry, dx: FloatArray): void {
    dx.fill(0)
    for (let o = 0; o < dout.length; o++) {
      const arg = argmax[o]
      if (arg >= 0) dx[arg] += dout[o]
    }
  }

  gatherPixels(images: Uint8Array, indices: ArrayLike<number>, pixels: number, out: FloatArray): void {
    this.batchWritten(out)
    for (let i = 0; i < indices.length; i++) {
      const from = indices[i] * pixels
      const to = i * pixels
      for (let p = 0; p < pixels; p++) out[to + p] = PIXEL_VALUE[images[from + p]]
    }
  }

  gatherPixelRange(images: Uint8Array, first: number, count: number, pixels: number, out: FloatArray): void {
    const source = images.subarray(first * pixels, (first + count) * pixels)
    this.batchWritten(out)
    for (let k = 0; k < source.length; k++) out[k] = PIXEL_VALUE[source[k]]
  }

  sgdUpdate(p: FloatArray, g: FloatArray, lr: number): void {
    updates.sgdUpdate(p, g, lr)
  }

  momentumUpdate(p: FloatArray, g: FloatArray, v: FloatArray, lr: number, momentum: number): void {
    updates.momentumUpdate(p, g, v, lr, momentum)
  }

  nesterovUpdate(p: FloatArray, g: FloatArray, v: FloatArray, lr: number, momentum: number): void {
    updates.nesterovUpdate(p, g, v, lr, momentum)
  }

  adagradUpdate(p: FloatArray, g: FloatArray, h: FloatArray, lr: number, rule: AdaGradRule): void {
    updates.adagradUpdate(p, g, h, lr, rule)
  }

  rmspropUpdate(p: FloatArray, g: FloatArray, h: FloatArray, lr: number, decay: number, epsilon: number): void {
    updates.rmspropUpdate(p, g, h, lr, decay, epsilon)
  }

  adamUpdate(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    updates.adamUpdate(p, g, m, v, lrT, beta1, beta2, epsilon)
  }
}
