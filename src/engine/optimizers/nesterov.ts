import type { Param } from '../layers/layer'
import { updateOnKernels } from './kernel-update'
import type { Optimizer } from './optimizer'
import { PerParam } from './state'

/**
 * Nesterov's accelerated gradient in the book's form:
 * v ← momentum·v − lr·g;  p ← p + momentum²·v − (1 + momentum)·lr·g
 */
export class Nesterov implements Optimizer {
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
    const { lr, momentum } = this
    for (const param of params) {
      const v = this.velocity.get(param)
      const { value, grad } = param
      if (updateOnKernels('nesterovUpdate', [value, grad, v], [lr, momentum])) continue
      for (let i = 0; i < value.length; i++) {
        v[i] = momentum * v[i] - lr * grad[i]
        value[i] += momentum * momentum * v[i]
        value[i] -= (1 + momentum) * lr * grad[i]
      }
    }
  }
}
