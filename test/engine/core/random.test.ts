import { describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'

describe('Random', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const a = new Random(42)
    const b = new Random(42)
    const c = new Random(43)
    const draw = (r: Random) => Array.from({ length: 8 }, () => r.nextUint32())
    const fromA = draw(a)
    expect(draw(b)).toEqual(fromA)
    expect(draw(c)).not.toEqual(fromA)
  })

  it('pins the first values of seed 1, so a changed generator cannot pass unnoticed', () => {
    // Any change here changes every seeded run's numbers: saved runs would no longer replay.
    const r = new Random(1)
    expect(Array.from({ length: 4 }, () => r.nextUint32())).toMatchSnapshot()
  })

  it('draws uniform integers without bias and normals with mean 0, variance 1', () => {
    const r = new Random(7)
    const counts = new Array(10).fill(0)
    for (let i = 0; i < 100_000; i++) counts[r.int(10)]++
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500) // > 5 standard deviations
    let sum = 0
    let sumSq = 0
    const n = 200_000
    for (let i = 0; i < n; i++) {
      const z = r.normal()
      sum += z
      sumSq += z * z
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01)
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.02)
  })

  it('keeps uniform() in [0, 1) and rejects a bad range', () => {
    const r = new Random(3)
    for (let i = 0; i < 10_000; i++) {
      const u = r.uniform()
      expect(u >= 0 && u < 1).toBe(true)
    }
    expect(() => r.int(0)).toThrow(RangeError)
  })
})
