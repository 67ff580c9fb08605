import type { Regularization } from '../config/run-config'
import type { Param } from '../layers/layer'

/** The penalty added to the reported loss: ½·λ·Σw² (L2) or λ·Σ|w| (L1) over the given weights. */
export function regularizationPenalty(regularization: Regularization, weights: readonly Param[]): number {
  if (regularization.kind === 'none' || regularization.lambda === 0) return 0
  let sum = 0
  for (const { value } of weights) {
    if (regularization.kind === 'l2') for (let i = 0; i < value.length; i++) sum += value[i] * value[i]
    else for (let i = 0; i < value.length; i++) sum += Math.abs(value[i])
  }
  return regularization.kind === 'l2' ? 0.5 * regularization.lambda * sum : regularization.lambda * sum
}

/** Adds the penalty's gradient to each weight's gradient: λ·w (L2) or λ·sign(w) (L1). */
export function addRegularizationGradient(regularization: Regularization, weights: readonly Param[]): void {
  if (regularization.kind === 'none' || regularization.lambda === 0) return
  const { lambda } = regularization
  for (const { value, grad } of weights) {
    if (regularization.kind === 'l2') for (let i = 0; i < value.length; i++) grad[i] += lambda * value[i]
    else for (let i = 0; i < value.length; i++) grad[i] += lambda * Math.sign(value[i])
  }
}
