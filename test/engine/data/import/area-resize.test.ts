import { describe, expect, it } from 'vitest'
import { axisWeights, resizePlanes } from '../../../../src/engine/data/import/area-resize'
import type { Planes } from '../../../../src/engine/data/import/pixels'

const grey = (height: number, width: number, values: number[]): Planes => ({ channels: 1, height, width, data: Uint8Array.from(values) })

describe('area resize', () => {
  it('4×4 → 2×2 takes the mean of each 2×2 block, rounding half up', () => {
    // blocks: {0,2,4,6} → 3, {10,20,30,40} → 25, {1,2,3,4} → 2.5 → 3, {255,255,255,254} → 254.75 → 255
    const input = grey(4, 4, [0, 2, 10, 20, 4, 6, 30, 40, 1, 2, 255, 255, 3, 4, 255, 254])
    expect(Array.from(resizePlanes(input, 2, 2).data)).toEqual([3, 25, 3, 255])
  })

  it('3×3 → 2×2 weights the shared middle row and column by half', () => {
    // each output covers 1.5×1.5 inputs: weights 4 (whole pixel), 2 (half), 1 (quarter), over 9
    // (4·1 + 2·2 + 2·4 + 5)/9 = 21/9 → 2; (4·3 + 2·2 + 2·6 + 5)/9 = 33/9 → 4; 57/9 → 6; 69/9 → 8
    const input = grey(3, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(Array.from(resizePlanes(input, 2, 2).data)).toEqual([2, 4, 6, 8])
  })

  it('upscales 2 → 3 by the areas each output covers', () => {
    // output 0 covers input 0 wholly, output 1 half of each, output 2 input 1 wholly: 0, 50, 100
    expect(Array.from(resizePlanes(grey(1, 2, [0, 100]), 1, 3).data)).toEqual([0, 50, 100])
    // 3 → 2 on 10, 20, 41: (2·10 + 20)/3 = 13.3 → 13, (20 + 2·41)/3 = 34
    expect(Array.from(resizePlanes(grey(1, 3, [10, 20, 41]), 1, 2).data)).toEqual([13, 34])
  })

  it('resizes each plane of an RGB image on its own', () => {
    const rgb: Planes = { channels: 3, height: 2, width: 2, data: Uint8Array.from([0, 0, 0, 4, 10, 10, 10, 10, 255, 0, 255, 1]) }
    expect(Array.from(resizePlanes(rgb, 1, 1).data)).toEqual([1, 10, 128])
  })

  it('copies an image already at the size, and handles a ratio that is not a fraction of small integers', () => {
    const input = grey(2, 2, [1, 2, 3, 4])
    const same = resizePlanes(input, 2, 2)
    expect(Array.from(same.data)).toEqual([1, 2, 3, 4])
    expect(same.data).not.toBe(input.data)
    const flat = grey(7, 13, new Array(91).fill(77))
    expect(Array.from(resizePlanes(flat, 5, 11).data)).toEqual(new Array(55).fill(77))
  })

  it("each output's weights cover exactly the input length", () => {
    for (const [n, m] of [
      [28, 8],
      [8, 28],
      [1000, 64],
      [33, 32],
      [3, 7]
    ]) {
      const { count, offset, weights } = axisWeights(n, m)
      for (let o = 0; o < m; o++) {
        const sum = weights.subarray(offset[o], offset[o] + count[o]).reduce((a, b) => a + b, 0)
        expect(sum).toBe(n)
      }
    }
  })
})
