import type { Param } from '../layers/layer'
import { kernelsOf } from '../kernels/backend'
import type { Optimizer } from './optimizer'
import { PerParam } from './state'

/**
 * 'book': h ← h + g²;  p ← p − lr·g / (√h + 1e-7), h from 0.
 * 'course': the course answer's AdaGrad — on the first step h is set to θ (1e-4) without adding g²,
 * afterwards h ← h + g²; p ← p − lr·g / √h, with no ε.
 */
export type AdaGradVariant = 'book' | 'course'

const BOOK_EPSILON = 1e-7

export class AdaGrad implements Optimizer {
  private readonly h = new PerParam()
  private steps = 0

  constructor(
    readonly lr: number,
    readonly variant: AdaGradVariant,
    readonly initialH: number
  ) {}

  state() {
    return { slots: { h: this.h }, counters: { steps: this.steps } }
  }

  restoreCounters(counters: Record<string, number>): void {
    this.steps = counters.steps ?? 0
  }

  step(params: readonly Param[]): void {
    const rule = { course: this.variant === 'course', first: this.steps === 0, initialH: this.initialH, epsilon: BOOK_EPSILON }
    this.steps++
    for (const param of params) {
      const h = this.h.get(param)
      const { value, grad } = param
      kernelsOf(value).adagradUpdate(value, grad, h, this.lr, rule)
    }
  }
}
