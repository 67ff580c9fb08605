import { portablePow } from '../core/portable-math'
import type { Param } from '../layers/layer'
import { kernelsOf } from '../kernels/backend'
import type { Optimizer } from './optimizer'
import { PerParam } from './state'

const EPSILON = 1e-7

/**
 * Adam as the course and the book write it: the bias correction is folded into the step size,
 * lr_t = lr·√(1 − β2^t) / (1 − β1^t), and ε = 1e-7 sits outside the square root unscaled.
 * m ← m + (1 − β1)(g − m);  v ← v + (1 − β2)(g² − v);  p ← p − lr_t·m / (√v + ε)
 */
export class Adam implements Optimizer {
  private readonly m = new PerParam()
  private readonly v = new PerParam()
  private t = 0

  constructor(
    readonly lr: number,
    readonly beta1: number,
    readonly beta2: number
  ) {}

  state() {
    return { slots: { m: this.m, v: this.v }, counters: { t: this.t } }
  }

  restoreCounters(counters: Record<string, number>): void {
    this.t = counters.t ?? 0
  }

  step(params: readonly Param[]): void {
    this.t++
    const lrT = (this.lr * Math.sqrt(1 - portablePow(this.beta2, this.t))) / (1 - portablePow(this.beta1, this.t))
    for (const param of params) {
      const m = this.m.get(param)
      const v = this.v.get(param)
      const { value, grad } = param
      kernelsOf(value).adamUpdate(value, grad, m, v, lrT, this.beta1, this.beta2, EPSILON)
    }
  }
}
