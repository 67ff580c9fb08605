/**
 * Normalisation within each sample, over contiguous groups of its values: layer norm takes a whole sample
 * as one group, group norm C/G channels of it (a group's values are contiguous in NCHW). Each group is
 * brought to mean 0 and variance 1, then every value is scaled and shifted by the γ, β of its feature or
 * channel: value i of a sample uses index ⌊i / stride⌋ mod count (features: stride 1; channels: H·W).
 */
import type { FloatArray } from '../core/dtype'
import type { ScaleShift } from './norm-parts'

export interface GroupLayout {
  /** Values in one group. */
  size: number
  /** Values that share one γ, β in a row, and how many γ, β there are. */
  stride: number
  count: number
}

/** x̂ = (x − mean) / √(var + ε) per group into `xn`, γ·x̂ + β into `out`; 1/σ of group k into `invStd[k]`. */
export function normalizeGroups(
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
export function normalizeGroupsBackward(
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
