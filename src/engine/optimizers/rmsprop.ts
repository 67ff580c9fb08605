import type { Param } from '../layers/layer'
import { kernelsOf } from '../kernels/backend'
import type { Optimizer } from './optimizer'
import { PerParam } from './state'

const EPSILON = 1e-7

/** h ← decay·h + (1 − decay)·g²;  p ← p − lr·g / (√h + 1e-7)  (h starts at 0) */
export class RmsProp implements Optimizer {
  private readonly h = new PerParam()

  constructor(
    readonly lr: number,
    readonly decay: number
  ) {}

  state() {
    return { slots: { h: this.h }, counters: {} }
  }

  restoreCounters(): void {}

  step(params: readonly Param[]): void {
    for (const param of params) {
      const h = this.h.get(param)
      const { value, grad } = param
      kernelsOf(value).rmspropUpdate(value, grad, h, this.lr, this.decay, EPSILON)
    }
  }
}
