import type { Param } from '../layers/layer'
import type { OptimizerState } from './state'

/** Updates parameters in place from their gradients; keeps its own state per parameter name. */
export interface Optimizer {
  step(params: readonly Param[]): void
  /** Its buffers and counters, live: a checkpoint reads them, a resumed run fills them (restoreCounters). */
  state(): OptimizerState
  restoreCounters(counters: Record<string, number>): void
}
