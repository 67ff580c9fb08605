import type { Param } from '../layers/layer'
import { updateOnKernels } from './kernel-update'
import type { Optimizer } from './optimizer'

/** p ← p − lr·g */
export class Sgd implements Optimizer {
  constructor(readonly lr: number) {}

  state() {
    return { slots: {}, counters: {} }
  }

  restoreCounters(): void {}

  step(params: readonly Param[]): void {
    const lr = this.lr
    for (const { value, grad } of params) {
      if (updateOnKernels('sgdUpdate', [value, grad], [lr])) continue
      for (let i = 0; i < value.length; i++) value[i] -= lr * grad[i]
    }
  }
}
