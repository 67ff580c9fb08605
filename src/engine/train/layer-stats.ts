import type { FloatArray } from '../core/dtype'
import type { Activation } from '../config/run-config'
import { Affine } from '../layers/affine'
import { ElementwiseActivation } from '../layers/elementwise'
import type { Network } from '../model/network'
import type { LayerStats } from '../protocol/messages'

export const HISTOGRAM_BINS = 20

/** Fixed histogram ranges per activation, so pictures stay comparable across iterations and runs. */
const RANGES: Record<Activation, [number, number]> = { sigmoid: [0, 1], tanh: [-1, 1], relu: [0, 4] }

/**
 * The data behind the vanishing-gradient pictures, per Affine layer by depth: the mean |∂L/∂W| of its
 * weights, and a histogram of the activation that follows it on the current training batch.
 */
export function collectLayerStats(network: Network, activation: Activation): LayerStats[] {
  const stats: LayerStats[] = []
  const layers = network.layers
  let depth = 0
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]
    if (!(layer instanceof Affine)) continue
    depth++
    const next = layers.slice(i + 1).find((l) => l instanceof Affine || l instanceof ElementwiseActivation)
    const output = next instanceof ElementwiseActivation ? next.lastOutput : null
    stats.push({
      name: layer.name,
      depth,
      meanAbsGrad: meanAbs(layer.W.grad),
      activation: output ? histogram(output, RANGES[activation]) : null
    })
  }
  return stats
}

function meanAbs(values: FloatArray): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += Math.abs(values[i])
  return values.length ? sum / values.length : 0
}

function histogram(values: FloatArray, [lo, hi]: [number, number]) {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0)
  let below = 0
  let above = 0
  const width = (hi - lo) / HISTOGRAM_BINS
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v < lo) below++
    else if (v > hi) above++
    else counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((v - lo) / width))]++
  }
  return { lo, hi, counts, below, above }
}
