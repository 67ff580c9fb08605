import type { Precision } from '../core/dtype'
import type { Tensor } from '../core/tensor'
import { kernelsFor, reuseKernelTensor, type ConvBuffers, type ConvOperands } from '../kernels/backend'
import { convGeometry, fitsGeometry, windowedSize, windowSettingsProblem, type ConvGeometry } from '../kernels/conv-shape'
import { makeParam, type Layer, type Param } from './layer'

/** A max pooling's windows, as forwardReluForInference takes them after the ReLU (MaxPool2D has them). */
export interface PoolSettings {
  readonly size: number
  readonly stride: number
  readonly pad: number
}

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
  /** The last input: backward unrolls it again (into the kernels' shared matrix) for dW and dx. */
  private x: Tensor | undefined
  /** The product's rows and Wᵀ, kept between steps (kernels/backend.ts). */
  private readonly work: ConvBuffers
  private out: Tensor | undefined
  private dx: Tensor | undefined
  /** forwardReluForInference's output (its ReLU's, or the pooling's after it). */
  private activated: Tensor | undefined
  private poolGeometry: ConvGeometry | undefined

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
    this.work = kernelsFor(precision).convBuffers(this.W.value.length)
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

  /** out = x ∗ W + b: im2col(x) · Wᵀ reshaped to (N, FN, OH, OW), on whichever kernels run. */
  forward(x: Tensor): Tensor {
    const g = this.geometryOf(x.shape)
    this.x = x
    const out = (this.out = reuseKernelTensor(this.out, [g.n, this.filters, g.oh, g.ow], x.precision))
    kernelsFor(this.precision).convForward(this.operands(x, g), this.b.value, out.data)
    return out
  }

  /**
   * forward's values for a prediction, keeping nothing for a backward pass (the kernels may keep the
   * input's Winograd tiles for the weight gradient: not here). No backward may follow it.
   */
  forwardForInference(x: Tensor): Tensor {
    const g = this.geometryOf(x.shape)
    const out = (this.out = reuseKernelTensor(this.out, [g.n, this.filters, g.oh, g.ow], x.precision))
    kernelsFor(this.precision).convForward({ ...this.operands(x, g), inference: true }, this.b.value, out.data)
    return out
  }

  /**
   * forwardForInference, then a ReLU, then `pool`'s max pooling when given, in one call (the kernels may do
   * all three in one pass): the values of the layers one by one, bit for bit. No backward may follow it.
   */
  forwardReluForInference(x: Tensor, pool: PoolSettings | null): Tensor {
    const g = this.geometryOf(x.shape)
    const p = pool ? this.poolGeometryOf(g, pool) : null
    const shape = p ? [g.n, this.filters, p.oh, p.ow] : [g.n, this.filters, g.oh, g.ow]
    const out = (this.activated = reuseKernelTensor(this.activated, shape, x.precision))
    kernelsFor(this.precision).convReluForward({ ...this.operands(x, g), inference: true }, this.b.value, out.data, p)
    return out
  }

  /** db = Σ dout per filter;  dW = doutᵀ · im2col(x);  dx = col2im(dout · W). */
  backward(dout: Tensor): Tensor {
    const g = this.geometry
    const x = this.x
    if (!g || !x) throw new Error(`${this.name}: backward without a forward pass before it`)
    const dx = (this.dx = reuseKernelTensor(this.dx, [g.n, g.c, g.h, g.w], dout.precision))
    const grads = { dw: this.W.grad, db: this.b.grad, dx: this.propagateInputGrad ? dx.data : null }
    kernelsFor(this.precision).convBackward(this.operands(x, g), dout.data, grads)
    return dx
  }

  private operands(x: Tensor, g: ConvGeometry): ConvOperands {
    return { x: x.data, g, w: this.W.value, filters: this.filters, buffers: this.work }
  }

  /** The pooling's windows on this layer's output maps. */
  private poolGeometryOf(g: ConvGeometry, pool: PoolSettings): ConvGeometry {
    const p = this.poolGeometry
    const shape = [g.n, this.filters, g.oh, g.ow]
    if (p && fitsGeometry(shape, p) && p.fh === pool.size && p.stride === pool.stride && p.pad === pool.pad) return p
    return (this.poolGeometry = convGeometry(shape, pool.size, pool.size, pool.stride, pool.pad))
  }

  private geometryOf(shape: readonly number[]): ConvGeometry {
    const g = this.geometry
    if (g && fitsGeometry(shape, g)) return g
    const next = convGeometry(shape, this.fh, this.fw, this.stride, this.pad)
    if (next.c !== this.inChannels) throw new RangeError(`${this.name}: expects ${this.inChannels} input channels, gets shape [${shape.join(', ')}]`)
    return (this.geometry = next)
  }
}
