import { portableTanh } from '../core/portable-math'
import { ElementwiseActivation } from './elementwise'

/** tanh(x), differentiated through its output 1 − y². */
export class Tanh extends ElementwiseActivation {
  protected f(x: number): number {
    return portableTanh(x)
  }
  protected derivative(_x: number, y: number): number {
    return 1 - y * y
  }
}
