import { describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import * as oracle from '../../../src/engine/kernels/gemm-ts'
import { createWasmGemm, type GemmKernels } from '../../../src/engine/kernels/f64/products'

// The wasm kernels against the TypeScript ones they replace: equal to the last bit (`toBe` is Object.is,
// so +0 and -0 differ; every NaN counts as equal, as neither JavaScript nor wasm fixes NaN payloads).
const wasm = createWasmGemm() as GemmKernels
const random = new Random(2024)

type Fill = 'dense' | 'sparse' | 'mnist' | 'special'

/** Values with the features that decide skipping and rounding: exact zeros of both signs, tiny products, Inf/NaN. */
function matrix(size: number, fill: Fill): Float64Array {
  return Float64Array.from({ length: size }, () => {
    const u = random.uniform()
    if (fill === 'dense') return random.normal()
    if (fill === 'sparse') return u < 0.6 ? 0 : random.normal()
    if (fill === 'mnist') return u < 0.8 ? 0 : random.uniform()
    if (u < 0.3) return 0
    if (u < 0.35) return -0
    if (u < 0.4) return [Infinity, -Infinity, NaN][random.int(3)]
    if (u < 0.45) return random.normal() * 1e-200 // products underflow to ±0
    return random.normal()
  })
}

/** Runs `product` on both kernels with padded, stale output buffers and inputs longer than needed. */
function expectSame(label: string, size: number, product: (k: GemmKernels, out: Float64Array) => void): void {
  const expected = new Float64Array(size + 3).fill(123.5)
  const actual = new Float64Array(size + 3).fill(-77)
  expected.fill(-77, size) // beyond the result both must stay untouched
  product(oracle, expected)
  product(wasm, actual)
  for (let i = 0; i < size + 3; i++) {
    if (!Object.is(actual[i], expected[i])) expect(actual[i], `${label} at ${i}`).toBe(expected[i])
  }
}

function check(m: number, k: number, n: number, left: Fill, right: Fill): void {
  const label = `m=${m} k=${k} n=${n} ${left}·${right}`
  const pad = (x: Float64Array) => Float64Array.from([...x, 9, 9]) // kernels must read only m·k etc.
  const a = pad(matrix(m * k, left))
  const b = pad(matrix(k * n, right))
  expectSame(`matmul ${label}`, m * n, (g, c) => g.matmul(a, b, c, m, k, n))
  const at = pad(matrix(m * k, left))
  const bt = pad(matrix(m * n, right))
  expectSame(`matmulTransA ${label}`, k * n, (g, c) => g.matmulTransA(at, bt, c, m, k, n))
  const ab = pad(matrix(m * n, left))
  const bb = pad(matrix(k * n, right))
  expectSame(`matmulTransB ${label}`, m * k, (g, c) => g.matmulTransB(ab, bb, c, m, n, k))
}

describe('wasm gemm equals the TypeScript kernels bit for bit', () => {
  it('is available in Node 20', () => {
    expect(wasm).toBeDefined()
  })

  const edges = [0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 17]
  it('every combination of small and edge sizes (including 0 and 1), sparse × dense', () => {
    for (const m of edges) for (const k of edges) for (const n of edges) check(m, k, n, 'sparse', 'dense')
  }, 20_000)

  it.each<[Fill, Fill]>([
    ['dense', 'dense'],
    ['mnist', 'dense'],
    ['sparse', 'sparse'],
    ['special', 'dense'],
    ['sparse', 'special'],
    ['special', 'special']
  ])('200 random shapes up to 40, %s × %s', (left, right) => {
    for (let t = 0; t < 200; t++) check(1 + random.int(40), 1 + random.int(40), 1 + random.int(40), left, right)
  })

  // Zeros on the left lined up with Inf/NaN on the right: the skip rule decides whether NaN appears.
  it('skips exactly the zero terms the TypeScript kernels skip, even against Inf and NaN', () => {
    for (let t = 0; t < 60; t++) {
      const [m, k, n] = [1 + random.int(13), 1 + random.int(13), 1 + random.int(13)]
      const a = Float64Array.from({ length: m * k }, () => (random.uniform() < 0.7 ? 0 : 1))
      const b = Float64Array.from({ length: Math.max(k, m) * n }, () => (random.uniform() < 0.2 ? Infinity : random.uniform() < 0.2 ? NaN : 2))
      expectSame(`matmul ${m} ${k} ${n}`, m * n, (g, c) => g.matmul(a, b, c, m, k, n))
      expectSame(`matmulTransA ${m} ${k} ${n}`, k * n, (g, c) => g.matmulTransA(a, b, c, m, k, n))
      const w = Float64Array.from({ length: m * k }, () => (random.uniform() < 0.2 ? -Infinity : 3)) // B: m×k
      expectSame(`matmulTransB ${m} ${k}`, m * m, (g, c) => g.matmulTransB(a, w, c, m, k, m))
    }
  })

  it('keeps the order across the cache chunks of a long reduction', () => {
    // Chunks hold ~256 KB of the shared operand: these reductions span several, with ragged ends.
    check(6, 1001, 100, 'sparse', 'dense') // matmul: ~327 rows of B per chunk
    check(150, 901, 103, 'mnist', 'dense') // matmulTransA: ~32 rows per chunk
    check(150, 901, 103, 'sparse', 'special') // … on the exact path for non-finite B
    check(7, 1002, 333, 'special', 'dense') // matmulTransB: ~32 columns per chunk
  }, 20_000)

  it('matches on the engine shapes: MNIST batch 100 through 784-40-20-10', () => {
    check(100, 784, 40, 'mnist', 'dense')
    check(100, 40, 20, 'sparse', 'dense')
    check(100, 20, 10, 'sparse', 'dense')
  })

  it('grows its memory for a large product and still agrees afterwards with small ones', () => {
    check(1200, 300, 30, 'dense', 'dense') // several MB of operands: past the initial 64 KiB page
    check(3, 5, 7, 'special', 'special')
  }, 20_000)
})
