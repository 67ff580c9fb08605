import { afterEach, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { setBackend, wasmF32Kernels } from '../../../src/engine/kernels/backend'

/*
 * F(4×4, 3×3)'s filter transform (winogradF4Filters, assembly/f32/winograd-f4.ts): U[ξν][c][f] = (G g Gᵀ)[ξ][ν],
 * in float64 and rounded once. The kernel takes two filters at a time, one per float64 lane, and a last odd one
 * alone; each must give what the one-filter float64 operations written here give (JavaScript's numbers are
 * float64, so this reference is exact), bit for bit, for any range of filters, touching no other filter's values.
 */
afterEach(() => setBackend('auto'))

// Row i of G times (a, b, c), the kernel's operations in its order.
const G: ((a: number, b: number, c: number) => number)[] = [
  (a) => a / 4,
  (a, b, c) => -(a + b + c) / 6,
  (a, b, c) => -(a - b + c) / 6,
  (a, b, c) => a / 24 + b / 12 + c / 6,
  (a, b, c) => a / 24 - b / 12 + c / 6,
  (_a, _b, c) => c
]

function reference(w: Float32Array, channels: number, filters: number, fStart: number, fEnd: number, u: Float32Array): void {
  for (let f = fStart; f < fEnd; f++) {
    for (let c = 0; c < channels; c++) {
      const g = (i: number) => w[(f * channels + c) * 9 + i]
      for (let xi = 0; xi < 6; xi++) {
        const x = G[xi](g(0), g(3), g(6)),
          y = G[xi](g(1), g(4), g(7)),
          z = G[xi](g(2), g(5), g(8))
        for (let nu = 0; nu < 6; nu++) u[(xi * 6 + nu) * channels * filters + c * filters + f] = Math.fround(G[nu](x, y, z))
      }
    }
  }
}

function kernel(w: Float32Array, channels: number, filters: number, fStart: number, fEnd: number, marker: Float32Array): Float32Array {
  const mem = wasmF32Kernels()!
  const [wAt, uAt] = mem.layout([
    [w, w.length],
    [marker, marker.length]
  ])!
  mem.put(w, wAt, w.length)
  mem.put(marker, uAt, marker.length)
  mem.kernels.winogradF4Filters(wAt, uAt, channels, filters, fStart, fEnd)
  const u = new Float32Array(marker.length)
  mem.take(u, uAt, u.length)
  return u
}

describe('F(4×4, 3×3) filter transform against float64 one filter at a time, bit for bit', () => {
  it.each([
    [16, 16],
    [1, 16],
    [32, 64],
    [3, 5],
    [2, 1]
  ])('%i channels, %i filters, whole and odd ranges', (channels, filters) => {
    setBackend('wasm')
    const random = new Random(5)
    // Normal weights with exact zeros, negative zeros, tiny and large ones (rounding and signs of zero show).
    const w = Float32Array.from({ length: filters * channels * 9 }, (_, i) =>
      i % 11 === 0 ? 0 : i % 13 === 0 ? -0 : random.normal() * (i % 7 === 0 ? 1e-30 : i % 5 === 0 ? 3e4 : 1)
    )
    const marker = new Float32Array(36 * channels * filters).fill(777.25)
    const ranges = [
      [0, filters],
      [1, filters],
      [0, filters - 1],
      [1, Math.min(filters, 2)],
      [filters - 1, filters]
    ].filter(([start, end]) => start < end)
    for (const [fStart, fEnd] of ranges) {
      const expected = marker.slice()
      reference(w, channels, filters, fStart, fEnd, expected)
      const u = kernel(w, channels, filters, fStart, fEnd, marker)
      const at = u.findIndex((value, i) => !Object.is(value, expected[i]))
      expect(at === -1 ? null : { at, value: u[at] }, `filters [${fStart}, ${fEnd})`).toEqual(at === -1 ? null : { at, value: expected[at] })
    }
  })
})
