import type { Precision } from '../core/dtype'
import type { Tensor } from '../core/tensor'
import { kernelsFor, reuseKernelTensor } from '../kernels/backend'
import { makeParam, type Layer, type Param } from './layer'

/** y = x·W + b, with x flattened to (N, inputSize). */
export class Affine implements Layer {
  readonly W: Param
  readonly b: Param
  readonly params: readonly Param[]
  /**
   * The first layer's input gradient is never used (it would be d/dpixels), so the network turns it off
   * and saves a third of that layer's work.
   */
  propagateInputGrad = true
  private x: Tensor | undefined
  private out: Tensor | undefined
  private dx: Tensor | undefined

  constructor(
    readonly name: string,
    readonly inputSize: number,
    readonly outputSize: number,
    readonly precision: Precision
  ) {
    this.W = makeParam(`${name}.W`, [inputSize, outputSize], true, precision)
    this.b = makeParam(`${name}.b`, [outputSize], false, precision)
    this.params = [this.W, this.b]
  }

  outputShape(inputShape: readonly number[]): number[] {
    const size = inputShape.reduce((a, b) => a * b, 1)
    if (size !== this.inputSize) {
      throw new RangeError(`${this.name}: expects ${this.inputSize} inputs per sample, gets shape [${inputShape.join(', ')}] = ${size}`)
    }
    return [this.outputSize]
  }

  forward(x: Tensor): Tensor {
    const n = x.rows
    this.x = x
    const out = (this.out = reuseKernelTensor(this.out, [n, this.outputSize], x.precision))
    const kernels = kernelsFor(x.precision)
    kernels.matmul(x.data, this.W.value, out.data, n, this.inputSize, this.outputSize)
    kernels.addRowBias(out.data, this.b.value, n, this.outputSize)
    return out
  }

  /** dW = xᵀ · dout;  db = Σ dout over the batch;  dx = dout · Wᵀ. */
  backward(dout: Tensor): Tensor {
    const x = this.x
    if (!x) throw new Error(`${this.name}: backward before forward`)
    const n = dout.rows
    const kernels = kernelsFor(dout.precision)
    kernels.matmulTransA(x.data, dout.data, this.W.grad, n, this.inputSize, this.outputSize)
    kernels.columnSums(dout.data, n, this.outputSize, this.b.grad)
    const dx = (this.dx = reuseKernelTensor(this.dx, x.shape, dout.precision))
    if (this.propagateInputGrad) kernels.matmulTransB(dout.data, this.W.value, dx.data, n, this.outputSize, this.inputSize)
    return dx
  }
}
