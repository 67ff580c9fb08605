import type { Tensor } from '../core/tensor'
import { kernelsFor, reuseKernelTensor } from '../kernels/backend'
import { PoolWindow } from './pool-window'

/**
 * Max pooling over size×size windows of each channel, as the course's Pooling layer: the windows are
 * those of im2col, so padding adds zeros that take part in the max. The position of each maximum (the
 * first one, in window order, as numpy's argmax) is kept, and the gradient goes only there.
 */
export class MaxPool2D extends PoolWindow {
  /** Input index of each output's maximum, or −1 when the maximum was a padding zero (its gradient is dropped). */
  private argmax: Int32Array = new Int32Array(0)
  private out: Tensor | undefined
  private dx: Tensor | undefined

  forward(x: Tensor): Tensor {
    const g = this.geometryOf(x.shape)
    const kernels = kernelsFor(x.precision)
    const out = (this.out = reuseKernelTensor(this.out, [g.n, g.c, g.oh, g.ow], x.precision))
    if (this.argmax.length !== out.data.length) this.argmax = kernels.ints(out.data.length)
    kernels.maxPoolForward(x.data, g, out.data, this.argmax)
    return out
  }

  /**
   * Inference's pooling of a ReLU's output, given the ReLU's input: the values of Relu.forward then
   * forward, in one pass and without the argmax (model/inference-steps.ts). No backward may follow it.
   */
  forwardAfterRelu(x: Tensor): Tensor {
    const g = this.geometryOf(x.shape)
    const out = (this.out = reuseKernelTensor(this.out, [g.n, g.c, g.oh, g.ow], x.precision))
    kernelsFor(x.precision).reluMaxPoolForward(x.data, g, out.data)
    return out
  }

  backward(dout: Tensor): Tensor {
    const g = this.geometry
    if (!g) throw new Error(`${this.name}: backward before forward`)
    const dx = (this.dx = reuseKernelTensor(this.dx, [g.n, g.c, g.h, g.w], dout.precision))
    kernelsFor(dout.precision).maxPoolBackward(dout.data, this.argmax, g, dx.data)
    return dx
  }
}
