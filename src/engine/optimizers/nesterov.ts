import type { FloatArray } from '../core/dtype'
import { kernelsOf } from '../kernels/backend'
import { Momentum } from './momentum'

/**
 * Nesterov's accelerated gradient in the book's form, with momentum's velocity:
 * v ← momentum·v − lr·g;  p ← p + momentum²·v − (1 + momentum)·lr·g
 */
export class Nesterov extends Momentum {
  protected override update(p: FloatArray, g: FloatArray, v: FloatArray): void {
    kernelsOf(p).nesterovUpdate(p, g, v, this.lr, this.momentum)
  }
}
