import type { FloatArray } from '../../core/dtype'
import type { AdaGradRule, ConvGradients, ConvOperands } from '../backend'
import { colCols, colRows, convGeometry, type ConvGeometry } from '../conv-shape'
import { winogradFits } from '../f32/convolution'
import { keptTilesLength, winogradF4Pays } from '../f32/winograd-f4'
import { KeptFilters } from '../f32/winograd-f4-filters'
import type { OptimizerUpdate, WasmGemmF32 } from '../f32/kernels'
import { TypeScriptBackend, transpose } from './typescript'

/*
 * Arrays here are all float32 (the registry hands this backend only float32 work), so the casts below
 * only say so to the kernels' typed signatures.
 */
const f32 = (a: FloatArray): Float32Array => a as Float32Array

/**
 * turned (C, FN, 3, 3) = w (FN, C, 3, 3) with each 3×3 filter turned 180°. Each filter's nine values are
 * read in order and written backwards, unrolled: about twice as fast as a loop over them (measured: 42
 * against 93 µs for 64 × 64 filters), and this runs on one thread while the others wait.
 */
function turnFilters(w: Float32Array, turned: Float32Array, filters: number, c: number): void {
  let from = 0
  for (let f = 0; f < filters; f++) {
    for (let ch = 0; ch < c; ch++, from += 9) {
      const to = (ch * filters + f) * 9
      turned[to + 8] = w[from]
      turned[to + 7] = w[from + 1]
      turned[to + 6] = w[from + 2]
      turned[to + 5] = w[from + 3]
      turned[to + 4] = w[from + 4]
      turned[to + 3] = w[from + 5]
      turned[to + 2] = w[from + 6]
      turned[to + 1] = w[from + 7]
      turned[to] = w[from + 8]
    }
  }
}

/** The most a layer keeps of its forward pass's F(4×4, 3×3) input tiles (cnn-deep's largest at batch 100: 11 MB). */
const KEPT_TILES_BYTES = 32 << 20

/**
 * float32 on the AssemblyScript SIMD kernels (f32/kernels.ts): matrices that live in the kernels'
 * memory, threads, convolutions a few images at a time or by Winograd. Where a kernel cannot run (its
 * operands do not fit the memory, a geometry it does not take) the TypeScript loop it replaces does, with
 * the same bits (only the products differ from the loops, by float32 rounding within 1e-4).
 */
export class WasmF32Backend extends TypeScriptBackend {
  private readonly filtersKept = new WeakMap<FloatArray, KeptFilters>()

  constructor(private readonly k: WasmGemmF32) {
    super('float32', k, (out) => k.forgetPixelTerms(f32(out)))
  }

  override floats(length: number): FloatArray {
    return this.k.resident(length) ?? super.floats(length)
  }

  override ints(length: number): Int32Array {
    return this.k.residentInts(length) ?? super.ints(length)
  }

  override addRowBias(out: FloatArray, bias: FloatArray, rows: number, cols: number): void {
    this.k.addRowBias(f32(out), f32(bias), rows, cols)
  }

  override columnSums(g: FloatArray, rows: number, cols: number, sums: FloatArray): void {
    this.k.columnSums(f32(g), rows, cols, f32(sums))
  }

  override im2col(x: FloatArray, g: ConvGeometry, col: FloatArray): void {
    if (!this.k.im2col(f32(x), g, f32(col))) super.im2col(x, g, col)
  }

  override col2im(col: FloatArray, g: ConvGeometry, x: FloatArray): void {
    if (!this.k.col2im(f32(col), g, f32(x))) super.col2im(col, g, x)
  }

  /** The shared im2col matrix; one made while these kernels were off is not theirs, so a resident one replaces it. */
  protected override colScratch(size: number): FloatArray {
    if (this.col.length < size || !this.k.isResident(f32(this.col))) this.col = this.floats(size)
    return this.col
  }

  /** im2col rows for the images of one chunk (the kernels unroll a few images at a time). */
  private chunkCol(g: ConvGeometry): Float32Array {
    return f32(this.colScratch(this.k.convChunkImages(g) * colRows({ ...g, n: 1 }) * colCols(g)))
  }

  /**
   * 3×3 windows at stride 1: Winograd (winogradForward) straight into the output, keeping F(4×4, 3×3)'s
   * input tiles for the weight gradient; a first layer on one channel straight from the pixels (convOneChannel);
   * else by chunks of im2col.
   */
  override convForward(op: ConvOperands, b: FloatArray, out: FloatArray): void {
    const { x, g, w, filters, buffers } = op
    const rows = this.rowsFor(op)
    buffers.tilesOf = null
    const keep = op.inference ? null : this.tilesToKeep(op)
    if (keep && this.k.convForwardWinogradF4(f32(x), g, f32(w), f32(b), f32(out), filters, keep)) {
      buffers.tilesOf = x
      return
    }
    if (op.inference && this.k.convForwardWinogradF4(f32(x), g, f32(w), f32(b), f32(out), filters, null, this.keptFilters(w))) return
    if (this.winogradForward(f32(x), g, f32(w), f32(b), f32(out), filters)) return
    if (this.k.convOneChannel(f32(x), g, f32(w), f32(b), f32(out), filters)) return
    transpose(w, filters, colCols(g), buffers.wt)
    if (!this.k.convForward(f32(x), g, f32(buffers.wt), f32(rows), this.chunkCol(g), filters)) this.convProduct(op, rows)
    this.k.mapsFromRows(f32(rows), f32(b), f32(out), g.n, g.oh * g.ow, filters)
  }

