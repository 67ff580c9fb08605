import type { FloatArray } from '../../core/dtype'
import type { AdaGradRule } from '../backend'

/*
 * The optimizers' updates as loops over a parameter's elements, in float64 arithmetic and in the order
 * the course writes them (each line of a formula is a statement, its result stored before the next reads
 * it). The float32 kernels (assembly/f32/optimizer-updates.ts) do exactly these operations in this order.
 */

export function sgdUpdate(value: FloatArray, grad: FloatArray, lr: number): void {
  for (let i = 0; i < value.length; i++) value[i] -= lr * grad[i]
}

export function momentumUpdate(value: FloatArray, grad: FloatArray, v: FloatArray, lr: number, momentum: number): void {
  for (let i = 0; i < value.length; i++) {
    v[i] = momentum * v[i] - lr * grad[i]
    value[i] += v[i]
  }
}

export function nesterovUpdate(value: FloatArray, grad: FloatArray, v: FloatArray, lr: number, momentum: number): void {
  for (let i = 0; i < value.length; i++) {
    v[i] = momentum * v[i] - lr * grad[i]
    value[i] += momentum * momentum * v[i]
    value[i] -= (1 + momentum) * lr * grad[i]
  }
}

export function adagradUpdate(value: FloatArray, grad: FloatArray, h: FloatArray, lr: number, rule: AdaGradRule): void {
  for (let i = 0; i < value.length; i++) {
    if (rule.course) {
      h[i] = rule.first ? rule.initialH : h[i] + grad[i] * grad[i]
      value[i] -= (lr * grad[i]) / Math.sqrt(h[i])
    } else {
      h[i] += grad[i] * grad[i]
      value[i] -= (lr * grad[i]) / (Math.sqrt(h[i]) + rule.epsilon)
    }
  }
}

export function rmspropUpdate(value: FloatArray, grad: FloatArray, h: FloatArray, lr: number, decay: number, epsilon: number): void {
  for (let i = 0; i < value.length; i++) {
    h[i] *= decay
    h[i] += (1 - decay) * grad[i] * grad[i]
    value[i] -= (lr * grad[i]) / (Math.sqrt(h[i]) + epsilon)
  }
}

export function adamUpdate(
  value: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  lrT: number,
  beta1: number,
  beta2: number,
  epsilon: number
): void {
  for (let i = 0; i < value.length; i++) {
    const g = grad[i]
    m[i] += (1 - beta1) * (g - m[i])
    v[i] += (1 - beta2) * (g * g - v[i])
    value[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + epsilon)
  }
}
