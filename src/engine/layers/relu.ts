import type { Tensor } from '../core/tensor'
import { kernelsFor, reuseKernelTensor } from '../kernels/backend'
import { ElementwiseActivation } from './elementwise'

/** max(0, x); the gradient is cut where x <= 0, as the course's mask does. */
export class Relu extends ElementwiseActivation {
  protected f(x: number): number {
    return x > 0 ? x : 0
  }
  protected derivative(x: number): number {
    return x > 0 ? 1 : 0
  }

  forward(x: Tensor): Tensor {
    this.x = x
    const out = (this.out = reuseKernelTensor(this.out, x.shape, x.precision))
    kernelsFor(x.precision).reluForward(x.data, out.data)
    return out
  }

  backward(dout: Tensor): Tensor {
    if (!this.x) throw new Error(`${this.name}: backward before forward`)
    const dx = this.gradientBuffer(dout)
    kernelsFor(dout.precision).reluBackward(this.x.data, dout.data, dx.data)
    return dx
  }
}
