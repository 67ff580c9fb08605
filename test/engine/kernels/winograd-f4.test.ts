import { afterEach, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { setBackend, wasmF32Kernels } from '../../../src/engine/kernels/backend'
import { convGeometry } from '../../../src/engine/kernels/conv-shape'
import { directConv3x3, relativeError } from '../oracles/exact-conv3x3'
import { winogradF4Pays } from '../../../src/engine/kernels/f32/winograd-f4'

/*
 * Winograd's F(4×4, 3×3) (f32/winograd-f4.ts) against a float64 direct convolution of the same float32
 * operands: its error, as a share of the output's RMS, stays within what was measured for it (max ~2e-5
 * on cnn-deep's layers), and it is larger than F(2×2, 3×3)'s on the same operands (so the test sees F4 run).
 */
afterEach(() => setBackend('auto'))

// cnn-deep's 3×3 layers that F(4×4) takes (28×28; 14×14 with pad 2, 16×16 out; 8×8), on a few images,
// and an odd one (tiles per row not a multiple of four, pad 0).
const CASES: [string, number[], number, number][] = [
  ['16 → 16 on 28 × 28, pad 1', [3, 16, 28, 28], 16, 1],
  ['16 → 32 on 14 × 14, pad 2', [3, 16, 14, 14], 32, 2],
  ['32 → 64 on 8 × 8, pad 1', [2, 32, 8, 8], 64, 1],
  ['16 → 32 on 14 × 14, pad 1 (16 × 16 computed)', [3, 16, 14, 14], 32, 1],
  ['64 → 64 on 7 × 7, pad 1 (8 × 8 computed)', [2, 64, 7, 7], 64, 1],
  ['8 → 12 on 14 × 22, pad 0 (12 × 20 out)', [2, 8, 14, 22], 12, 0]
]

describe('float32 3×3 convolutions by F(4×4, 3×3) against float64 direct convolution', () => {
  it.each(CASES)("%s: max error within 5e-5 of the output RMS, above F(2×2, 3×3)'s", (_name, shape, filters, pad) => {
    setBackend('wasm')
    const kernels = wasmF32Kernels()!
    const random = new Random(11)
    const g = convGeometry(shape, 3, 3, 1, pad)
    expect(winogradF4Pays(g, filters)).toBe(true)
    const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal())
    const w = Float32Array.from({ length: filters * g.c * 9 }, () => random.normal() * Math.sqrt(2 / (9 * g.c)))
    const bias = Float32Array.from({ length: filters }, () => random.normal() * 0.1)
    const exact = directConv3x3(x, g, w, bias, filters)
    const f4 = new Float32Array(exact.length)
    const f2 = new Float32Array(exact.length)
    expect(kernels.convForwardWinogradF4(x, g, w, bias, f4, filters)).toBe(true)
    expect(kernels.convForwardWinograd(x, g, w, bias, f2, filters)).toBe(true)
    const e4 = relativeError(f4, exact)
    const e2 = relativeError(f2, exact)
    expect(e4).toBeLessThan(5e-5)
    expect(e4).toBeGreaterThan(e2)
  })

  it('is taken where it was measured to pay (7 × 7 and 14 × 14 maps too), not on 6 × 6 or 10 × 10 maps, filters not a multiple of 4, 5×5 windows', () => {
    expect(winogradF4Pays(convGeometry([1, 64, 7, 7], 3, 3, 1, 1), 64)).toBe(true)
    expect(winogradF4Pays(convGeometry([1, 16, 14, 14], 3, 3, 1, 1), 32)).toBe(true)
    expect(winogradF4Pays(convGeometry([1, 32, 6, 6], 3, 3, 1, 1), 32)).toBe(false)
    expect(winogradF4Pays(convGeometry([1, 32, 10, 10], 3, 3, 1, 1), 32)).toBe(false)
    expect(winogradF4Pays(convGeometry([1, 16, 28, 28], 3, 3, 1, 1), 10)).toBe(false)
    expect(winogradF4Pays(convGeometry([1, 16, 28, 28], 5, 5, 1, 2), 16)).toBe(false)
  })
})
