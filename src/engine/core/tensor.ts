import { allocateFloats, precisionOf, type FloatArray, type Precision } from './dtype'

/**
 * A dense array with a shape, row-major, in the run's precision (core/dtype.ts): float32 by default,
 * float64 for the course's precision. Images stay bytes until a batch is formed.
 */
export class Tensor {
  constructor(
    readonly shape: readonly number[],
    readonly data: FloatArray
  ) {
    if (data.length !== sizeOf(shape)) {
      throw new RangeError(`Tensor: shape [${shape.join(', ')}] needs ${sizeOf(shape)} values, got ${data.length}`)
    }
  }

  static zeros(shape: readonly number[], precision: Precision): Tensor {
    return new Tensor([...shape], allocateFloats(precision, sizeOf(shape)))
  }

  get precision(): Precision {
    return precisionOf(this.data)
  }

  /** Rows = first dimension; cols = everything else flattened (how Affine sees its input). */
  get rows(): number {
    return this.shape[0]
  }

  get cols(): number {
    return this.data.length / this.shape[0]
  }

  /** The same data under another shape of equal size (no copy). */
  reshape(shape: readonly number[]): Tensor {
    return new Tensor([...shape], this.data)
  }
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1
  for (const d of shape) n *= d
  return n
}

/**
 * Returns `current` when it already has `shape` and `precision`, otherwise a fresh zeroed tensor: layers
 * keep their output and gradient buffers between steps, so a steady training loop allocates nothing.
 */
export function reuse(current: Tensor | undefined, shape: readonly number[], precision: Precision): Tensor {
  if (current && sameShape(current.shape, shape) && current.precision === precision) return current
  return Tensor.zeros(shape, precision)
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i])
}
