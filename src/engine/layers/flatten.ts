import { Tensor } from '../core/tensor'
import type { Layer, Param } from './layer'

/** (N, C, H, W) → (N, C·H·W) and back: the same numbers under another shape, no copy. */
export class Flatten implements Layer {
  readonly params: readonly Param[] = []
  private inputShape: readonly number[] = []
  private out: Tensor | undefined
  private dx: Tensor | undefined

  constructor(readonly name: string) {}

  outputShape(inputShape: readonly number[]): number[] {
    return [inputShape.reduce((a, b) => a * b, 1)]
  }

  forward(x: Tensor): Tensor {
    this.inputShape = x.shape
    // The view is rebuilt only when the buffer underneath changes, which in a steady loop it does not.
    if (!this.out || this.out.data !== x.data) this.out = new Tensor([x.rows, x.cols], x.data)
    return this.out
  }

  backward(dout: Tensor): Tensor {
    if (!this.dx || this.dx.data !== dout.data) this.dx = new Tensor([...this.inputShape], dout.data)
    return this.dx
  }
}
