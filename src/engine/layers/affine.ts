import type { Precision } from '../core/dtype'
import type { Tensor } from '../core/tensor'
import { activeF32Kernels, matmul, matmulTransA, matmulTransB, reuseKernelTensor } from '../kernels/gemm'
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
    matmul(x.data, this.W.value, out.data, n, this.inputSize, this.outputSize)
    const b = this.b.value
    const kernels = x.precision === 'float32' ? activeF32Kernels() : null
    if (kernels) {
      kernels.addRowBias(out.data as Float32Array, b as Float32Array, n, this.outputSize)
      return out
    }
    for (let i = 0; i < n; i++) {
      const row = i * this.outputSize
      for (let j = 0; j < this.outputSize; j++) out.data[row + j] += b[j]
    }
    return out
  }

  backward(dout: Tensor): Tensor {
    const x = this.x
    if (!x) throw new Error(`${this.name}: backward before forward`)
    const n = dout.rows
    const outSize = this.outputSize
    matmulTransA(x.data, dout.data, this.W.grad, n, this.inputSize, outSize)
    const db = this.b.grad
    const kernels = dout.precision === 'float32' ? activeF32Kernels() : null
    if (kernels) kernels.columnSums(dout.data as Float32Array, n, outSize, db as Float32Array)
    else {
      db.fill(0)
      for (let i = 0; i < n; i++) {
        const row = i * outSize
        for (let j = 0; j < outSize; j++) db[j] += dout.data[row + j]
      }
    }
    const dx = (this.dx = reuseKernelTensor(this.dx, x.shape, dout.precision))
    if (this.propagateInputGrad) matmulTransB(dout.data, this.W.value, dx.data, n, outSize, this.inputSize)
    return dx
  }
}
