import { Random } from '../core/random'
import type { ClassOutput } from './class-output'
import type { InferenceCopy } from './inference-copy'
import { inputGradients } from './input-gradients'

/** Vanilla gradient (Simonyan et al. 2014): ∂f/∂x, how much each input value moves the class's output. */
export function vanillaGradient(copy: InferenceCopy, image: Float64Array, target: number, output: ClassOutput): Float64Array {
  return inputGradients(copy, image, 1, target, output).gradients
}

/** Gradient × input: x ⊙ ∂f/∂x, a first-order share of f per input value (0 wherever x is 0). */
export function gradientTimesInput(copy: InferenceCopy, image: Float64Array, target: number, output: ClassOutput): Float64Array {
  const gradient = vanillaGradient(copy, image, target, output)
  return gradient.map((g, i) => g * image[i])
}

export interface SmoothGradOptions {
  /** Noisy copies averaged. */
  samples: number
  /** σ of the Gaussian noise as a fraction of the image's range (max − min; 1 for a flat image). */
  noise: number
  seed: number
}

export const SMOOTHGRAD_DEFAULTS: SmoothGradOptions = { samples: 50, noise: 0.15, seed: 1 }

/**
 * SmoothGrad (Smilkov et al. 2017): the mean of ∂f/∂x over `samples` copies of the image with Gaussian
 * noise added (not clipped, as in the paper), drawn from the engine's seeded generator: the same seed
 * gives the same map. Averaging removes the gradient's pixel-to-pixel jitter that a ReLU network has.
 */
export function smoothGrad(copy: InferenceCopy, image: Float64Array, target: number, output: ClassOutput, options: SmoothGradOptions): Float64Array {
  const { samples, noise, seed } = options
  let min = Infinity
  let max = -Infinity
  for (const v of image) {
    min = Math.min(min, v)
    max = Math.max(max, v)
  }
  const sigma = noise * (max > min ? max - min : 1)
  const random = new Random(seed)
  const size = image.length
  const noisy = new Float64Array(samples * size)
  for (let s = 0; s < samples; s++) for (let i = 0; i < size; i++) noisy[s * size + i] = image[i] + sigma * random.normal()
  const { gradients } = inputGradients(copy, noisy, samples, target, output)
  const mean = new Float64Array(size)
  for (let s = 0; s < samples; s++) for (let i = 0; i < size; i++) mean[i] += gradients[s * size + i]
  for (let i = 0; i < size; i++) mean[i] /= samples
  return mean
}
