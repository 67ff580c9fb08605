import { Tensor, reuse } from '../core/tensor'
import type { Layer, Mode, Param } from './layer'

/**
 * How dropout scales. 'inverted' (the usual choice): kept units are scaled by 1/(1−p) in training, nothing
 * changes at test time. 'course': the course's Dropout — kept units unscaled in training, every unit
 * multiplied by (1−p) at test time. Both have the same expected output.
 */
export type DropoutMode = 'inverted' | 'course'

/** Anything that draws uniform numbers in [0, 1): the run's generator, or a scripted one in tests. */
export interface UniformSource {
  uniform(): number
}

/** Zeroes each unit with probability `ratio` in training (keeps it where a uniform draw is > ratio, as the course does). */
export class Dropout implements Layer {
  readonly params: readonly Param[] = []
  private mask: Uint8Array = new Uint8Array(0)
  private out: Tensor | undefined
  private dx: Tensor | undefined

  constructor(
    readonly name: string,
    readonly ratio: number,
    readonly mode: DropoutMode,
    private readonly random: UniformSource
  ) {
    if (!(ratio >= 0 && ratio < 1)) throw new RangeError(`${name}: dropout ratio must be in [0, 1), got ${ratio}`)
  }

  outputShape(inputShape: readonly number[]): number[] {
    return [...inputShape]
  }

  forward(x: Tensor, mode: Mode): Tensor {
    const out = (this.out = reuse(this.out, x.shape, x.precision))
    const n = x.data.length
    if (mode === 'test') {
      const scale = this.mode === 'course' ? 1 - this.ratio : 1
      for (let i = 0; i < n; i++) out.data[i] = x.data[i] * scale
      return out
    }
    if (this.mask.length !== n) this.mask = new Uint8Array(n)
    const keepScale = this.mode === 'inverted' ? 1 / (1 - this.ratio) : 1
    for (let i = 0; i < n; i++) {
      const keep = this.random.uniform() > this.ratio ? 1 : 0
      this.mask[i] = keep
      out.data[i] = keep ? x.data[i] * keepScale : 0
    }
    return out
  }

  backward(dout: Tensor): Tensor {
    const dx = (this.dx = reuse(this.dx, dout.shape, dout.precision))
    const keepScale = this.mode === 'inverted' ? 1 / (1 - this.ratio) : 1
    for (let i = 0; i < dout.data.length; i++) dx.data[i] = this.mask[i] ? dout.data[i] * keepScale : 0
    return dx
  }
}
