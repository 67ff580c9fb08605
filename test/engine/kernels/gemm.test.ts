import { describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { matmul, matmulTransA, matmulTransB } from '../../../src/engine/kernels/backend'

function naive(a: Float64Array, b: Float64Array, m: number, k: number, n: number, at = false, bt = false): Float64Array {
  const c = new Float64Array(m * n)
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let p = 0; p < k; p++) s += (at ? a[p * m + i] : a[i * k + p]) * (bt ? b[j * k + p] : b[p * n + j])
      c[i * n + j] = s
    }
  return c
}

function sparseRandom(size: number, random: Random): Float64Array {
  return Float64Array.from({ length: size }, () => (random.uniform() < 0.6 ? 0 : random.normal()))
}

// Equal to the last bit: the kernels keep the naive loop's summation order (skipped zeros add nothing).
describe('matrix products agree with the naive triple loop', () => {
  const random = new Random(5)
  it.each([
    [1, 1, 1],
    [3, 7, 5],
    [17, 33, 9],
    [64, 10, 40],
    [6, 9, 11],
    [13, 5, 2]
  ])('m=%i k=%i n=%i', (m, k, n) => {
    const a = sparseRandom(m * k, random)
    const b = sparseRandom(k * n, random)
    const c = new Float64Array(m * n).fill(123) // stale contents must be overwritten
    matmul(a, b, c, m, k, n)
    const expected = naive(a, b, m, k, n)
    for (let i = 0; i < c.length; i++) expect(c[i]).toBe(expected[i])

    // Aᵀ·B with A (k×m): the weight-gradient shape.
    const at = sparseRandom(k * m, random)
    const ct = new Float64Array(m * n).fill(-5)
    matmulTransA(at, b, ct, k, m, n)
    const expectedT = naive(at, b, m, k, n, true)
    for (let i = 0; i < ct.length; i++) expect(ct[i]).toBe(expectedT[i])

    // A·Bᵀ with B (n×k): the input-gradient shape.
    const bt = sparseRandom(n * k, random)
    const cb = new Float64Array(m * n).fill(7)
    matmulTransB(a, bt, cb, m, k, n)
    const expectedB = naive(a, bt, m, k, n, false, true)
    for (let i = 0; i < cb.length; i++) expect(cb[i]).toBe(expectedB[i])
  })
})
