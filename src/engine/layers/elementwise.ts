import type { FloatArray } from '../core/dtype'
import type { Tensor } from '../core/tensor'
import { reuseKernelTensor } from '../kernels/backend'
import type { Layer, Param } from './layer'

/**
 * Shared shape for parameter-free, element-by-element activations: the subclass supplies the function
 * and its derivative written in terms of the saved input and output.
 */
export abstract class ElementwiseActivation implements Layer {
  readonly params: readonly Param[] = []
  protected x: Tensor | undefined
  protected out: Tensor | undefined
  private dx: Tensor | undefined

  constructor(readonly name: string) {}

  /** The output of the latest forward pass (for statistics), or null before the first. */
  get lastOutput(): FloatArray | null {
    return this.out?.data ?? null
  }

  outputShape(inputShape: readonly number[]): number[] {
    return [...inputShape]
  }

  forward(x: Tensor): Tensor {
    this.x = x
    const out = (this.out = reuseKernelTensor(this.out, x.shape, x.precision))
    const xs = x.data
    const ys = out.data
    for (let i = 0; i < xs.length; i++) ys[i] = this.f(xs[i])
    return out
  }

  backward(dout: Tensor): Tensor {
    if (!this.x || !this.out) throw new Error(`${this.name}: backward before forward`)
    const dx = this.gradientBuffer(dout)
    const xs = this.x.data
    const ys = this.out.data
    const g = dout.data
    for (let i = 0; i < g.length; i++) dx.data[i] = g[i] * this.derivative(xs[i], ys[i])
    return dx
  }

  /** The input-gradient tensor, kept between steps. */
  protected gradientBuffer(dout: Tensor): Tensor {
    return (this.dx = reuseKernelTensor(this.dx, dout.shape, dout.precision))
  }

  protected abstract f(x: number): number
  /** dy/dx at input x with output y. */
  protected abstract derivative(x: number, y: number): number
}
