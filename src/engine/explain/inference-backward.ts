import type { Tensor } from '../core/tensor'
import { reuseKernelTensor } from '../kernels/backend'
import { BatchNorm } from '../layers/batch-norm'
import { ChannelBatchNorm } from '../layers/channel-batch-norm'
import { Dropout } from '../layers/dropout'
import type { Layer } from '../layers/layer'

const scratch = new WeakMap<Layer, Tensor>()

/**
 * ∂/∂input of one layer after a test-mode forward pass. Every layer's own `backward` is the derivative
 * of its training forward pass, which is also its test forward pass — except for three: batch norm
 * (training normalises with the batch's statistics, so its backward differentiates through them) and
 * dropout (its backward applies the last training mask). At test time these three are fixed
 * per-feature scalings — γ/√(running var + ε), and 1 or the course's 1 − p — so their derivative is
 * that scale; every other layer uses its own backward.
 */
export function inferenceBackward(layer: Layer, dout: Tensor): Tensor {
  if (layer instanceof BatchNorm) return scaled(layer, dout, (k) => scaleOf(layer, k % layer.features))
  if (layer instanceof ChannelBatchNorm) {
    const [n, c] = dout.shape
    const plane = dout.data.length / (n * c)
    return scaled(layer, dout, (k) => scaleOf(layer, Math.floor(k / plane) % c))
  }
  if (layer instanceof Dropout) {
    const keep = layer.mode === 'course' ? 1 - layer.ratio : 1
    return scaled(layer, dout, () => keep)
  }
  return layer.backward(dout)
}

function scaleOf(layer: BatchNorm | ChannelBatchNorm, feature: number): number {
  return layer.gamma.value[feature] / Math.sqrt(layer.runningVar[feature] + layer.options.epsilon)
}

function scaled(layer: Layer, dout: Tensor, scale: (k: number) => number): Tensor {
  const dx = reuseKernelTensor(scratch.get(layer), dout.shape, dout.precision)
  scratch.set(layer, dx)
  for (let k = 0; k < dout.data.length; k++) dx.data[k] = dout.data[k] * scale(k)
  return dx
}
