import { Conv2D } from '../layers/conv2d'
import type { Network } from './network'

export { MAX_PARAMETERS, parameterLimitProblem } from './parameter-limit'

/*
 * Limits on what one run may allocate, checked from shapes alone before any buffer is made: a config
 * (typed, queued, or read from a file someone sent) that would need gigabytes is refused with a message
 * naming the field, instead of crashing the engine with an out-of-memory error mid-allocation.
 */

/** Per-batch buffers of a training step (outputs, gradients, im2col matrices), in bytes. */
export const MAX_STEP_BYTES = 2048 * 1024 * 1024

const BYTES = 8 // float64

/**
 * Bytes one training step of `batchSize` samples keeps: each layer's output and input gradient, and for a
 * convolution its im2col matrix and the (positions × filters) product. An estimate from above.
 */
export function stepBytes(network: Network, batchSize: number): number {
  let shape = [...network.inputShape]
  let bytes = 2 * batchSize * product(shape) * BYTES
  for (const layer of network.layers) {
    const out = layer.outputShape(shape)
    bytes += 2 * batchSize * product(out) * BYTES
    if (layer instanceof Conv2D) {
      const positions = out[1] * out[2]
      bytes += batchSize * positions * (layer.fanIn + layer.filters) * BYTES
    }
    shape = out
  }
  return bytes
}

export function stepMemoryProblem(bytes: number, batchSize: number): string | null {
  return bytes > MAX_STEP_BYTES
    ? `a batch of ${batchSize} needs about ${mib(bytes)} for this network's training step; at most ${mib(MAX_STEP_BYTES)} fit (use a smaller batch or smaller layers)`
    : null
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1)
const mib = (bytes: number): string => `${Math.ceil(bytes / (1024 * 1024)).toLocaleString('en-US')} MiB`
