/**
 * Row-major matrix products on Float64Array, the engine's inner loops. Each variant runs its innermost
 * loop over contiguous memory, and the ones whose left operand is often sparse (MNIST pixels are ~80 %
 * zeros, ReLU outputs about half) skip zero entries: adding 0·b changes no sum, so results are identical
 * to the dense loop while the first layer gets several times faster. Summation order is fixed, so
 * results are reproducible bit for bit.
 */

/** C (m×n) = A (m×k) · B (k×n). */
export function matmul(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void {
  c.fill(0, 0, m * n)
  for (let i = 0; i < m; i++) {
    const aRow = i * k
    const cRow = i * n
    for (let p = 0; p < k; p++) {
      const aip = a[aRow + p]
      if (aip === 0) continue
      const bRow = p * n
      for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j]
    }
  }
}

/** C (k×n) = Aᵀ · B, with A (m×k) and B (m×n): the weight gradient xᵀ·dout. */
export function matmulTransA(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number): void {
  c.fill(0, 0, k * n)
  for (let i = 0; i < m; i++) {
    const aRow = i * k
    const bRow = i * n
    for (let p = 0; p < k; p++) {
      const aip = a[aRow + p]
      if (aip === 0) continue
      const cRow = p * n
      for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j]
    }
  }
}

/** C (m×k) = A (m×n) · Bᵀ, with B (k×n): the input gradient dout·Wᵀ. */
export function matmulTransB(a: Float64Array, b: Float64Array, c: Float64Array, m: number, n: number, k: number): void {
  for (let i = 0; i < m; i++) {
    const aRow = i * n
    const cRow = i * k
    for (let p = 0; p < k; p++) {
      const bRow = p * n
      let sum = 0
      for (let j = 0; j < n; j++) sum += a[aRow + j] * b[bRow + j]
      c[cRow + p] = sum
    }
  }
}
