/**
 * A dense float64 array with a shape, row-major. Float64 because the course computes in float64 and
 * gradient checks need the headroom; images stay bytes until a batch is formed.
 */
export class Tensor {
  constructor(
    readonly shape: readonly number[],
    readonly data: Float64Array
  ) {
    if (data.length !== sizeOf(shape)) {
      throw new RangeError(`Tensor: shape [${shape.join(', ')}] needs ${sizeOf(shape)} values, got ${data.length}`)
    }
  }

  static zeros(shape: readonly number[]): Tensor {
    return new Tensor([...shape], new Float64Array(sizeOf(shape)))
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
 * Returns `current` when it already has `shape`, otherwise a fresh zeroed tensor: layers keep their
 * output and gradient buffers between steps, so a steady training loop allocates nothing.
 */
export function reuse(current: Tensor | undefined, shape: readonly number[]): Tensor {
  if (current && sameShape(current.shape, shape)) return current
  return Tensor.zeros(shape)
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i])
}
