import type { Param } from '../layers/layer'
import { kernelsOf } from '../kernels/backend'
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
    for (const { value, grad } of params) kernelsOf(value).sgdUpdate(value, grad, lr)
  }
}
