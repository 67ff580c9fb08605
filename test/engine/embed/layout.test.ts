/**
 * Procrustes alignment: a layout turned, mirrored, scaled and shifted is put back exactly, with the
 * transformation recovered; with noise it is the least-squares fit; rounding keeps 4 significant digits.
 */
import { describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { procrustes, roundedPairs, scaleToSpread } from '../../../src/engine/embed/layout'

function layout(seed: number, n: number): Float64Array {
  const random = new Random(seed)
  return Float64Array.from({ length: 2 * n }, () => random.normal() * 3)
}

/** b = s·R(θ)·(mirrored a) + t, point by point. */
function transform(a: Float64Array, angle: number, scale: number, shift: [number, number], mirrored: boolean): Float64Array {
  const out = new Float64Array(a.length)
  for (let i = 0; i < a.length / 2; i++) {
    const x = a[2 * i]
    const y = mirrored ? -a[2 * i + 1] : a[2 * i + 1]
    out[2 * i] = scale * (Math.cos(angle) * x - Math.sin(angle) * y) + shift[0]
    out[2 * i + 1] = scale * (Math.sin(angle) * x + Math.cos(angle) * y) + shift[1]
  }
  return out
}

const residual = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, k) => s + (v - b[k]) ** 2, 0)

describe('procrustes', () => {
  it('recovers a known rotation, scale and shift: the moved layout lands on the fixed one', () => {
    const fixed = layout(1, 50)
    const moving = transform(fixed, 1.1, 2.5, [4, -7], false)
    const { points, angle, reflected, scale } = procrustes(fixed, moving)
    expect(reflected).toBe(false)
    expect(angle).toBeCloseTo(-1.1, 12)
    expect(scale).toBeCloseTo(1 / 2.5, 12)
    points.forEach((v, k) => expect(v).toBeCloseTo(fixed[k], 10))
  })

  it('recovers a reflection (t-SNE and UMAP may mirror a picture)', () => {
    const fixed = layout(2, 40)
    const moving = transform(fixed, -2.3, 0.5, [1, 1], true)
    const { points, reflected, scale } = procrustes(fixed, moving)
    expect(reflected).toBe(true)
    expect(scale).toBeCloseTo(2, 12)
    points.forEach((v, k) => expect(v).toBeCloseTo(fixed[k], 10))
  })

  it('with noise, no nearby rotation, scale or shift fits better (least squares)', () => {
    const fixed = layout(3, 60)
    const random = new Random(4)
    const moving = transform(fixed, 0.7, 1.3, [2, 3], false).map((v) => v + random.normal() * 0.5)
    const best = procrustes(fixed, moving)
    const bestResidual = residual(best.points, fixed)
    expect(bestResidual).toBeGreaterThan(0)
    for (let trial = 0; trial < 200; trial++) {
      const shift: [number, number] = [(random.uniform() - 0.5) * 0.1, (random.uniform() - 0.5) * 0.1]
      const nudged = transform(best.points, (random.uniform() - 0.5) * 0.1, 1 + (random.uniform() - 0.5) * 0.1, shift, false)
      expect(residual(nudged, fixed)).toBeGreaterThanOrEqual(bestResidual)
    }
  })

  it('scaleToSpread centres and scales both axes by one factor; roundedPairs keeps 4 significant digits', () => {
    const scaled = scaleToSpread(Float64Array.from([0, 0, 2, 0, 0, 4, 2, 4]), 1)
    expect(Array.from(scaled)).toEqual([-1, -2, 1, -2, -1, 2, 1, 2].map((v) => expect.closeTo(v / Math.sqrt(2.5), 12)))
    expect(roundedPairs(Float64Array.from([123.456789, -0.000123456, 0, 98765.4321]))).toEqual([
      [123.5, -0.0001235],
      [0, 98770]
    ])
  })
})
