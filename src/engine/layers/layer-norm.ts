import type { Precision } from '../core/dtype'
import { Tensor, reuse } from '../core/tensor'
import { makeParam, type Layer, type Param } from './layer'

/**
 * Layer normalisation: each sample normalised over its own features, then scaled and shifted per
 * feature. No batch statistics, so it behaves the same in training and inference and for any batch size.
 */
export class LayerNorm implements Layer {
  readonly gamma: Param
  readonly beta: Param
  readonly params: readonly Param[]
  private xn: Tensor | undefined
  private invStd = new Float64Array(0)
  private out: Tensor | undefined
  private dx: Tensor | undefined

  constructor(
    readonly name: string,
    readonly features: number,
    readonly precision: Precision,
    readonly epsilon = 1e-6
  ) {
    this.gamma = makeParam(`${name}.gamma`, [features], false, precision)
    this.beta = makeParam(`${name}.beta`, [features], false, precision)
    this.gamma.value.fill(1)
    this.params = [this.gamma, this.beta]
  }

  outputShape(inputShape: readonly number[]): number[] {
    const size = inputShape.reduce((a, b) => a * b, 1)
    if (size !== this.features) throw new RangeError(`${this.name}: expects ${this.features} features per sample, gets shape [${inputShape.join(', ')}]`)
    return [...inputShape]
  }

  forward(x: Tensor): Tensor {
    const n = x.rows
    const d = this.features
    const xn = (this.xn = reuse(this.xn, x.shape, x.precision))
    const out = (this.out = reuse(this.out, x.shape, x.precision))
    if (this.invStd.length !== n) this.invStd = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const row = i * d
      let mean = 0
      for (let j = 0; j < d; j++) mean += x.data[row + j]
      mean /= d
      let variance = 0
      for (let j = 0; j < d; j++) variance += (x.data[row + j] - mean) ** 2
      variance /= d
      const invStd = 1 / Math.sqrt(variance + this.epsilon)
      this.invStd[i] = invStd
      for (let j = 0; j < d; j++) {
        const v = (x.data[row + j] - mean) * invStd
        xn.data[row + j] = v
        out.data[row + j] = this.gamma.value[j] * v + this.beta.value[j]
      }
    }
    return out
  }

  backward(dout: Tensor): Tensor {
    const xn = this.xn
    if (!xn) throw new Error(`${this.name}: backward before forward`)
    const n = dout.rows
    const d = this.features
    const dx = (this.dx = reuse(this.dx, dout.shape, dout.precision))
    this.gamma.grad.fill(0)
    this.beta.grad.fill(0)
    for (let i = 0; i < n; i++) {
      const row = i * d
      // dx = invStd · (g − mean(g) − x̂·mean(g·x̂)), with g = dout·γ
      let meanG = 0
      let meanGx = 0
      for (let j = 0; j < d; j++) {
        const g = dout.data[row + j] * this.gamma.value[j]
        meanG += g
        meanGx += g * xn.data[row + j]
        this.gamma.grad[j] += dout.data[row + j] * xn.data[row + j]
        this.beta.grad[j] += dout.data[row + j]
      }
      meanG /= d
      meanGx /= d
      for (let j = 0; j < d; j++) {
        const g = dout.data[row + j] * this.gamma.value[j]
        dx.data[row + j] = this.invStd[i] * (g - meanG - xn.data[row + j] * meanGx)
      }
    }
    return dx
  }
}
