import type { Precision } from '../core/dtype'
import { Tensor, reuse } from '../core/tensor'
import { makeParam, type Layer, type Param } from './layer'

/**
 * Group normalisation (Wu & He, 2018): each sample's channels are split into `groups` groups, each group
 * normalised over its channels and pixels, then scaled and shifted per channel. No batch statistics, so
 * it works the same for a batch of 2 as of 200, and in training and inference alike.
 */
export class GroupNorm implements Layer {
  readonly gamma: Param
  readonly beta: Param
  readonly params: readonly Param[]
  private xn: Tensor | undefined
  /** 1/σ per (sample, group) of the last forward pass. */
  private invStd = new Float64Array(0)
  private out: Tensor | undefined
  private dx: Tensor | undefined

  constructor(
    readonly name: string,
    readonly channels: number,
    readonly groups: number,
    readonly precision: Precision,
    readonly epsilon = 1e-6
  ) {
    if (!Number.isInteger(groups) || groups < 1 || channels % groups !== 0) {
      throw new RangeError(`${name}: ${groups} groups do not divide ${channels} channels evenly`)
    }
    this.gamma = makeParam(`${name}.gamma`, [channels], false, precision)
    this.beta = makeParam(`${name}.beta`, [channels], false, precision)
    this.gamma.value.fill(1)
    this.params = [this.gamma, this.beta]
  }

  outputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3 || inputShape[0] !== this.channels) {
      throw new RangeError(`${this.name}: expects a [${this.channels}, height, width] input, gets [${inputShape.join(', ')}]`)
    }
    return [...inputShape]
  }

  forward(x: Tensor): Tensor {
    const [n, c] = x.shape
    const plane = x.data.length / (n * c)
    const perGroup = (c / this.groups) * plane
    const xn = (this.xn = reuse(this.xn, x.shape, x.precision))
    const out = (this.out = reuse(this.out, x.shape, x.precision))
    if (this.invStd.length !== n * this.groups) this.invStd = new Float64Array(n * this.groups)
    // A group's values are contiguous in NCHW: channels g·C/G … (g+1)·C/G − 1 of one sample.
    for (let k = 0; k < n * this.groups; k++) {
      const start = k * perGroup
      let mean = 0
      for (let i = start; i < start + perGroup; i++) mean += x.data[i]
      mean /= perGroup
      let variance = 0
      for (let i = start; i < start + perGroup; i++) variance += (x.data[i] - mean) ** 2
      variance /= perGroup
      const invStd = 1 / Math.sqrt(variance + this.epsilon)
      this.invStd[k] = invStd
      for (let i = start; i < start + perGroup; i++) {
        const ch = Math.floor(i / plane) % c
        const v = (x.data[i] - mean) * invStd
        xn.data[i] = v
        out.data[i] = this.gamma.value[ch] * v + this.beta.value[ch]
      }
    }
    return out
  }

  /** Per (sample, group): dx = invStd · (g − mean(g) − x̂ · mean(g · x̂)), with g = dout · γ of each value's channel. */
  backward(dout: Tensor): Tensor {
    const xn = this.xn
    if (!xn) throw new Error(`${this.name}: backward before forward`)
    const [n, c] = dout.shape
    const plane = dout.data.length / (n * c)
    const perGroup = (c / this.groups) * plane
    const dx = (this.dx = reuse(this.dx, dout.shape, dout.precision))
    this.gamma.grad.fill(0)
    this.beta.grad.fill(0)
    for (let k = 0; k < n * this.groups; k++) {
      const start = k * perGroup
      let meanG = 0
      let meanGx = 0
      for (let i = start; i < start + perGroup; i++) {
        const ch = Math.floor(i / plane) % c
        const g = dout.data[i] * this.gamma.value[ch]
        meanG += g
        meanGx += g * xn.data[i]
        this.gamma.grad[ch] += dout.data[i] * xn.data[i]
        this.beta.grad[ch] += dout.data[i]
      }
      meanG /= perGroup
      meanGx /= perGroup
      const invStd = this.invStd[k]
      for (let i = start; i < start + perGroup; i++) {
        const ch = Math.floor(i / plane) % c
        dx.data[i] = invStd * (dout.data[i] * this.gamma.value[ch] - meanG - xn.data[i] * meanGx)
      }
    }
    return dx
  }
}
