import type { Tensor } from '../core/tensor'
import { convGeometry, fitsGeometry, windowedSize, windowSettingsProblem, type ConvGeometry } from '../kernels/conv-shape'
import type { Layer, Mode, Param } from './layer'

/**
 * What max and average pooling share: size×size windows of each channel with a stride and zero padding,
 * placed as im2col places them, and the geometry cached for the input shape last seen.
 */
export abstract class PoolWindow implements Layer {
  readonly params: readonly Param[] = []
  protected geometry: ConvGeometry | undefined

  constructor(
    readonly name: string,
    readonly size: number,
    readonly stride: number,
    readonly pad: number
  ) {
    const problem = windowSettingsProblem(size, size, stride, pad)
    if (problem) throw new RangeError(`${name}: ${problem}`)
  }

  outputShape(inputShape: readonly number[]): number[] {
    try {
      return [inputShape[0], ...windowedSize(inputShape, this.size, this.size, this.stride, this.pad)]
    } catch (error) {
      throw new RangeError(`${this.name}: ${(error as Error).message}`)
    }
  }

  abstract forward(x: Tensor, mode: Mode): Tensor
  abstract backward(dout: Tensor): Tensor

  protected geometryOf(shape: readonly number[]): ConvGeometry {
    const g = this.geometry
    if (g && fitsGeometry(shape, g)) return g
    return (this.geometry = convGeometry(shape, this.size, this.size, this.stride, this.pad))
  }
}
