import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { col2im } from '../../../src/engine/kernels/col2im'
import { colCols, colRows, convGeometry, convOutputSize, type ConvGeometry } from '../../../src/engine/kernels/conv-shape'
import { im2col } from '../../../src/engine/kernels/im2col'

interface NumpyCase {
  name: string
  input: number[][][][]
  fh: number
  fw: number
  stride: number
  pad: number
  col: number[][]
  col2im: number[][][][]
}

/** Computed once with numpy by fixtures/make-im2col-fixtures.py, from the course's definition. */
const NUMPY_CASES = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/im2col-numpy.json'), 'utf8')) as NumpyCase[]

const shapeOf = (x: number[][][][]) => [x.length, x[0].length, x[0][0].length, x[0][0][0].length]

function unroll(x: Float64Array, g: ConvGeometry): Float64Array {
  const col = new Float64Array(colRows(g) * colCols(g))
  im2col(x, g, col)
  return col
}

function rollBack(col: Float64Array, g: ConvGeometry): Float64Array {
  const x = new Float64Array(g.n * g.c * g.h * g.w)
  col2im(col, g, x)
  return x
}

describe("im2col and col2im equal the course's numpy, value for value", () => {
  it.each(NUMPY_CASES)('$name', (c) => {
    const g = convGeometry(shapeOf(c.input), c.fh, c.fw, c.stride, c.pad)
    const col = unroll(Float64Array.from(c.input.flat(3)), g)
    expect([colRows(g), colCols(g)]).toEqual([c.col.length, c.col[0].length])
    expect(Array.from(col)).toEqual(c.col.flat())
    expect(Array.from(rollBack(col, g))).toEqual(c.col2im.flat(3))
  })

  it('the 2_6 demo: two 1×4×4 images, 3×3 windows, stride 1, pad 0 → an (8, 9) matrix whose rows are the windows', () => {
    const demo = NUMPY_CASES[0]
    const g = convGeometry([2, 1, 4, 4], 3, 3, 1, 0)
    expect([colRows(g), colCols(g)]).toEqual([8, 9])
    const col = unroll(Float64Array.from(demo.input.flat(3)), g)
    // Row 3 is image 0's window at output (1, 1): input rows 1–3, columns 1–3.
    const image = demo.input[0][0]
    expect(Array.from(col.subarray(27, 36))).toEqual([1, 2, 3].flatMap((y) => [1, 2, 3].map((x) => image[y][x])))
  })
})

describe('col2im(im2col(ones)) counts the windows covering each pixel', () => {
  it('3×3 windows on 4×4: corners ×1, edges ×2, centre ×4', () => {
    const g = convGeometry([1, 1, 4, 4], 3, 3, 1, 0)
    const counts = rollBack(unroll(new Float64Array(16).fill(1), g), g)
    expect(Array.from(counts)).toEqual([1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1])
  })

  it('with padding, windows also count where they overlap the zero border; stride 2 leaves gaps', () => {
    const padded = convGeometry([1, 1, 3, 3], 3, 3, 1, 1)
    expect(Array.from(rollBack(unroll(new Float64Array(9).fill(1), padded), padded))).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4])
    const strided = convGeometry([1, 1, 5, 5], 2, 2, 2, 0)
    // Windows at 0 and 2 in each direction; the last row and column are never read.
    expect(Array.from(rollBack(unroll(new Float64Array(25).fill(1), strided), strided))).toEqual([
      1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0
    ])
  })
})

describe('exact small cases', () => {
  it('one 3×3 image, 2×2 windows, stride 1: four rows, columns in (row, column) order', () => {
    const g = convGeometry([1, 1, 3, 3], 2, 2, 1, 0)
    expect(Array.from(unroll(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), g))).toEqual([1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9])
  })

  it("two channels: a row holds channel 0's window, then channel 1's", () => {
    const g = convGeometry([1, 2, 2, 2], 2, 2, 1, 0)
    expect(Array.from(unroll(Float64Array.from([1, 2, 3, 4, 10, 20, 30, 40]), g))).toEqual([1, 2, 3, 4, 10, 20, 30, 40])
  })

  it('padding reads as zeros: a 1×1 image with pad 1 and 2×2 windows', () => {
    const g = convGeometry([1, 1, 1, 1], 2, 2, 1, 1)
    expect([g.oh, g.ow]).toEqual([2, 2])
    expect(Array.from(unroll(Float64Array.from([7]), g))).toEqual([0, 0, 0, 7, 0, 0, 7, 0, 0, 7, 0, 0, 7, 0, 0, 0])
  })
})

describe('col2im is the adjoint of im2col: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩', () => {
  const settings = [0, 1, 2].flatMap((pad) => [1, 2].map((stride) => ({ pad, stride })))
  it.each(settings)('random shapes, pad $pad, stride $stride', ({ pad, stride }) => {
    const random = new Random(500 + pad * 10 + stride)
    for (let trial = 0; trial < 5; trial++) {
      const pick = (lo: number, hi: number) => lo + random.int(hi - lo + 1)
      const fh = pick(1, 4)
      const fw = pick(1, 4)
      const shape = [pick(1, 3), pick(1, 3), pick(Math.max(1, fh - 2 * pad), 8), pick(Math.max(1, fw - 2 * pad), 8)]
      const g = convGeometry(shape, fh, fw, stride, pad)
      const x = Float64Array.from({ length: shape.reduce((a, b) => a * b) }, () => random.normal())
      const y = Float64Array.from({ length: colRows(g) * colCols(g) }, () => random.normal())
      const col = unroll(x, g)
      const back = rollBack(y, g)
      let left = 0
      let right = 0
      for (let i = 0; i < y.length; i++) left += col[i] * y[i]
      for (let i = 0; i < x.length; i++) right += x[i] * back[i]
      expect(Math.abs(left - right), `[${shape}] ${fh}×${fw}`).toBeLessThan(1e-10 * Math.max(1, Math.abs(left)))
    }
  })
})

describe('output size and bad windows', () => {
  it('uses (H + 2·pad − FH) // stride + 1', () => {
    expect(convOutputSize(28, 5, 1, 0)).toBe(24)
    expect(convOutputSize(28, 7, 1, 1)).toBe(24)
    expect(convOutputSize(14, 3, 1, 2)).toBe(16)
    expect(convOutputSize(5, 2, 2, 0)).toBe(2)
  })

  it.each([
    [[1, 1, 4, 4], 5, 5, 1, 0, /a 5×5 window does not fit the padded input 4×4/],
    [[1, 1, 4, 4], 3, 3, 0, 0, /stride must be at least 1, got 0/],
    [[1, 1, 4, 4], 3, 3, 1, -1, /padding must be 0 or more/],
    [[1, 4, 4], 3, 3, 1, 0, /expected an \(N, C, H, W\) input, got shape \[1, 4, 4\]/]
  ])('rejects %j with a %i×%i window, stride %i, pad %i', (shape, fh, fw, stride, pad, message) => {
    expect(() => convGeometry(shape, fh, fw, stride, pad)).toThrow(message)
  })
})
