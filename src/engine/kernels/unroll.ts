import { isFloat32, type FloatArray } from '../core/dtype'
import { col2im } from './col2im'
import type { ConvGeometry } from './conv-shape'
import { activeF32Kernels } from './gemm'
import { im2col } from './im2col'

/*
 * im2col and col2im wherever they run fastest: on the float32 kernels when the matrix lives in their
 * memory (kernelFloats), else the TypeScript loops. Both give the same bits (the same order of the same
 * float32 additions), so this changes speed only.
 */

export function unroll(x: FloatArray, g: ConvGeometry, col: FloatArray): void {
  if (isFloat32(x) && isFloat32(col) && activeF32Kernels()?.im2col(x, g, col)) return
  im2col(x, g, col)
}

export function fold(col: FloatArray, g: ConvGeometry, x: FloatArray): void {
  if (isFloat32(x) && isFloat32(col) && activeF32Kernels()?.col2im(col, g, x)) return
  col2im(col, g, x)
}
