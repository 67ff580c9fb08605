import { precisionOf, type FloatArray } from '../core/dtype'
import { kernelFloats } from '../kernels/backend'
import type { Param } from '../layers/layer'

/** One zero-initialised buffer per parameter, created on first use (an optimizer's v, h, m, …). */
export class PerParam {
  private readonly buffers = new Map<Param, FloatArray>()

  get(param: Param): FloatArray {
    let buffer = this.buffers.get(param)
    if (!buffer) {
      buffer = kernelFloats(precisionOf(param.value), param.value.length)
      this.buffers.set(param, buffer)
    }
    return buffer
  }

  /** The buffers created so far, by parameter (a checkpoint saves exactly these). */
  entries(): [Param, FloatArray][] {
    return [...this.buffers.entries()]
  }

  /** Puts saved values back (a resumed run); the buffer takes the parameter's dtype. */
  load(param: Param, values: ArrayLike<number>): void {
    this.get(param).set(values)
  }
}

/**
 * Everything an optimizer's next step depends on besides the parameters: per-parameter buffers by slot
 * name ('velocity', 'm', 'v', 'h') and step counters ('t', 'steps').
 */
export interface OptimizerState {
  slots: Record<string, PerParam>
  counters: Record<string, number>
}
