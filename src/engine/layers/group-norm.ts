import type { Precision } from '../core/dtype'
import { Tensor, reuse } from '../core/tensor'
import { normalizeGroups, normalizeGroupsBackward, type GroupLayout } from './group-normalize'
import type { Layer } from './layer'
import { channelMapShape, NormalizationLayer } from './norm-parts'

/**
 * Group normalisation (Wu & He, 2018): each sample's channels are split into `groups` groups, each group
 * normalised over its channels and pixels, then scaled and shifted per channel. No batch statistics, so
 * it works the same for a batch of 2 as of 200, and in training and inference alike.
 */
export class GroupNorm extends NormalizationLayer implements Layer {
  private xn: Tensor | undefined
  /** 1/σ per (sample, group) of the last forward pass. */
  private invStd = new Float64Array(0)
  private out: Tensor | undefined
  private dx: Tensor | undefined

  constructor(
    name: string,
    readonly channels: number,
    readonly groups: number,
    precision: Precision,
    readonly epsilon = 1e-6
  ) {
    if (!Number.isInteger(groups) || groups < 1 || channels % groups !== 0) {
      throw new RangeError(`${name}: ${groups} groups do not divide ${channels} channels evenly`)
    }
    super(name, channels, precision)
  }

  outputShape(inputShape: readonly number[]): number[] {
    return channelMapShape(this.name, this.channels, inputShape)
  }

  forward(x: Tensor): Tensor {
    const xn = (this.xn = reuse(this.xn, x.shape, x.precision))
    const out = (this.out = reuse(this.out, x.shape, x.precision))
    if (this.invStd.length !== x.rows * this.groups) this.invStd = new Float64Array(x.rows * this.groups)
    normalizeGroups(x.data, this.layout(x), this.epsilon, this, xn.data, out.data, this.invStd)
    return out
  }

  backward(dout: Tensor): Tensor {
    const xn = this.xn
    if (!xn) throw new Error(`${this.name}: backward before forward`)
    const dx = (this.dx = reuse(this.dx, dout.shape, dout.precision))
    normalizeGroupsBackward(dout.data, this.layout(dout), this, xn.data, this.invStd, dx.data)
    return dx
  }

  /** A group is C/G channels of one sample; each channel (H·W values in a row) has its own γ, β. */
  private layout(x: Tensor): GroupLayout {
    const [n, c] = x.shape
    const plane = x.data.length / (n * c)
    return { size: (c / this.groups) * plane, stride: plane, count: c }
  }
}
