/**
 * What every normalisation layer has besides its statistics: a learnt scale γ (starting at one) and shift β
 * (at zero) per feature or channel, batch norm's running statistics, and the input each kind accepts.
 */
import { allocateFloats, type FloatArray, type Precision } from '../core/dtype'
import { makeParam, type Param, type StateBuffer } from './layer'

export interface ScaleShift {
  gamma: Param
  beta: Param
}

export function scaleShift(name: string, count: number, precision: Precision): ScaleShift {
  const gamma = makeParam(`${name}.gamma`, [count], false, precision)
  const beta = makeParam(`${name}.beta`, [count], false, precision)
  gamma.value.fill(1)
  return { gamma, beta }
}

export interface RunningStatistics {
  runningMean: FloatArray
  runningVar: FloatArray
  /** Both, as the model file saves them. */
  buffers: readonly StateBuffer[]
}

/** Running mean and variance for inference; they start at zero, as in the course. */
export function runningStatistics(name: string, count: number, precision: Precision): RunningStatistics {
  const runningMean = allocateFloats(precision, count)
  const runningVar = allocateFloats(precision, count)
  const buffers = [
    { name: `${name}.runningMean`, shape: [count], value: runningMean },
    { name: `${name}.runningVar`, shape: [count], value: runningVar }
  ]
  return { runningMean, runningVar, buffers }
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
