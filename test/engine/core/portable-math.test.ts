/**
 * The portable exp, log and pow: within an ulp or two of the platform's, exact where they must be, the
 * special cases right, and Math restored after withPortableMath (even when the function throws).
 */
import { describe, expect, it } from 'vitest'
import { portableExp, portableLog, portableNormal, portablePow, withPortableMath } from '../../../src/engine/core/portable-math'
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
    expect(() => withPortableMath(() => { throw new Error('boom') })).toThrow('boom')
    expect(Math.exp).toBe(exp)
    expect(Math.log2(8)).toBe(3)
  })
})
