import type { Precision } from '../core/dtype'
import { Tensor, reuse } from '../core/tensor'
import { COURSE_BATCH_NORM, type BatchNormOptions } from './batch-norm'
import type { Layer, Mode } from './layer'
import { BatchStatisticsLayer, channelMapShape } from './norm-parts'

/**
 * Batch normalisation for conv maps with one mean and variance per channel, taken over the batch and
 * every pixel (N·H·W values), and one γ, β per channel — the usual "BatchNorm2d". The course's own
 * BatchNormalization instead flattens a map to C·H·W features (see BatchNorm); both are offered.
 * ε, the running-statistics momentum and their start at zero follow the course.
 */
export class ChannelBatchNorm extends BatchStatisticsLayer implements Layer {
  private xn: Tensor | undefined
  private readonly invStd: Float64Array
  private out: Tensor | undefined
  private dx: Tensor | undefined

  constructor(
    name: string,
    readonly channels: number,
    precision: Precision,
    readonly options: BatchNormOptions = COURSE_BATCH_NORM
  ) {
    super(name, channels, precision)
    this.invStd = new Float64Array(channels)
  }

  outputShape(inputShape: readonly number[]): number[] {
    return channelMapShape(this.name, this.channels, inputShape)
  }

  forward(x: Tensor, mode: Mode): Tensor {
    const [n, c] = x.shape
    const plane = x.data.length / (n * c)
    const count = n * plane
    const xn = (this.xn = reuse(this.xn, x.shape, x.precision))
    const out = (this.out = reuse(this.out, x.shape, x.precision))
    const { epsilon, momentum } = this.options
    for (let ch = 0; ch < c; ch++) {
      let mean: number
      let variance: number
      if (mode === 'train') {
        mean = 0
        for (let img = 0; img < n; img++) for (let p = 0, i = (img * c + ch) * plane; p < plane; p++) mean += x.data[i + p]
        mean /= count
        variance = 0
        for (let img = 0; img < n; img++) for (let p = 0, i = (img * c + ch) * plane; p < plane; p++) variance += (x.data[i + p] - mean) ** 2
        variance /= count
        this.runningMean[ch] = momentum * this.runningMean[ch] + (1 - momentum) * mean
        this.runningVar[ch] = momentum * this.runningVar[ch] + (1 - momentum) * variance
      } else {
        mean = this.runningMean[ch]
        variance = this.runningVar[ch]
      }
      const invStd = 1 / Math.sqrt(variance + epsilon)
      this.invStd[ch] = invStd
      const gamma = this.gamma.value[ch]
      const beta = this.beta.value[ch]
      for (let img = 0; img < n; img++) {
        for (let p = 0, i = (img * c + ch) * plane; p < plane; p++) {
          const v = (x.data[i + p] - mean) * invStd
          xn.data[i + p] = v
          out.data[i + p] = gamma * v + beta
        }
      }
    }
    return out
  }

  /** dx = invStd · (g − mean(g) − x̂ · mean(g · x̂)) per channel, with g = dout · γ (training-mode statistics). */
  backward(dout: Tensor): Tensor {
    const xn = this.xn
    if (!xn) throw new Error(`${this.name}: backward before forward`)
    const [n, c] = dout.shape
    const plane = dout.data.length / (n * c)
    const count = n * plane
    const dx = (this.dx = reuse(this.dx, dout.shape, dout.precision))
    for (let ch = 0; ch < c; ch++) {
      let dbeta = 0
      let dgamma = 0
      for (let img = 0; img < n; img++) {
        for (let p = 0, i = (img * c + ch) * plane; p < plane; p++) {
          dbeta += dout.data[i + p]
          dgamma += dout.data[i + p] * xn.data[i + p]
        }
      }
      this.beta.grad[ch] = dbeta
      this.gamma.grad[ch] = dgamma
      const gamma = this.gamma.value[ch]
      const meanG = (gamma * dbeta) / count
      const meanGx = (gamma * dgamma) / count
      const invStd = this.invStd[ch]
      for (let img = 0; img < n; img++) {
        for (let p = 0, i = (img * c + ch) * plane; p < plane; p++) {
          dx.data[i + p] = invStd * (gamma * dout.data[i + p] - meanG - xn.data[i + p] * meanGx)
        }
      }
    }
    return dx
  }
}
