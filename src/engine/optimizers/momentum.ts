import type { FloatArray } from '../core/dtype'
import { kernelsOf } from '../kernels/backend'
import type { Param } from '../layers/layer'
import type { Optimizer } from './optimizer'
import { PerParam } from './state'

/** v ← momentum·v − lr·g;  p ← p + v  (v starts at 0) */
export class Momentum implements Optimizer {
  private readonly velocity = new PerParam()

  constructor(
    readonly lr: number,
    readonly momentum: number
  ) {}

  state() {
    return { slots: { velocity: this.velocity }, counters: {} }
  }

  restoreCounters(): void {}

  step(params: readonly Param[]): void {
    for (const param of params) this.update(param.value, param.grad, this.velocity.get(param))
  }

  protected update(p: FloatArray, g: FloatArray, v: FloatArray): void {
    kernelsOf(p).momentumUpdate(p, g, v, this.lr, this.momentum)
  }
}
