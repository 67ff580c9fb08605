import type { Precision } from '../../../src/engine/core/dtype'
import { Tensor, reuse } from '../../../src/engine/core/tensor'
import { convGeometry, windowedSize, windowSettingsProblem } from '../../../src/engine/kernels/conv-shape'
import { makeParam, type Layer, type Param } from '../../../src/engine/layers/layer'

/**
 * Convolution written straight from its definition, seven nested loops and no im2col:
 * out[n, f, oy, ox] = b[f] + Σ_c Σ_ky Σ_kx W[f, c, ky, kx] · xpad[n, c, oy·s + ky, ox·s + kx].
 * Far too slow to train with; kept as the oracle Conv2D is tested against, with the same parameters.
 */
export class NaiveConv2D implements Layer {
  readonly W: Param
  readonly b: Param
  readonly params: readonly Param[]
  private x: Tensor | undefined
  private out: Tensor | undefined
  private dx: Tensor | undefined

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
  }

  outputShape(inputShape: readonly number[]): number[] {
    return [this.filters, ...windowedSize(inputShape, this.fh, this.fw, this.stride, this.pad)]
  }

  forward(x: Tensor): Tensor {
    const { n, c, h, w, oh, ow } = convGeometry(x.shape, this.fh, this.fw, this.stride, this.pad)
    const { fh, fw, stride, pad, filters } = this
    this.x = x
    const out = (this.out = reuse(this.out, [n, filters, oh, ow], x.precision))
    const W = this.W.value
    for (let img = 0; img < n; img++)
      for (let f = 0; f < filters; f++)
        for (let oy = 0; oy < oh; oy++)
          for (let ox = 0; ox < ow; ox++) {
            let sum = this.b.value[f]
            for (let ch = 0; ch < c; ch++)
              for (let ky = 0; ky < fh; ky++)
                for (let kx = 0; kx < fw; kx++) {
                  const y = oy * stride + ky - pad
                  const xx = ox * stride + kx - pad
                  if (y < 0 || y >= h || xx < 0 || xx >= w) continue
                  sum += W[((f * c + ch) * fh + ky) * fw + kx] * x.data[((img * c + ch) * h + y) * w + xx]
                }
            out.data[((img * filters + f) * oh + oy) * ow + ox] = sum
          }
    return out
  }

  /** The same seven loops, each product's two partial derivatives accumulated where they belong. */
  backward(dout: Tensor): Tensor {
    const x = this.x
    if (!x) throw new Error(`${this.name}: backward before forward`)
    const { n, c, h, w, oh, ow } = convGeometry(x.shape, this.fh, this.fw, this.stride, this.pad)
    const { fh, fw, stride, pad, filters } = this
    const dx = (this.dx = reuse(this.dx, x.shape, dout.precision))
    dx.data.fill(0)
    this.W.grad.fill(0)
    this.b.grad.fill(0)
    const W = this.W.value
    for (let img = 0; img < n; img++)
      for (let f = 0; f < filters; f++)
        for (let oy = 0; oy < oh; oy++)
          for (let ox = 0; ox < ow; ox++) {
            const g = dout.data[((img * filters + f) * oh + oy) * ow + ox]
            this.b.grad[f] += g
            for (let ch = 0; ch < c; ch++)
              for (let ky = 0; ky < fh; ky++)
                for (let kx = 0; kx < fw; kx++) {
                  const y = oy * stride + ky - pad
                  const xx = ox * stride + kx - pad
                  if (y < 0 || y >= h || xx < 0 || xx >= w) continue
                  const wi = ((f * c + ch) * fh + ky) * fw + kx
                  const xi = ((img * c + ch) * h + y) * w + xx
                  this.W.grad[wi] += g * x.data[xi]
                  dx.data[xi] += g * W[wi]
                }
          }
    return dx
  }
}
