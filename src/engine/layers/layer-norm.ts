import type { Precision } from '../core/dtype'
import { GroupNormalizationLayer, type GroupLayout } from './group-normalize'
import { featuresShape } from './norm-parts'

/**
 * Layer normalisation: each sample normalised over its own features, then scaled and shifted per
 * feature. No batch statistics, so it behaves the same in training and inference and for any batch size.
 */
export class LayerNorm extends GroupNormalizationLayer {
  constructor(
    name: string,
    readonly features: number,
    precision: Precision,
    epsilon = 1e-6
  ) {
    super(name, features, precision, epsilon)
  }

  outputShape(inputShape: readonly number[]): number[] {
    return featuresShape(this.name, this.features, inputShape)
  }

  /** The whole sample is one group; each feature has its own γ, β. */
  protected layout(): GroupLayout {
    return { size: this.features, stride: 1, count: this.features }
  }
}
