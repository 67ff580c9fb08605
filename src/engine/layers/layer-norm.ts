import type { Precision } from '../core/dtype'
import { Tensor, reuse } from '../core/tensor'
import { normalizeGroups, normalizeGroupsBackward, type GroupLayout } from './group-normalize'
import type { Layer } from './layer'
import { featuresShape, NormalizationLayer } from './norm-parts'

/**
 * Layer normalisation: each sample normalised over its own features, then scaled and shifted per
 * feature. No batch statistics, so it behaves the same in training and inference and for any batch size.
 */
export class LayerNorm extends NormalizationLayer implements Layer {
  /** The whole sample is one group; each feature has its own γ, β. */
  private readonly layout: GroupLayout
  private xn: Tensor | undefined
  private invStd = new Float64Array(0)
  private out: Tensor | undefined
  private dx: Tensor | undefined

  constructor(
    name: string,
    readonly features: number,
    precision: Precision,
    readonly epsilon = 1e-6
  ) {
    super(name, features, precision)
    this.layout = { size: features, stride: 1, count: features }
  }

  outputShape(inputShape: readonly number[]): number[] {
    return featuresShape(this.name, this.features, inputShape)
  }

  forward(x: Tensor): Tensor {
    const xn = (this.xn = reuse(this.xn, x.shape, x.precision))
    const out = (this.out = reuse(this.out, x.shape, x.precision))
    if (this.invStd.length !== x.rows) this.invStd = new Float64Array(x.rows)
    normalizeGroups(x.data, this.layout, this.epsilon, this, xn.data, out.data, this.invStd)
    return out
  }

  backward(dout: Tensor): Tensor {
    const xn = this.xn
    if (!xn) throw new Error(`${this.name}: backward before forward`)
    const dx = (this.dx = reuse(this.dx, dout.shape, dout.precision))
    normalizeGroupsBackward(dout.data, this.layout, this, xn.data, this.invStd, dx.data)
    return dx
  }
}
