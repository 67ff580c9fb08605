import { portableNormal } from '../core/portable-math'
import { Random } from '../core/random'
import { symmetricEigen } from '../landscape/pca'

/** Points as rows: `count` rows of `dimensions` values, row after row. */
export interface Rows {
  rows: Float64Array
  count: number
  dimensions: number
}

export interface PcaProjection {
  /** [x₀, y₀, x₁, y₁, …]: each row's coordinates on the first two principal axes. */
  points: Float64Array
  /** Share of the total variance along each axis. */
  explained: [number, number]
}

/** Vectors iterated together: more than the two wanted, so the second converges at rate λ₅/λ₂, not λ₃/λ₂. */
const BLOCK = 4
const MAX_ITERATIONS = 300
const TOLERANCE = 1e-10
/** Up to this many values per point the d × d matrix is formed and solved outright. */
const EXACT_MAX_DIMENSIONS = 128

/**
 * The first two principal components of the rows, deterministic. A narrow layer's d × d scatter matrix is
 * solved outright; a wide one's (thousands of values) is never formed: subspace iteration applies it as
 * Xᵀ(Xv), with a Rayleigh–Ritz step each round. Both use landscape/pca.ts's symmetric eigensolver. Each
 * axis's sign is fixed so its largest loading is positive: the same data give the same picture.
 */
export function pca2d({ rows, count: n, dimensions: d }: Rows): PcaProjection {
  if (n < 2 || d < 1) throw new RangeError(`pca2d: need at least 2 rows of at least 1 value, got ${n} × ${d}`)
  const x = centred(rows, n, d)
  let total = 0
  for (let k = 0; k < x.length; k++) total += x[k] * x[k]
  if (d <= EXACT_MAX_DIMENSIONS) return exact(x, n, d, total)
  const p = Math.min(BLOCK, d)
  // A fixed start (not the caller's seed): PCA has one answer.
  const random = new Random(0x9ca)
  let basis = orthonormal(Array.from({ length: p }, () => Float64Array.from({ length: d }, () => portableNormal(() => random.uniform()))))
  let values: number[] = []
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const images = basis.map((v) => covarianceTimes(x, n, d, v))
    // Rayleigh–Ritz in the current subspace: H = Vᵀ C V, rotate V to H's eigenvectors (largest first).
    const h = basis.map((vi) => images.map((wj) => dot(vi, wj)))
    const eigen = symmetricEigen(h)
    const order = eigen.values.map((value, i) => [value, i] as const).sort((a, b) => b[0] - a[0])
    const next = order.map(([, i]) =>
      combine(
        images,
        eigen.vectors.map((row) => row[i])
      )
    )
    const nextValues = order.map(([value]) => value)
    basis = orthonormal(next)
    const settled =
      values.length > 0 && [0, 1].every((k) => k >= p || Math.abs(nextValues[k] - values[k]) <= TOLERANCE * Math.max(1e-300, Math.abs(nextValues[0])))
    values = nextValues
    if (settled) break
  }
  const axes = [0, 1].map((k) => (k < p ? withSign(ritzVector(x, n, d, basis, k)) : new Float64Array(d)))
  return { points: coordinates(x, n, d, axes), explained: shares(values, total) }
}

/** A narrow layer: the d × d scatter matrix and all its eigenvectors (Jacobi), no iteration to converge. */
function exact(x: Float64Array, n: number, d: number, total: number): PcaProjection {
  const scatter = Array.from({ length: d }, () => new Array<number>(d).fill(0))
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * d, (i + 1) * d)
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) scatter[a][b] += row[a] * row[b]
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) scatter[a][b] = scatter[b][a]
  const eigen = symmetricEigen(scatter)
  const order = eigen.values.map((value, i) => [value, i] as const).sort((a, b) => b[0] - a[0])
  const axes = [0, 1].map((k) => (k < d ? withSign(Float64Array.from(eigen.vectors, (row) => row[order[k][1]])) : new Float64Array(d)))
  return {
    points: coordinates(x, n, d, axes),
    explained: shares(
      order.map(([value]) => value),
      total
    )
  }
}

function coordinates(x: Float64Array, n: number, d: number, axes: Float64Array[]): Float64Array {
  const points = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * d, (i + 1) * d)
    points[2 * i] = dot(row, axes[0])
    points[2 * i + 1] = dot(row, axes[1])
  }
  return points
}

function shares(values: number[], total: number): [number, number] {
  const share = (k: number): number => (total > 0 && k < values.length ? Math.max(0, values[k]) / total : 0)
  return [share(0), share(1)]
}

function centred(rows: Float64Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += rows[i * d + j]
  for (let j = 0; j < d; j++) mean[j] /= n
  const x = new Float64Array(n * d)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = rows[i * d + j] - mean[j]
  return x
}

/** XᵀX v (the scatter matrix; its eigenvalues over Σ‖xᵢ‖² are the variance shares). */
function covarianceTimes(x: Float64Array, n: number, d: number, v: Float64Array): Float64Array {
  const out = new Float64Array(d)
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * d, (i + 1) * d)
    const s = dot(row, v)
    if (s !== 0) for (let j = 0; j < d; j++) out[j] += s * row[j]
  }
  return out
}

/** The k-th basis vector after a last Rayleigh–Ritz rotation (the basis is orthonormal, its images are not). */
function ritzVector(x: Float64Array, n: number, d: number, basis: Float64Array[], k: number): Float64Array {
  const images = basis.map((v) => covarianceTimes(x, n, d, v))
  const h = basis.map((vi) => images.map((wj) => dot(vi, wj)))
  const eigen = symmetricEigen(h)
  const order = eigen.values.map((value, i) => [value, i] as const).sort((a, b) => b[0] - a[0])
  const v = combine(
    basis,
    eigen.vectors.map((row) => row[order[k][1]])
  )
  const norm = Math.sqrt(dot(v, v))
  return v.map((value) => value / norm)
}

function withSign(axis: Float64Array): Float64Array {
  let largest = 0
  for (let j = 1; j < axis.length; j++) if (Math.abs(axis[j]) > Math.abs(axis[largest])) largest = j
  return axis[largest] < 0 ? axis.map((value) => -value) : axis
}

function combine(vectors: Float64Array[], weights: number[]): Float64Array {
  const out = new Float64Array(vectors[0].length)
  vectors.forEach((v, i) => {
    for (let j = 0; j < out.length; j++) out[j] += weights[i] * v[j]
  })
  return out
}

/** Modified Gram–Schmidt; a vector that vanishes (rank-deficient data) is left as zeros. */
function orthonormal(vectors: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = []
  for (const vector of vectors) {
    const v = Float64Array.from(vector)
    for (const u of out) {
      const s = dot(u, v)
      for (let j = 0; j < v.length; j++) v[j] -= s * u[j]
    }
    const norm = Math.sqrt(dot(v, v))
    out.push(norm > 1e-300 ? v.map((value) => value / norm) : new Float64Array(v.length))
  }
  return out
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0
  for (let k = 0; k < a.length; k++) s += a[k] * b[k]
  return s
}
