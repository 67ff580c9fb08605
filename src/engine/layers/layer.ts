import type { FloatArray, Precision } from '../core/dtype'
import { kernelFloats } from '../kernels/backend'
import type { Tensor } from '../core/tensor'

/** A trainable array and its gradient, addressed by a stable name such as `affine1.W`. */
export interface Param {
  readonly name: string
  readonly shape: readonly number[]
  readonly value: FloatArray
  readonly grad: FloatArray
  /** Weights take weight decay; biases and normalisation shifts do not. */
  readonly isWeight: boolean
}

export type Mode = 'train' | 'test'

/**
 * State a layer keeps besides its parameters that later steps depend on (batch norm's running
 * statistics): saved in checkpoints and models, so inference and a resumed run see exactly these values.
 */
export interface StateBuffer {
  readonly name: string
  readonly shape: readonly number[]
  readonly value: FloatArray
}

/**
 * One step of a network. `forward` keeps what `backward` needs; `backward` takes dLoss/dOutput and returns
 * dLoss/dInput, accumulating nothing: parameter gradients are overwritten on every call.
 */
export interface Layer {
  readonly name: string
  readonly params: readonly Param[]
  /** Non-parameter state (running statistics); absent when the layer has none. */
  readonly buffers?: readonly StateBuffer[]
  /** Shape of one sample's output given one sample's input shape; throws with both shapes when they do not connect. */
  outputShape(inputShape: readonly number[]): number[]
  forward(x: Tensor, mode: Mode): Tensor
  backward(dout: Tensor): Tensor
}

/**
 * A zeroed parameter and gradient in the run's precision (core/dtype.ts decides what that means); in
 * float32 they live in the kernels' memory, where products and optimizer updates use them in place.
 */
export function makeParam(name: string, shape: readonly number[], isWeight: boolean, precision: Precision): Param {
  const size = shape.reduce((a, b) => a * b, 1)
  return { name, shape: [...shape], value: kernelFloats(precision, size), grad: kernelFloats(precision, size), isWeight }
}