  /**
   * In one pass where a kernel takes it: F(4×4, 3×3) with the ReLU (and a 2×2 pooling at stride 2) in its
   * output transform, or a first layer on one channel straight from the pixels; else the three in turn.
   */
  override convReluForward(op: ConvOperands, b: FloatArray, out: FloatArray, pool: ConvGeometry | null): void {
    const { x, g, w, filters } = op
    const pairs = pool !== null && pool.fh === 2 && pool.fw === 2 && pool.stride === 2 && pool.pad === 0
    if ((pool === null || pairs) && this.k.convReluWinogradF4(f32(x), g, f32(w), f32(b), f32(out), filters, pairs, this.keptFilters(w))) return
    if (pool === null && this.k.convOneChannelRelu(f32(x), g, f32(w), f32(b), f32(out), filters)) return
    super.convReluForward(op, b, out, pool)
  }

  override convBackward(op: ConvOperands, dout: FloatArray, grads: ConvGradients): void {
    if (this.convBackwardByWinograd(op, dout, grads)) return
    const { x, g, w, filters, buffers } = op
    const rows = buffers.rows
    this.k.rowsFromMaps(f32(dout), f32(rows), f32(grads.db), g.n, g.oh * g.ow, filters)
    // dWᵀ lands in wt (free until the next forward pass refills it).
    const dx = grads.dx && f32(grads.dx)
    if (this.k.convBackward(f32(x), g, f32(rows), f32(w), f32(buffers.wt), this.chunkCol(g), filters, dx)) {
      transpose(buffers.wt, colCols(g), filters, grads.dw)
      return
    }
    this.convBackwardByIm2col(op, rows, grads)
  }

  /**
   * The whole backward pass without im2col, for 3×3 windows at stride 1: db by filter sums, dW with
   * F(4×4, 3×3)'s transforms where its forward pass took them (from the tiles it kept), else by Winograd's
   * F(3×3, 2×2), dx by F(4×4, 3×3) or F(2×2, 3×3). False when it does not apply or cannot run (the im2col
   * path then computes all three again).
   */
  private convBackwardByWinograd(op: ConvOperands, dout: FloatArray, { dw, db, dx }: ConvGradients): boolean {
    const { x, g, filters, buffers } = op
    if (!this.k.winograd || !winogradFits(g) || g.pad > 2) return false
    const kept = buffers.tilesOf === x && buffers.inputTiles ? f32(buffers.inputTiles) : null
    return (
      this.k.filterSums(f32(dout), f32(db), g.n, g.oh * g.ow, filters) &&
      (this.k.convWeightGradWinogradF4(f32(x), g, f32(dout), f32(dw), filters, kept) ||
        this.k.convWeightGradWinograd(f32(x), g, f32(dout), f32(dw), filters)) &&
      (dx === null || this.inputGradientByWinograd(op, dout, dx))
    )
  }

  /**
   * dx by Winograd's F(2×2, 3×3): for 3×3 windows at stride 1 the input gradient is itself such a
   * convolution — of dout, with each filter turned 180° and channels and filters swapped, padded by
   * 2 − pad. False when it does not apply (the im2col path then computes dx).
   */
  private inputGradientByWinograd({ g, w, filters, buffers }: ConvOperands, dout: FloatArray, dx: FloatArray): boolean {
    const back = convGeometry([g.n, filters, g.oh, g.ow], 3, 3, 1, 2 - g.pad)
    if (back.oh !== g.h || back.ow !== g.w) return false
    const c = g.c
    const turned = (buffers.turned ??= this.floats(w.length))
    turnFilters(f32(w), f32(turned), filters, c)
    const noBias = (buffers.zeroBias ??= this.floats(c))
    return this.winogradForward(f32(dout), back, f32(turned), f32(noBias), f32(dx), c)
  }

  /**
   * Where a forward pass by F(4×4, 3×3) leaves its input tiles for the weight gradient: the layer's resident
   * array, (re)made when too small; null where F4 does not run, memory is not shared, or a batch's tiles
   * would take more than KEPT_TILES_BYTES (an evaluation's large batches then turn their tiles chunk by chunk).
   */
  private tilesToKeep({ g, filters, buffers }: ConvOperands): Float32Array | null {
    if (!this.k.shared || !this.k.winograd || !this.k.winogradF4 || !winogradF4Pays(g, filters)) return null
    const length = keptTilesLength(g)
    if (length * 4 > KEPT_TILES_BYTES) return null
    if (!buffers.inputTiles || buffers.inputTiles.length < length || !this.k.isResident(f32(buffers.inputTiles))) {
      buffers.inputTiles = this.k.resident(length)
    }
    return buffers.inputTiles ? f32(buffers.inputTiles) : null
  }

