/**
 * The portable exp, log, pow, expm1, tanh and sin/cos: within an ulp or two of the platform's, exact where they must be, the
 * special cases right, and Math restored after withPortableMath (even when the function throws).
 */
import { describe, expect, it } from 'vitest'
import {
  portableExp,
  portableExpm1,
  portableLog,
  portableNormal,
  portablePow,
  portableSinCos,
  portableTanh,
  withPortableMath
} from '../../../src/engine/core/portable-math'
import { Random } from '../../../src/engine/core/random'

const ulps = (a: number, b: number): number => Math.abs(a - b) / (Number.EPSILON * Math.abs(b))

describe('portable math', () => {
  it('exp and log agree with the platform to an ulp over their ranges', () => {
    const random = new Random(1)
    for (let i = 0; i < 20000; i++) {
      const x = (random.uniform() - 0.5) * 1400
      expect(ulps(portableExp(x), Math.exp(x))).toBeLessThanOrEqual(1)
      const y = Math.exp((random.uniform() - 0.5) * 1400)
      expect(ulps(portableLog(y), Math.log(y)) * Math.abs(Math.log(y))).toBeLessThanOrEqual(1 + Math.abs(Math.log(y)))
    }
  })

  it('exact values and special cases', () => {
    expect(portableExp(0)).toBe(1)
    expect(portableLog(1)).toBe(0)
    expect(portableLog(2)).toBe(Math.LN2)
    expect(portableLog(0)).toBe(-Infinity)
    expect(portableLog(-1)).toBeNaN()
    expect(portableLog(5e-324)).toBeCloseTo(-744.44007192138, 9)
    expect(portableExp(800)).toBe(Infinity)
    expect(portableExp(-800)).toBe(0)
    expect(portableExp(-745)).toBe(5e-324)
    expect(portablePow(3, 2)).toBe(9)
    expect(portablePow(2, 0.5)).toBe(Math.SQRT2)
    expect(portablePow(-2, 3)).toBeCloseTo(-8, 12)
    expect(portablePow(-2, 0.5)).toBeNaN()
    expect(portablePow(0.3, 1.7)).toBeCloseTo(Math.pow(0.3, 1.7), 14)
  })

  it('expm1 and tanh agree with the platform to an ulp, and keep their special cases', () => {
    const random = new Random(3)
    for (let i = 0; i < 20000; i++) {
      // Spread over the decades from 1e-12 to 40, both signs: tiny, reduced and saturated arguments.
      const x = (random.uniform() < 0.5 ? -1 : 1) * Math.exp(-27.6 + random.uniform() * 31.3)
      expect(ulps(portableExpm1(x), Math.expm1(x))).toBeLessThanOrEqual(1)
      expect(ulps(portableTanh(x), Math.tanh(x))).toBeLessThanOrEqual(1)
      expect(portableTanh(-x)).toBe(-portableTanh(x))
    }
    expect(Object.is(portableTanh(-0), -0)).toBe(true)
    expect(portableTanh(1e-300)).toBe(1e-300)
    expect(portableTanh(30)).toBe(1)
    expect(portableTanh(-Infinity)).toBe(-1)
    expect(portableTanh(Number.NaN)).toBeNaN()
    expect(portableTanh(0.5)).toBeCloseTo(0.46211715726000974, 15)
    expect(portableExpm1(1e-20)).toBe(1e-20)
    expect(portableExpm1(-50)).toBe(-1)
    expect(portableExpm1(1)).toBeCloseTo(Math.E - 1, 15)
  })

  it('sin and cos over [−π, π] within 1e-15 of the platform, exact at 0', () => {
    expect(portableSinCos(0)).toEqual([0, 1])
    for (let i = -1000; i <= 1000; i++) {
      const theta = (i / 1000) * Math.PI
      const [sin, cos] = portableSinCos(theta)
      expect(Math.abs(sin - Math.sin(theta))).toBeLessThan(1e-15)
      expect(Math.abs(cos - Math.cos(theta))).toBeLessThan(1e-15)
    }
  })

  it('a normal from uniforms: mean 0, variance 1', () => {
    const random = new Random(2)
    const values = Array.from({ length: 50000 }, () => portableNormal(() => random.uniform()))
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length
    expect(Math.abs(mean)).toBeLessThan(0.02)
    expect(Math.abs(variance - 1)).toBeLessThan(0.03)
  })

  it('withPortableMath swaps Math.exp/log/pow in and puts the platform ones back, also after a throw', () => {
    const exp = Math.exp
    expect(withPortableMath(() => Math.exp === portableExp && Math.pow === portablePow)).toBe(true)
    expect(Math.exp).toBe(exp)
    expect(() =>
      withPortableMath(() => {
        throw new Error('boom')
      })
    ).toThrow('boom')
    expect(Math.exp).toBe(exp)
    expect(Math.log2(8)).toBe(3)
  })
})
