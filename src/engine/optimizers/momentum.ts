import type { Param } from '../layers/layer'
import { updateOnKernels } from './kernel-update'
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
    for (const param of params) {
      const v = this.velocity.get(param)
      const { value, grad } = param
      if (updateOnKernels('momentumUpdate', [value, grad, v], [this.lr, this.momentum])) continue
      for (let i = 0; i < value.length; i++) {
        v[i] = this.momentum * v[i] - this.lr * grad[i]
        value[i] += v[i]
      }
    }
  }
}
