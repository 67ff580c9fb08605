import { afterEach, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { setBackend, wasmF32Kernels } from '../../../src/engine/kernels/backend'
import { convGeometry } from '../../../src/engine/kernels/conv-shape'
import { exactWeightGradient3x3, relativeError } from '../oracles/exact-conv3x3'
import { keptTilesLength } from '../../../src/engine/kernels/f32/winograd-f4'

/*
 * The weight gradient with F(4×4, 3×3)'s transforms (f32/winograd-f4-gradient.ts) against float64 sums of
 * the same float32 operands: its error, as a share of dW's RMS, stays within what was measured for it, and
 * is larger than F(3×3, 2×2)'s on the same operands (so the test sees it run). From tiles the forward pass
 * kept, it gives the same bits as from tiles it turns itself.
 */
afterEach(() => setBackend('auto'))

// cnn-deep's 3×3 layers that F(4×4) takes, on a few images, and odd ones (maps not whole 4×4 blocks, pad 0).
const CASES: [string, number[], number, number][] = [
  ['16 → 16 on 28 × 28, pad 1', [3, 16, 28, 28], 16, 1],
  ['16 → 32 on 14 × 14, pad 2', [3, 16, 14, 14], 32, 2],
  ['32 → 64 on 8 × 8, pad 1', [2, 32, 8, 8], 64, 1],
  ['64 → 64 on 7 × 7, pad 1 (8 × 8 computed)', [2, 64, 7, 7], 64, 1],
  ['8 → 12 on 14 × 22, pad 0 (12 × 20 out)', [2, 8, 14, 22], 12, 0]
]

describe('float32 weight gradients with F(4×4, 3×3) transforms against float64 sums', () => {
  it.each(CASES)("%s: max error within 5e-5 of dW's RMS, above F(3×3, 2×2)'s; kept tiles give the same bits", (_name, shape, filters, pad) => {
    setBackend('wasm')
    const kernels = wasmF32Kernels()!
    const random = new Random(5)
    const g = convGeometry(shape, 3, 3, 1, pad)
    const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.max(0, random.normal()))
    const dout = Float32Array.from({ length: g.n * filters * g.oh * g.ow }, () => random.normal() * 0.01)
    const exact = exactWeightGradient3x3(x, g, dout, filters)
    const f4 = new Float32Array(exact.length)
    const f2 = new Float32Array(exact.length)
    expect(kernels.convWeightGradWinogradF4(x, g, dout, f4, filters, null)).toBe(true)
    expect(kernels.convWeightGradWinograd(x, g, dout, f2, filters)).toBe(true)
    const e4 = relativeError(f4, exact)
    const e2 = relativeError(f2, exact)
    expect(e4).toBeLessThan(5e-5)
    expect(e4).toBeGreaterThan(e2)

    // The forward pass's tiles, kept: the same dW bit for bit.
    const keep = kernels.resident(keptTilesLength(g))!
    const w = Float32Array.from({ length: filters * g.c * 9 }, () => random.normal() * 0.1)
    const out = new Float32Array(dout.length)
    expect(kernels.convForwardWinogradF4(x, g, w, new Float32Array(filters), out, filters, keep)).toBe(true)
    const fromKept = new Float32Array(exact.length)
    expect(kernels.convWeightGradWinogradF4(x, g, dout, fromKept, filters, keep)).toBe(true)
    expect(fromKept).toEqual(f4)
  })

  it('does not run where the forward pass does not take F(4×4, 3×3) (filters not a multiple of 4, 6 × 6 maps)', () => {
    setBackend('wasm')
    const kernels = wasmF32Kernels()!
    const g = convGeometry([1, 8, 6, 6], 3, 3, 1, 1)
    expect(kernels.convWeightGradWinogradF4(new Float32Array(8 * 36), g, new Float32Array(8 * 36), new Float32Array(8 * 8 * 9), 8, null)).toBe(false)
    const g10 = convGeometry([1, 8, 28, 28], 3, 3, 1, 1)
    expect(kernels.convWeightGradWinogradF4(new Float32Array(8 * 784), g10, new Float32Array(10 * 784), new Float32Array(10 * 8 * 9), 10, null)).toBe(false)
  })
})
