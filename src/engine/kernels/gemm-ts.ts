import type { FloatArray } from '../core/dtype'

/**
 * Row-major matrix products on Float64Array in plain TypeScript: the fallback where WebAssembly SIMD is
 * missing, and the oracle the float64 wasm kernels (assembly/f64/products.ts) must match bit for bit. Their exact
 * operation order, including which zero terms are skipped, is the engine's numerical contract.
 *
 * - Four rows (or four output columns) are processed together so each value loaded from the shared
 *   operand is used four times: about twice the speed of the plain loop on dense data.
 * - Zero entries of the left operand are skipped (MNIST pixels are ~80 % zeros, ReLU outputs about
 *   half); adding 0·b changes no sum.
 * - Every output element still sums its terms in the plain loop's order (p = 0, 1, …, left to right),
 *   so results are bit-identical to the naive triple loop's order and reproducible everywhere.
 */

/** C (m×n) = A (m×k) · B (k×n). */
export function matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
  c.fill(0, 0, m * n)
  let i = 0
  for (; i + 4 <= m; i += 4) {
    const a0 = i * k
    const a1 = a0 + k
    const a2 = a1 + k
    const a3 = a2 + k
    const c0 = i * n
    const c1 = c0 + n
    const c2 = c1 + n
    const c3 = c2 + n
    for (let p = 0; p < k; p++) {
      const x0 = a[a0 + p]
      const x1 = a[a1 + p]
      const x2 = a[a2 + p]
      const x3 = a[a3 + p]
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue
      const bRow = p * n
      for (let j = 0; j < n; j++) {
        const bj = b[bRow + j]
        c[c0 + j] += x0 * bj
        c[c1 + j] += x1 * bj
        c[c2 + j] += x2 * bj
        c[c3 + j] += x3 * bj
      }
    }
  }
  for (; i < m; i++) {
    const aRow = i * k
    const cRow = i * n
    for (let p = 0; p < k; p++) {
      const x = a[aRow + p]
      if (x === 0) continue
      const bRow = p * n
      for (let j = 0; j < n; j++) c[cRow + j] += x * b[bRow + j]
    }
  }
}

/** C (k×n) = Aᵀ · B, with A (m×k) and B (m×n): the weight gradient xᵀ·dout. */
export function matmulTransA(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
  c.fill(0, 0, k * n)
  let i = 0
  for (; i + 4 <= m; i += 4) {
    const a0 = i * k
    const a1 = a0 + k
    const a2 = a1 + k
    const a3 = a2 + k
    const b0 = i * n
    const b1 = b0 + n
    const b2 = b1 + n
    const b3 = b2 + n
    for (let p = 0; p < k; p++) {
      const x0 = a[a0 + p]
      const x1 = a[a1 + p]
      const x2 = a[a2 + p]
      const x3 = a[a3 + p]
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue
      const cRow = p * n
      // Left to right: ((c + x0·b0) + x1·b1) + …, the same order as four separate passes.
      for (let j = 0; j < n; j++) c[cRow + j] = c[cRow + j] + x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j]
    }
  }
  for (; i < m; i++) {
    const aRow = i * k
    const bRow = i * n
    for (let p = 0; p < k; p++) {
      const x = a[aRow + p]
      if (x === 0) continue
      const cRow = p * n
      for (let j = 0; j < n; j++) c[cRow + j] += x * b[bRow + j]
    }
  }
}

/** C (m×k) = A (m×n) · Bᵀ, with B (k×n): the input gradient dout·Wᵀ. */
export function matmulTransB(a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number): void {
  for (let i = 0; i < m; i++) {
    const aRow = i * n
    const cRow = i * k
    let p = 0
    for (; p + 4 <= k; p += 4) {
      const b0 = p * n
      const b1 = b0 + n
      const b2 = b1 + n
      const b3 = b2 + n
      let s0 = 0
      let s1 = 0
      let s2 = 0
      let s3 = 0
      for (let j = 0; j < n; j++) {
        const x = a[aRow + j]
        s0 += x * b[b0 + j]
        s1 += x * b[b1 + j]
        s2 += x * b[b2 + j]
        s3 += x * b[b3 + j]
      }
      c[cRow + p] = s0
      c[cRow + p + 1] = s1
      c[cRow + p + 2] = s2
      c[cRow + p + 3] = s3
    }
    for (; p < k; p++) {
      const bRow = p * n
      let sum = 0
      for (let j = 0; j < n; j++) sum += a[aRow + j] * b[bRow + j]
      c[cRow + p] = sum
    }
  }
}
