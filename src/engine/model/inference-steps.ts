import type { Tensor } from '../core/tensor'
import { Conv2D } from '../layers/conv2d'
import type { Layer } from '../layers/layer'
import { MaxPool2D } from '../layers/max-pool'
import { Relu } from '../layers/relu'

/** One step of a prediction: a layer's test-mode forward, or two layers done as one. */
export type InferenceStep = (x: Tensor) => Tensor

/**
 * How a network predicts when nothing goes backward (evaluation): each layer's test-mode forward, except
 * that a convolution keeps nothing for a backward pass (Conv2D.forwardForInference), a convolution with a
 * ReLU after it — and the max pooling after that — is one call (Conv2D.forwardReluForInference, which the
 * kernels may do in one pass), and another ReLU followed by max pooling is one pass
 * (MaxPool2D.forwardAfterRelu) that writes neither the ReLU's output nor the pooling's argmax. The same
 * values as the layers one by one, bit for bit; the skipped layers' buffers keep whatever they held.
 */
export function inferenceSteps(layers: readonly Layer[]): InferenceStep[] {
  const steps: InferenceStep[] = []
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]
    const next = layers[i + 1]
    if (layer instanceof Conv2D && next instanceof Relu) {
      const after = layers[i + 2]
      const pool = after instanceof MaxPool2D ? after : null
      steps.push((x) => layer.forwardReluForInference(x, pool))
      i += pool ? 2 : 1
    } else if (layer instanceof Conv2D) steps.push((x) => layer.forwardForInference(x))
    else if (layer instanceof Relu && next instanceof MaxPool2D) {
      steps.push((x) => next.forwardAfterRelu(x))
      i++
    } else steps.push((x) => layer.forward(x, 'test'))
  }
  return steps
}
