/**
 * Normalisation within each sample, over contiguous groups of its values: layer norm takes a whole sample
 * as one group, group norm C/G channels of it (a group's values are contiguous in NCHW). Each group is
 * brought to mean 0 and variance 1, then every value is scaled and shifted by the γ, β of its feature or
 * channel: value i of a sample uses index ⌊i / stride⌋ mod count (features: stride 1; channels: H·W).
 */
import type { FloatArray, Precision } from '../core/dtype'
import { reuse, type Tensor } from '../core/tensor'
import type { Layer } from './layer'
import { NormalizationLayer, type ScaleShift } from './norm-parts'

export interface GroupLayout {
  /** Values in one group. */
  size: number
  /** Values that share one γ, β in a row, and how many γ, β there are. */
  stride: number
  count: number
}

/** Layer norm and group norm: the same forward and backward, on groups and γ, β that `layout` places. */
export abstract class GroupNormalizationLayer extends NormalizationLayer implements Layer {
  private xn: Tensor | undefined
  /** 1/σ per (sample, group) of the last forward pass. */
  private invStd = new Float64Array(0)
  private out: Tensor | undefined
  private dx: Tensor | undefined

  constructor(
    name: string,
    count: number,
    precision: Precision,
    readonly epsilon: number
  ) {
    super(name, count, precision)
  }

  abstract outputShape(inputShape: readonly number[]): number[]

  /** Where the groups and each value's γ, β are in a batch shaped like `x`. */
  protected abstract layout(x: Tensor): GroupLayout

  forward(x: Tensor): Tensor {
    const layout = this.layout(x)
    const xn = (this.xn = reuse(this.xn, x.shape, x.precision))
    const out = (this.out = reuse(this.out, x.shape, x.precision))
    const groups = x.data.length / layout.size
    if (this.invStd.length !== groups) this.invStd = new Float64Array(groups)
    normalizeGroups(x.data, layout, this.epsilon, this, xn.data, out.data, this.invStd)
    return out
  }

  backward(dout: Tensor): Tensor {
    const xn = this.xn
    if (!xn) throw new Error(`${this.name}: backward before forward`)
    const dx = (this.dx = reuse(this.dx, dout.shape, dout.precision))
    normalizeGroupsBackward(dout.data, this.layout(dout), this, xn.data, this.invStd, dx.data)
    return dx
  }
}

/** x̂ = (x − mean) / √(var + ε) per group into `xn`, γ·x̂ + β into `out`; 1/σ of group k into `invStd[k]`. */
function normalizeGroups(
  x: FloatArray,
  layout: GroupLayout,
  epsilon: number,
  { gamma, beta }: ScaleShift,
  xn: FloatArray,
  out: FloatArray,
  invStd: Float64Array
): void {
  const { size, stride, count } = layout
  for (let k = 0; k < x.length / size; k++) {
    const start = k * size
    let mean = 0
    for (let i = start; i < start + size; i++) mean += x[i]
    mean /= size
    let variance = 0
    for (let i = start; i < start + size; i++) variance += (x[i] - mean) ** 2
    variance /= size
    const inv = 1 / Math.sqrt(variance + epsilon)
    invStd[k] = inv
    for (let i = start; i < start + size; i++) {
      const p = Math.floor(i / stride) % count
      const v = (x[i] - mean) * inv
      xn[i] = v
      out[i] = gamma.value[p] * v + beta.value[p]
    }
  }
}

/**
 * The gradients of γ and β (summed over every group) and, per group, dx = 1/σ · (g − mean(g) − x̂ · mean(g · x̂))
 * with g = dout · γ of each value's feature or channel.
 */
function normalizeGroupsBackward(
  dout: FloatArray,
  layout: GroupLayout,
  { gamma, beta }: ScaleShift,
  xn: FloatArray,
  invStd: Float64Array,
  dx: FloatArray
): void {
  const { size, stride, count } = layout
  gamma.grad.fill(0)
  beta.grad.fill(0)
  for (let k = 0; k < dout.length / size; k++) {
    const start = k * size
    let meanG = 0
    let meanGx = 0
    for (let i = start; i < start + size; i++) {
      const p = Math.floor(i / stride) % count
      const g = dout[i] * gamma.value[p]
      meanG += g
      meanGx += g * xn[i]
      gamma.grad[p] += dout[i] * xn[i]
      beta.grad[p] += dout[i]
    }
    meanG /= size
    meanGx /= size
    const inv = invStd[k]
    for (let i = start; i < start + size; i++) {
      const p = Math.floor(i / stride) % count
      dx[i] = inv * (dout[i] * gamma.value[p] - meanG - xn[i] * meanGx)
    }
  }
}
