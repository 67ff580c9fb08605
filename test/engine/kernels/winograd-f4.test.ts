import { afterEach, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { setBackend, wasmF32Kernels } from '../../../src/engine/kernels/backend'
import { convGeometry, type ConvGeometry } from '../../../src/engine/kernels/conv-shape'
import { winogradF4Pays } from '../../../src/engine/kernels/f32/winograd-f4'

/*
 * Winograd's F(4×4, 3×3) (f32/winograd-f4.ts) against a float64 direct convolution of the same float32
 * operands: its error, as a share of the output's RMS, stays within what was measured for it (max ~2e-5
 * on cnn-deep's layers), and it is larger than F(2×2, 3×3)'s on the same operands (so the test sees F4 run).
 */
afterEach(() => setBackend('auto'))

function direct(x: Float32Array, g: ConvGeometry, w: Float32Array, bias: Float32Array, filters: number): Float64Array {
  const out = new Float64Array(g.n * filters * g.oh * g.ow)
  for (let n = 0; n < g.n; n++) {
    for (let f = 0; f < filters; f++) {
      for (let oy = 0; oy < g.oh; oy++) {
        for (let ox = 0; ox < g.ow; ox++) {
          let sum = bias[f]
          for (let c = 0; c < g.c; c++) {
            for (let i = 0; i < 3; i++) {
              const y = oy + i - g.pad
              if (y < 0 || y >= g.h) continue
              for (let j = 0; j < 3; j++) {
                const xx = ox + j - g.pad
                if (xx < 0 || xx >= g.w) continue
                sum += x[((n * g.c + c) * g.h + y) * g.w + xx] * w[((f * g.c + c) * 3 + i) * 3 + j]
              }
            }
          }
          out[((n * filters + f) * g.oh + oy) * g.ow + ox] = sum
        }
      }
    }
  }
  return out
}

/** Largest error as a share of the exact output's RMS. */
function relativeError(fast: Float32Array, exact: Float64Array): number {
  let squares = 0
  let worst = 0
  for (let i = 0; i < exact.length; i++) {
    squares += exact[i] * exact[i]
    worst = Math.max(worst, Math.abs(fast[i] - exact[i]))
  }
  return worst / Math.sqrt(squares / exact.length)
}

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
    const exact = direct(x, g, w, bias, filters)
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
