import type { Param } from '../layers/layer'

/** Updates parameters in place from their gradients; keeps its own state per parameter name. */
export interface Optimizer {
  step(params: readonly Param[]): void
}
