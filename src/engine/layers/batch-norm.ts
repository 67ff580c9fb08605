import type { Precision } from '../core/dtype'
import { Tensor, reuse } from '../core/tensor'
import type { Layer, Mode } from './layer'
import { BatchStatisticsLayer, featuresShape } from './norm-parts'

export interface BatchNormOptions {
  /** Added to the variance; the course uses 10e-7 = 1e-6. */
  epsilon: number
  /** running ← momentum·running + (1 − momentum)·batch statistic; the course uses 0.9. */
  momentum: number
}

export const COURSE_BATCH_NORM: BatchNormOptions = { epsilon: 1e-6, momentum: 0.9 }

/**
 * Batch normalisation over the batch axis, one mean and variance per feature (the course normalises
 * flattened conv maps the same way). Training uses the batch's statistics and updates running ones,
 * which start at zero as in the course; inference uses the running ones.
 */
export class BatchNorm extends BatchStatisticsLayer implements Layer {
  private xc: Tensor | undefined
  private xn: Tensor | undefined
  private std = new Float64Array(0)
  private out: Tensor | undefined
  private dx: Tensor | undefined

  constructor(
    name: string,
    readonly features: number,
    precision: Precision,
    readonly options: BatchNormOptions = COURSE_BATCH_NORM
  ) {
    super(name, features, precision)
  }

  outputShape(inputShape: readonly number[]): number[] {
    return featuresShape(this.name, this.features, inputShape)
  }

  forward(x: Tensor, mode: Mode): Tensor {
    const n = x.rows
    const d = this.features
    const xc = (this.xc = reuse(this.xc, x.shape, x.precision))
    const xn = (this.xn = reuse(this.xn, x.shape, x.precision))
    const out = (this.out = reuse(this.out, x.shape, x.precision))
    if (this.std.length !== d) this.std = new Float64Array(d)
    const { epsilon, momentum } = this.options
    for (let j = 0; j < d; j++) {
      let mean: number
      let variance: number
      if (mode === 'train') {
        mean = 0
        for (let i = 0; i < n; i++) mean += x.data[i * d + j]
        mean /= n
        variance = 0
        for (let i = 0; i < n; i++) {
          const c = x.data[i * d + j] - mean
          variance += c * c
        }
        variance /= n
        this.runningMean[j] = momentum * this.runningMean[j] + (1 - momentum) * mean
        this.runningVar[j] = momentum * this.runningVar[j] + (1 - momentum) * variance
      } else {
        mean = this.runningMean[j]
        variance = this.runningVar[j]
      }
      const std = Math.sqrt(variance + epsilon)
      this.std[j] = std
      const g = this.gamma.value[j]
      const b = this.beta.value[j]
      for (let i = 0; i < n; i++) {
        const k = i * d + j
        const c = x.data[k] - mean
        xc.data[k] = c
        xn.data[k] = c / std
        out.data[k] = g * xn.data[k] + b
      }
    }
    return out
  }

  /** The course's backward, through xc and std (valid for training-mode forward passes). */
  backward(dout: Tensor): Tensor {
    const { xc, xn } = this
    if (!xc || !xn) throw new Error(`${this.name}: backward before forward`)
    const n = dout.rows
    const d = this.features
    const dx = (this.dx = reuse(this.dx, dout.shape, dout.precision))
    for (let j = 0; j < d; j++) {
      const std = this.std[j]
      const g = this.gamma.value[j]
      let dbeta = 0
      let dgamma = 0
      let dstd = 0
      for (let i = 0; i < n; i++) {
        const k = i * d + j
        dbeta += dout.data[k]
        dgamma += xn.data[k] * dout.data[k]
        dstd -= (g * dout.data[k] * xc.data[k]) / (std * std)
      }
      this.beta.grad[j] = dbeta
      this.gamma.grad[j] = dgamma
      const dvar = (0.5 * dstd) / std
      let dmu = 0
      for (let i = 0; i < n; i++) {
        const k = i * d + j
        const dxc = (g * dout.data[k]) / std + (2 / n) * xc.data[k] * dvar
        dx.data[k] = dxc
        dmu += dxc
      }
      for (let i = 0; i < n; i++) dx.data[i * d + j] -= dmu / n
    }
    return dx
  }
}
