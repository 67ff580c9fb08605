import type { Tensor } from '../core/tensor'
import { activeF32Kernels, kernelInts, reuseKernelTensor } from '../kernels/gemm'
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
    const { n, c, h, w, oh, ow, stride, pad } = g
    const size = this.size
    const out = (this.out = reuseKernelTensor(this.out, [n, c, oh, ow], x.precision))
    if (this.argmax.length !== out.data.length) this.argmax = kernelInts(x.precision, out.data.length)
    const kernels = x.precision === 'float32' ? activeF32Kernels() : null
    if (kernels?.maxPoolForward(x.data as Float32Array, g, out.data as Float32Array, this.argmax)) return out
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
              const v = inside ? x.data[base + y * w + xx] : 0
              if (v > best) {
                best = v
                arg = inside ? base + y * w + xx : -1
              }
            }
          }
          out.data[o] = best
          this.argmax[o++] = arg
        }
      }
    }
    return out
  }

  backward(dout: Tensor): Tensor {
    const g = this.geometry
    if (!g) throw new Error(`${this.name}: backward before forward`)
    const dx = (this.dx = reuseKernelTensor(this.dx, [g.n, g.c, g.h, g.w], dout.precision))
    const kernels = dout.precision === 'float32' ? activeF32Kernels() : null
    if (kernels?.maxPoolBackward(dout.data as Float32Array, this.argmax, g, dx.data as Float32Array)) return dx
    dx.data.fill(0)
    // Overlapping windows (stride < size) may pick the same pixel: the gradients add, as col2im adds them.
    for (let o = 0; o < dout.data.length; o++) {
      const arg = this.argmax[o]
      if (arg >= 0) dx.data[arg] += dout.data[o]
    }
    return dx
  }
}
