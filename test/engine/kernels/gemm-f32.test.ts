import { afterAll, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import * as oracle from '../../../src/engine/kernels/gemm-ts'
import { createWasmGemmF32, type WasmGemmF32 } from '../../../src/engine/kernels/f32/kernels'
import { nodeKernelThreads } from '../../../src/engine/hosts/node/kernel-threads'

/*
 * The float32 SIMD kernels against the float64 loops of gemm-ts.ts (the oracle), on shapes that hit
 * every edge of the 4 × 8 tiles and the 256-step chunks: each element within 1e-4 of the sum of its
 * terms' magnitudes (float32 rounding of a long sum, not of its value: a sum that cancels to ~0 is still
 * right). Then: the same bits on every call, and whatever the number of threads.
 */

type Product = 'matmul' | 'matmulTransA' | 'matmulTransB'

/** [rows of the left operand, inner size, columns]: as the kernels' m, k, n. */
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [7, 13, 5],
  [33, 65, 17],
  [4, 8, 8],
  [5, 9, 9],
  [3, 300, 11],
  [100, 784, 40],
  [64, 257, 16],
  [9, 0, 4],
  [0, 5, 3],
  [200, 144, 16],
  [130, 27, 30]
]

const random = new Random(7)
function randomValues(count: number): Float64Array {
  // Some zeros, as ReLU outputs and MNIST pixels have.
  return Float64Array.from({ length: count }, () => (random.uniform() < 0.3 ? 0 : random.normal()))
}

/** The oracle's result in float64, and each element's sum of |terms| (the scale its rounding is measured by). */
function reference(product: Product, a: Float64Array, b: Float64Array, m: number, k: number, n: number) {
  const abs = (x: Float64Array) => x.map(Math.abs)
  const out = (p: Product) => new Float64Array(p === 'matmulTransA' ? k * n : p === 'matmulTransB' ? m * k : m * n)
  const value = out(product)
  const scale = out(product)
  const args = product === 'matmulTransB' ? [m, n, k] : [m, k, n]
  oracle[product](a, b, value, args[0], args[1], args[2])
  oracle[product](abs(a), abs(b), scale, args[0], args[1], args[2])
  return { value, scale }
}

/** Operand sizes of a product with kernel sizes m, k, n (see gemm-ts.ts for each one's shapes). */
function operands(product: Product, m: number, k: number, n: number): [Float64Array, Float64Array] {
  if (product === 'matmul') return [randomValues(m * k), randomValues(k * n)]
  if (product === 'matmulTransA') return [randomValues(m * k), randomValues(m * n)]
  return [randomValues(m * n), randomValues(k * n)]
}

function runF32(kernels: WasmGemmF32, product: Product, a: Float64Array, b: Float64Array, length: number, m: number, k: number, n: number): Float32Array {
  const c = new Float32Array(length).fill(Number.NaN) // garbage: the kernels overwrite C
  const args = product === 'matmulTransB' ? [m, n, k] : [m, k, n]
  kernels[product](Float32Array.from(a), Float32Array.from(b), c, args[0], args[1], args[2])
  return c
}

const kernels = createWasmGemmF32()!
afterAll(() => kernels.setThreads(null, 1))

