import type { FloatArray } from '../core/dtype'
import { Tensor, reuse } from '../core/tensor'
import type { ConvGeometry } from '../kernels/conv-shape'
import { PoolWindow } from './pool-window'

/**
 * Average pooling over size×size windows of each channel, on im2col's windows: padding zeros count, so
 * every window is divided by size², edges included. Each input pixel gets 1/size² of the gradient of
 * every window that covers it.
 */
export class AvgPool2D extends PoolWindow {
  private out: Tensor | undefined
  private dx: Tensor | undefined

  forward(x: Tensor): Tensor {
    const g = this.geometryOf(x.shape)
    const out = (this.out = reuse(this.out, [g.n, g.c, g.oh, g.ow], x.precision))
    this.eachWindowPixel(g, (o, i) => (out.data[o] += x.data[i]), out.data)
    const scale = 1 / (this.size * this.size)
    for (let o = 0; o < out.data.length; o++) out.data[o] *= scale
    return out
  }

  backward(dout: Tensor): Tensor {
    const g = this.geometry
    if (!g) throw new Error(`${this.name}: backward before forward`)
    const dx = (this.dx = reuse(this.dx, [g.n, g.c, g.h, g.w], dout.precision))
    const scale = 1 / (this.size * this.size)
    this.eachWindowPixel(g, (o, i) => (dx.data[i] += dout.data[o] * scale), dx.data)
    return dx
  }

  /** Calls visit(output index, input index) for every input pixel inside every window, after zeroing `target`. */
  private eachWindowPixel(g: ConvGeometry, visit: (o: number, i: number) => void, target: FloatArray): void {
    const { n, c, h, w, oh, ow, stride, pad } = g
    const size = this.size
    target.fill(0)
    let o = 0
    for (let map = 0; map < n * c; map++) {
      const base = map * h * w
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          for (let ky = 0; ky < size; ky++) {
            const y = oy * stride - pad + ky
            if (y < 0 || y >= h) continue
            for (let kx = 0; kx < size; kx++) {
              const xx = ox * stride - pad + kx
              if (xx >= 0 && xx < w) visit(o, base + y * w + xx)
            }
          }
          o++
        }
      }
    }
  }
}