  /** The F(4×4, 3×3) transforms inference keeps of these filters (winograd-f4-filters.ts: never stale), one set per weight array. */
  private keptFilters(w: FloatArray): KeptFilters {
    let kept = this.filtersKept.get(w)
    if (!kept) this.filtersKept.set(w, (kept = new KeptFilters()))
    return kept
  }

  /**
   * The choice per layer: F(4×4, 3×3) where its maps are whole 4×4 blocks and filters come four at a time
   * (winogradF4Pays), else F(2×2, 3×3); false when neither runs.
   */
  private winogradForward(x: Float32Array, g: ConvGeometry, w: Float32Array, b: Float32Array, out: Float32Array, filters: number): boolean {
    return this.k.convForwardWinogradF4(x, g, w, b, out, filters) || this.k.convForwardWinograd(x, g, w, b, out, filters)
  }

  override reluForward(x: FloatArray, y: FloatArray): void {
    this.k.reluForward(f32(x), f32(y))
  }

  override reluBackward(x: FloatArray, g: FloatArray, dx: FloatArray): void {
    this.k.reluBackward(f32(x), f32(g), f32(dx))
  }

  override maxPoolForward(x: FloatArray, g: ConvGeometry, out: FloatArray, argmax: Int32Array): void {
    if (!this.k.maxPoolForward(f32(x), g, f32(out), argmax)) super.maxPoolForward(x, g, out, argmax)
  }

  override maxPoolBackward(dout: FloatArray, argmax: Int32Array, g: ConvGeometry, dx: FloatArray): void {
    if (!this.k.maxPoolBackward(f32(dout), argmax, g, f32(dx))) super.maxPoolBackward(dout, argmax, g, dx)
  }

  /** Where the kernel cannot run, this backend's own ReLU and pooling in turn (its ReLU is not the loop's for −Inf). */
  override reluMaxPoolForward(x: FloatArray, g: ConvGeometry, out: FloatArray): void {
    if (this.k.reluMaxPoolForward(f32(x), g, f32(out))) return
    const rectified = super.floats(x.length)
    this.reluForward(x, rectified)
    this.maxPoolForward(rectified, g, out, super.ints(out.length))
  }

  /** With the non-zero pixels listed, for the products that skip zeros. */
  override gatherPixels(images: Uint8Array, indices: ArrayLike<number>, pixels: number, out: FloatArray): void {
    if (!this.k.gatherPixels(images, indices, pixels, f32(out))) super.gatherPixels(images, indices, pixels, out)
  }

  override gatherPixelRange(images: Uint8Array, first: number, count: number, pixels: number, out: FloatArray): void {
    const whole = images.subarray(first * pixels, (first + count) * pixels).length === out.length
    if (!(whole && this.k.gatherPixelRange(images, first, count, pixels, f32(out)))) super.gatherPixelRange(images, first, count, pixels, out)
  }

  /** An optimizer's update on its kernel: the loop's float64 arithmetic in the loop's order, so the same bits. */
  private update(kind: OptimizerUpdate, arrays: readonly FloatArray[], scalars: readonly number[]): boolean {
    return this.k.optimizerUpdate(kind, arrays as Float32Array[], scalars)
  }

  override sgdUpdate(p: FloatArray, g: FloatArray, lr: number): void {
    if (!this.update('sgdUpdate', [p, g], [lr])) super.sgdUpdate(p, g, lr)
  }

  override momentumUpdate(p: FloatArray, g: FloatArray, v: FloatArray, lr: number, momentum: number): void {
    if (!this.update('momentumUpdate', [p, g, v], [lr, momentum])) super.momentumUpdate(p, g, v, lr, momentum)
  }

  override nesterovUpdate(p: FloatArray, g: FloatArray, v: FloatArray, lr: number, momentum: number): void {
    if (!this.update('nesterovUpdate', [p, g, v], [lr, momentum])) super.nesterovUpdate(p, g, v, lr, momentum)
  }

  override adagradUpdate(p: FloatArray, g: FloatArray, h: FloatArray, lr: number, rule: AdaGradRule): void {
    const scalars = [lr, rule.initialH, rule.course ? 1 : 0, rule.first ? 1 : 0, rule.epsilon]
    if (!this.update('adagradUpdate', [p, g, h], scalars)) super.adagradUpdate(p, g, h, lr, rule)
  }

  override rmspropUpdate(p: FloatArray, g: FloatArray, h: FloatArray, lr: number, decay: number, epsilon: number): void {
    if (!this.update('rmspropUpdate', [p, g, h], [lr, decay, epsilon])) super.rmspropUpdate(p, g, h, lr, decay, epsilon)
  }

  override adamUpdate(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    if (!this.update('adamUpdate', [p, g, m, v], [lrT, beta1, beta2, epsilon])) super.adamUpdate(p, g, m, v, lrT, beta1, beta2, epsilon)
  }
}
