import { portableExp } from '../core/portable-math'
import { ElementwiseActivation } from './elementwise'

/** 1 / (1 + e^-x), differentiated through its output y·(1 − y). */
export class Sigmoid extends ElementwiseActivation {
  protected f(x: number): number {
    return 1 / (1 + portableExp(-x))
  }
  protected derivative(_x: number, y: number): number {
    return y * (1 - y)
  }
}