describe('float32 SIMD kernels', () => {
  it('are available in Node 20, on shared memory', () => {
    expect(kernels).toBeDefined()
    expect(kernels.shared).toBe(true)
  })

  for (const product of ['matmul', 'matmulTransA', 'matmulTransB'] as const) {
    it(`${product}: every element within 1e-4 of its terms' magnitude, on ${SHAPES.length} shapes`, () => {
      for (const [m, k, n] of SHAPES) {
        const [a, b] = operands(product, m, k, n)
        // Operands are rounded to float32 first, so only the product's own rounding is measured.
        const a32 = Float64Array.from(Float32Array.from(a))
        const b32 = Float64Array.from(Float32Array.from(b))
        const { value, scale } = reference(product, a32, b32, m, k, n)
        const c = runF32(kernels, product, a32, b32, value.length, m, k, n)
        let worst = 0
        for (let i = 0; i < value.length; i++) worst = Math.max(worst, Math.abs(c[i] - value[i]) / Math.max(scale[i], 1e-30))
        expect(worst, `${product} ${m}×${k}×${n}`).toBeLessThan(1e-4)
        expect(c.every(Number.isFinite), `${product} ${m}×${k}×${n} wrote every element`).toBe(true)
      }
    })
  }

  it('skip the zeros of a mostly-zero left operand (MNIST pixels) with the same bits as the tiled kernel', () => {
    const sparseShapes: [number, number, number][] = [
      [100, 784, 40],
      [37, 129, 45],
      [5, 64, 7],
      [64, 100, 16],
      [130, 75, 30],
      [1, 100, 1],
      [20, 300, 101]
    ]
    for (const product of ['matmul', 'matmulTransA'] as const) {
      for (const [m, k, n] of sparseShapes) {
        const a = Float64Array.from({ length: m * k }, () => (random.uniform() < 0.85 ? 0 : random.uniform()))
        const b = product === 'matmul' ? randomValues(k * n) : randomValues(m * n)
        const length = product === 'matmul' ? m * n : k * n
        const { value, scale } = reference(product, Float64Array.from(Float32Array.from(a)), Float64Array.from(Float32Array.from(b)), m, k, n)
        const skipping = runF32(kernels, product, a, b, length, m, k, n)
        kernels.zeroSkipping = false
        const tiled = runF32(kernels, product, a, b, length, m, k, n)
        kernels.zeroSkipping = true
        expect(Buffer.from(skipping.buffer).equals(Buffer.from(tiled.buffer)), `${product} ${m}×${k}×${n}`).toBe(true)
        for (let i = 0; i < length; i++) expect(Math.abs(skipping[i] - value[i])).toBeLessThanOrEqual(1e-4 * Math.max(scale[i], 1e-30))
      }
    }
  })

  it('read a row-major B in place with the same bits as from packed panels: A·B = A·(Bᵀ)ᵀ', () => {
    // matmul reads B unpacked (its last, narrower panel reads past each row); matmulTransB packs Bᵀ's rows.
    const shapes: [number, number, number][] = [
      [7, 13, 5],
      [33, 65, 17],
      [3, 300, 11],
      [130, 27, 30],
      [100, 4320, 100],
      [6, 9, 8]
    ]
    for (const [m, k, n] of shapes) {
      const a = Float32Array.from(randomValues(m * k))
      const b = Float32Array.from(randomValues(k * n))
      const bt = new Float32Array(n * k)
      for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bt[j * k + p] = b[p * n + j]
      const inPlace = new Float32Array(m * n).fill(Number.NaN)
      const packed = new Float32Array(m * n).fill(Number.NaN)
      kernels.matmul(a, b, inPlace, m, k, n)
      kernels.matmulTransB(a, bt, packed, m, k, n)
      expect(Buffer.from(inPlace.buffer).equals(Buffer.from(packed.buffer)), `${m}×${k}×${n}`).toBe(true)
    }
  })

  it('give the same bits on every call, and leave their inputs alone', () => {
    const [a, b] = operands('matmul', 37, 300, 21)
    const a32 = Float32Array.from(a)
    const before = Array.from(a32)
    const results = [0, 1].map(() => {
      const c = new Float32Array(37 * 21)
      kernels.matmul(a32, Float32Array.from(b), c, 37, 300, 21)
      return c
    })
    expect(Buffer.from(results[1].buffer).equals(Buffer.from(results[0].buffer))).toBe(true)
    expect(Array.from(a32)).toEqual(before)
  })

  it('give the same bits on one, two or three threads', async () => {
    const shapes: [Product, number, number, number][] = [
      ['matmul', 3000, 144, 16],
      ['matmulTransA', 3000, 144, 16],
      ['matmulTransB', 2000, 64, 150],
      ['matmul', 1000, 784, 40],
      ['matmulTransA', 1000, 784, 40],
      ['matmul', 100, 4320, 100],
      ['matmulTransB', 100, 100, 4320]
    ]
    const inputs = shapes.map(([product, m, k, n]) => operands(product, m, k, n))
    // Shapes 3 and 4 take the zero-skipping kernels (a left operand of digit-like zeros); the last two are
    // cnn-simple's affine layer, forward (B read in place) and backward (a large Bᵀ packed in parts).
    for (const i of [3, 4]) inputs[i][0] = inputs[i][0].map((v) => (random.uniform() < 0.8 ? 0 : v))
    const run = () =>
      shapes.map(([product, m, k, n], i) => {
        const length = product === 'matmulTransA' ? k * n : product === 'matmulTransB' ? m * k : m * n
        return Buffer.from(runF32(kernels, product, inputs[i][0], inputs[i][1], length, m, k, n).buffer)
      })
    const single = run()
    for (const threads of [2, 3]) {
      kernels.setThreads(nodeKernelThreads, threads)
      const deadline = Date.now() + 10_000
      while (kernels.activeThreads < threads && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      expect(kernels.activeThreads).toBe(threads)
      run().forEach((bytes, i) => expect(bytes.equals(single[i]), `${shapes[i][0]} on ${threads} threads`).toBe(true))
    }
    kernels.setThreads(null, 1)
    expect(kernels.activeThreads).toBe(1)
  })
})
