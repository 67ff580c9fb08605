import { upsampleBilinear } from './bilinear'
import { classOutputGradient, type ClassOutput } from './class-output'
import type { InferenceCopy } from './inference-copy'

export interface GradCam {
  /** The map at the image's size (bilinear, see bilinear.ts). */
  map: Float64Array
  /** ReLU(Σ_k w_k A_k) at the layer's own resolution. */
  coarse: Float64Array
  coarseHeight: number
  coarseWidth: number
  /** w_k: the spatial mean of ∂f/∂A_k, one per channel of the layer. */
  weights: Float64Array
}

/**
 * Grad-CAM (Selvaraju et al. 2017) on the output A of layer `layerIndex` (a conv block's [K, h, w] maps):
 * w_k = mean over positions of ∂f/∂A_k, map = ReLU(Σ_k w_k A_k), upsampled to the image's height × width.
 */
export function gradCam(
  copy: InferenceCopy,
  image: Float64Array,
  height: number,
  width: number,
  target: number,
  output: ClassOutput,
  layerIndex: number
): GradCam {
  const scores = copy.forward(image, 1).data
  const maps = copy.output(layerIndex)
  const [, channels, h, w] = maps.shape
  // Read before the backward pass, which may reuse buffers.
  const activations = Float64Array.from(maps.data)
  const gradient = copy.backward(classOutputGradient(scores, 1, copy.classCount, target, output), layerIndex + 1).data
  const plane = h * w
  const weights = new Float64Array(channels)
  for (let k = 0; k < channels; k++) {
    let sum = 0
    for (let p = 0; p < plane; p++) sum += gradient[k * plane + p]
    weights[k] = sum / plane
  }
  const coarse = new Float64Array(plane)
  for (let p = 0; p < plane; p++) {
    let sum = 0
    for (let k = 0; k < channels; k++) sum += weights[k] * activations[k * plane + p]
    coarse[p] = Math.max(0, sum)
  }
  return { map: upsampleBilinear(coarse, h, w, height, width), coarse, coarseHeight: h, coarseWidth: w, weights }
}
