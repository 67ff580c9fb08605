/**
 * What every normalisation layer has besides its statistics: a learnt scale γ (starting at one) and shift β
 * (at zero) per feature or channel, batch norm's running statistics, and the input each kind accepts.
 * The layers extend NormalizationLayer or BatchStatisticsLayer and add their own forward and backward.
 */
import { allocateFloats, type FloatArray, type Precision } from '../core/dtype'
import { makeParam, type Param, type StateBuffer } from './layer'

/** γ and β, the scale and shift a normalisation applies after it has brought the values to mean 0, variance 1. */
export interface ScaleShift {
  readonly gamma: Param
  readonly beta: Param
}

/** A normalisation layer: its name, precision and γ (from one), β (from zero), one each per feature or channel. */
export abstract class NormalizationLayer implements ScaleShift {
  readonly gamma: Param
  readonly beta: Param
  readonly params: readonly Param[]

  constructor(
    readonly name: string,
    count: number,
    readonly precision: Precision
  ) {
    this.gamma = makeParam(`${name}.gamma`, [count], false, precision)
    this.beta = makeParam(`${name}.beta`, [count], false, precision)
    this.gamma.value.fill(1)
    this.params = [this.gamma, this.beta]
  }
}

/** A batch normalisation: also a running mean and variance for inference, starting at zero as in the course, saved with the model. */
export abstract class BatchStatisticsLayer extends NormalizationLayer {
  readonly runningMean: FloatArray
  readonly runningVar: FloatArray
  readonly buffers: readonly StateBuffer[]

  constructor(name: string, count: number, precision: Precision) {
    super(name, count, precision)
    this.runningMean = allocateFloats(precision, count)
    this.runningVar = allocateFloats(precision, count)
    this.buffers = [
      { name: `${name}.runningMean`, shape: [count], value: this.runningMean },
      { name: `${name}.runningVar`, shape: [count], value: this.runningVar }
    ]
  }
}

/** A layer over flat features (any shape of `features` values per sample) keeps its input's shape. */
export function featuresShape(name: string, features: number, inputShape: readonly number[]): number[] {
  const size = inputShape.reduce((a, b) => a * b, 1)
  if (size !== features) throw new RangeError(`${name}: expects ${features} features per sample, gets shape [${inputShape.join(', ')}]`)
  return [...inputShape]
}

/** A layer over conv maps takes [channels, height, width] with its own channel count and keeps that shape. */
export function channelMapShape(name: string, channels: number, inputShape: readonly number[]): number[] {
  if (inputShape.length !== 3 || inputShape[0] !== channels) {
    throw new RangeError(`${name}: expects a [${channels}, height, width] input, gets [${inputShape.join(', ')}]`)
  }
  return [...inputShape]
}
