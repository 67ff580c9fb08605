import type { ClassOutput } from './class-output'
import type { InferenceCopy } from './inference-copy'
import { classOutputs, inputGradients } from './input-gradients'

/**
 * How the path integral is approximated with `steps` intervals: 'midpoint' evaluates the gradient at
 * α = (k + ½)/M, k = 0…M−1 (M passes); 'trapezoid' at α = k/M, k = 0…M, ends weighted ½ (M + 1 passes).
 */
export type IntegrationRule = 'midpoint' | 'trapezoid'

export interface IntegratedGradientsOptions {
  steps: number
  rule: IntegrationRule
  /** The baseline image's value at every input: 0 is black. */
  baseline: number
}

export const INTEGRATED_DEFAULTS: IntegratedGradientsOptions = { steps: 64, rule: 'midpoint', baseline: 0 }

/** Completeness: the attributions should add up to f(x) − f(baseline). */
export interface Completeness {
  attributionSum: number
  outputDifference: number
  /** |sum − difference| / |difference| (the absolute gap when the difference is 0). */
  relativeError: number
}

/**
 * Integrated gradients (Sundararajan et al. 2017): (x − x′) ⊙ ∫₀¹ ∂f/∂x(x′ + α(x − x′)) dα, on the
 * straight path from the baseline x′ to the image, so that the attributions add up to f(x) − f(x′).
 */
export function integratedGradients(
  copy: InferenceCopy,
  image: Float64Array,
  target: number,
  output: ClassOutput,
  options: IntegratedGradientsOptions
): { attributions: Float64Array; completeness: Completeness } {
  const { steps, rule, baseline } = options
  const size = image.length
  const points = rule === 'midpoint' ? steps : steps + 1
  const alpha = (k: number): number => (rule === 'midpoint' ? (k + 0.5) / steps : k / steps)
  const weight = (k: number): number => (rule === 'midpoint' || (k > 0 && k < steps) ? 1 / steps : 0.5 / steps)
  const path = new Float64Array(points * size)
  for (let k = 0; k < points; k++) for (let i = 0; i < size; i++) path[k * size + i] = baseline + alpha(k) * (image[i] - baseline)
  const { gradients } = inputGradients(copy, path, points, target, output)
  const attributions = new Float64Array(size)
  for (let k = 0; k < points; k++) {
    const w = weight(k)
    for (let i = 0; i < size; i++) attributions[i] += w * gradients[k * size + i]
  }
  let attributionSum = 0
  for (let i = 0; i < size; i++) {
    attributions[i] *= image[i] - baseline
    attributionSum += attributions[i]
  }
  const ends = new Float64Array(2 * size)
  ends.set(image)
  ends.fill(baseline, size)
  const [atImage, atBaseline] = classOutputs(copy, ends, 2, target, output)
  const outputDifference = atImage - atBaseline
  const gap = Math.abs(attributionSum - outputDifference)
  return { attributions, completeness: { attributionSum, outputDifference, relativeError: outputDifference === 0 ? gap : gap / Math.abs(outputDifference) } }
}
