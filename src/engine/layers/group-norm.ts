import type { Precision } from '../core/dtype'
import type { Tensor } from '../core/tensor'
import { GroupNormalizationLayer, type GroupLayout } from './group-normalize'
import { channelMapShape } from './norm-parts'

/**
 * Group normalisation (Wu & He, 2018): each sample's channels are split into `groups` groups, each group
 * normalised over its channels and pixels, then scaled and shifted per channel. No batch statistics, so
 * it works the same for a batch of 2 as of 200, and in training and inference alike.
 */
export class GroupNorm extends GroupNormalizationLayer {
  constructor(
    name: string,
    readonly channels: number,
    readonly groups: number,
    precision: Precision,
    epsilon = 1e-6
  ) {
    if (!Number.isInteger(groups) || groups < 1 || channels % groups !== 0) {
      throw new RangeError(`${name}: ${groups} groups do not divide ${channels} channels evenly`)
    }
    super(name, channels, precision, epsilon)
  }

  outputShape(inputShape: readonly number[]): number[] {
    return channelMapShape(this.name, this.channels, inputShape)
  }

  /** A group is C/G channels of one sample; each channel (H·W values in a row) has its own γ, β. */
  protected layout(x: Tensor): GroupLayout {
    const [n, c] = x.shape
    const plane = x.data.length / (n * c)
    return { size: (c / this.groups) * plane, stride: plane, count: c }
  }
}
