import { ElementwiseActivation } from './elementwise'

/** max(0, x); the gradient is cut where x <= 0, as the course's mask does. */
export class Relu extends ElementwiseActivation {
  protected f(x: number): number {
    return x > 0 ? x : 0
  }
  protected derivative(x: number): number {
    return x > 0 ? 1 : 0
  }
}
