/**
 * PCA to 2-D against hand-computed cases: axes, coordinates, variance shares and the sign rule; the wide
 * path (subspace iteration, more than 128 values per point) against the exact one.
 */
import { describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { pca2d } from '../../../src/engine/embed/pca'

describe('pca2d', () => {
  it('four points on two axes: the long axis first, coordinates as drawn, shares 8/10 and 2/10', () => {
    // Centred already; scatter matrix diag(8, 2, 0): PC1 = e1, PC2 = e2, both with a positive largest loading.
    const rows = Float64Array.from([2, 0, 0, -2, 0, 0, 0, 1, 0, 0, -1, 0])
    const { points, explained } = pca2d({ rows, count: 4, dimensions: 3 })
    expect(Array.from(points)).toEqual([2, 0, -2, 0, 0, 1, 0, -1].map((v) => expect.closeTo(v, 12)))
    expect(explained[0]).toBeCloseTo(0.8, 12)
    expect(explained[1]).toBeCloseTo(0.2, 12)
  })

  it('the same points turned and shifted in 3-D: the same coordinates, the axes found in their new directions', () => {
    // Rotation by 30° in the (x, y) plane, then by 45° in the (y, z) plane, then a shift: by hand,
    // e1 → (cos30, sin30·cos45, sin30·sin45) = (0.866, 0.354, 0.354), e2 → (−0.5, 0.612, 0.612).
    const c = Math.cos(Math.PI / 6)
    const s = Math.sin(Math.PI / 6)
    const h = Math.SQRT1_2
    const e1 = [c, s * h, s * h]
    const e2 = [-s, c * h, c * h]
    const shift = [5, -3, 7]
    // Σa = Σb = Σab = 0, Σa² = 12, Σb² = 3: PC1 = e1 (share 12/15), PC2 = e2 (share 3/15).
    const drawn: Array<[number, number]> = [
      [2, 0],
      [-2, 0],
      [0, 1],
      [0, -1],
      [1, 0.5],
      [-1, -0.5],
      [1, -0.5],
      [-1, 0.5]
    ]
    const rows = Float64Array.from(drawn.flatMap(([a, b]) => [0, 1, 2].map((k) => a * e1[k] + b * e2[k] + shift[k])))
    const { points, explained } = pca2d({ rows, count: drawn.length, dimensions: 3 })
    // Largest loading of e1 is +0.866 (x); of e2, +0.612 (y and z tie; the first wins): no sign flips.
    expect(Array.from(points)).toEqual(drawn.flat().map((v) => expect.closeTo(v, 10)))
    expect(explained[0]).toBeCloseTo(0.8, 12)
    expect(explained[1]).toBeCloseTo(0.2, 12)
  })

  it("a wide layer (subspace iteration) gives the narrow computation's answer", () => {
    const random = new Random(3)
    const n = 200
    const narrow = 100
    const wide = 300
    const rows = new Float64Array(n * narrow)
    // Decreasing spreads per column, so the top two directions are well apart from the rest.
    for (let i = 0; i < n; i++) for (let j = 0; j < narrow; j++) rows[i * narrow + j] = random.normal() * (j === 0 ? 10 : j === 1 ? 6 : 1 + 1 / (j + 1))
    const padded = new Float64Array(n * wide)
    // The same points in 300 dimensions: columns spread out, the others zero.
    for (let i = 0; i < n; i++) for (let j = 0; j < narrow; j++) padded[i * wide + 3 * j + 1] = rows[i * narrow + j]
    const a = pca2d({ rows, count: n, dimensions: narrow })
    const b = pca2d({ rows: padded, count: n, dimensions: wide })
    for (let k = 0; k < 2 * n; k++) expect(b.points[k]).toBeCloseTo(a.points[k], 6)
    expect(b.explained[0]).toBeCloseTo(a.explained[0], 10)
    expect(b.explained[1]).toBeCloseTo(a.explained[1], 10)
  })
})
