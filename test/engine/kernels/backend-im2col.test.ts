import { describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { col2im } from '../../../src/engine/kernels/col2im'
import { convGeometry } from '../../../src/engine/kernels/conv-shape'
import { kernelFloats, kernelsFor, wasmF32Kernels } from '../../../src/engine/kernels/backend'
import { im2col } from '../../../src/engine/kernels/im2col'

/*
 * The float32 backend's im2col and col2im (on the kernels, with a matrix in their memory) against the TypeScript loops, the
 * course's oracle: the same bits, on windows inside the image, across the padding and past a stride.
 */
const GEOMETRIES: [number[], number, number, number, number][] = [
  // [input shape N, C, H, W], filter height, width, stride, pad
  [[2, 3, 7, 7], 3, 3, 1, 1],
  [[3, 2, 8, 6], 3, 2, 2, 1],
  [[1, 1, 28, 28], 5, 5, 1, 0],
  [[2, 4, 14, 14], 3, 3, 1, 2],
  [[5, 1, 4, 4], 4, 4, 1, 3],
  [[2, 2, 5, 5], 2, 2, 1, 3] // padding wider than the window: some windows lie wholly in it
]

describe('im2col / col2im on the float32 kernels', () => {
  it('run in the kernels when the matrix is theirs', () => {
    expect(wasmF32Kernels()).not.toBeNull()
    const col = kernelFloats('float32', 16) as Float32Array
    expect(wasmF32Kernels()!.isResident(col)).toBe(true)
  })

  it.each(GEOMETRIES)('%j, %i×%i, stride %i, pad %i: the same bits as the TypeScript loops', (shape, fh, fw, stride, pad) => {
    const random = new Random(3)
    const g = convGeometry(shape, fh, fw, stride, pad)
    const size = shape.reduce((a, b) => a * b, 1)
    const x = Float32Array.from({ length: size }, () => random.normal())
    const colSize = g.n * g.oh * g.ow * g.c * fh * fw
    const expected = new Float32Array(colSize)
    im2col(x, g, expected)
    const col = kernelFloats('float32', colSize) as Float32Array
    col.fill(Number.NaN)
    kernelsFor('float32').im2col(x, g, col)
    expect(Buffer.from(col.buffer, col.byteOffset, col.byteLength).equals(Buffer.from(expected.buffer))).toBe(true)

    for (let i = 0; i < colSize; i++) col[i] = expected[i] = random.normal()
    const back = new Float32Array(size)
    col2im(expected, g, back)
    const folded = new Float32Array(size).fill(Number.NaN)
    kernelsFor('float32').col2im(col, g, folded)
    expect(Buffer.from(folded.buffer).equals(Buffer.from(back.buffer))).toBe(true)
  })
})
