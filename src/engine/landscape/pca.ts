import type { FloatArray } from '../core/dtype'

/**
 * The first two principal directions of a training path (Li et al. 2018, §7): the snapshots minus the
 * final weights, as rows of X (n × D, n small, D huge). The eigenvectors of the small Gram matrix XXᵀ
 * give them without ever forming the D × D covariance: d_k = Xᵀu_k / ‖Xᵀu_k‖.
 */
export interface PathPlane {
  directions: [Float64Array, Float64Array]
  /** Each snapshot's coordinates on the plane (the final weights at (0, 0)). */
  coordinates: Array<[number, number]>
  /** Share of the path's variance along each direction. */
  explained: [number, number]
}

export function pathPlane(snapshots: readonly FloatArray[], final: FloatArray): PathPlane | null {
  const n = snapshots.length
  const D = final.length
  if (n < 3) return null
  const rows = snapshots.map((s) => {
    const r = new Float64Array(D)
    for (let k = 0; k < D; k++) r[k] = s[k] - final[k]
    return r
  })
  const gram = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => dot(rows[i], rows[j])))
  const { values, vectors } = symmetricEigen(gram)
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0])
  const total = values.reduce((a, v) => a + Math.max(0, v), 0)
  if (!(order[1][0] > 0) || total <= 0) return null
  const directions = [0, 1].map((r) => {
    const u = vectors.map((row) => row[order[r][1]])
    const d = new Float64Array(D)
    for (let i = 0; i < n; i++) for (let k = 0; k < D; k++) d[k] += u[i] * rows[i][k]
    const norm = Math.sqrt(dot(d, d))
    for (let k = 0; k < D; k++) d[k] /= norm
    return d
  }) as [Float64Array, Float64Array]
  const coordinates = rows.map((r) => [dot(r, directions[0]), dot(r, directions[1])] as [number, number])
  return { directions, coordinates, explained: [order[0][0] / total, order[1][0] / total] }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0
  for (let k = 0; k < a.length; k++) s += a[k] * b[k]
  return s
}

/** Cyclic Jacobi rotations: eigenvalues and eigenvectors (columns) of a small symmetric matrix. */
export function symmetricEigen(matrix: number[][]): { values: number[]; vectors: number[][] } {
  const n = matrix.length
  const a = matrix.map((row) => [...row])
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)))
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q]
    if (
      off <
      1e-30 *
        Math.max(
          1e-300,
          a.reduce((s, row, i) => s + row[i] * row[i], 0)
        )
    )
      break
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < n; k++) {
          const akp = a[k][p]
          const akq = a[k][q]
          a[k][p] = c * akp - s * akq
          a[k][q] = s * akp + c * akq
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k]
          const aqk = a[q][k]
          a[p][k] = c * apk - s * aqk
          a[q][k] = s * apk + c * aqk
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p]
          const vkq = v[k][q]
          v[k][p] = c * vkp - s * vkq
          v[k][q] = s * vkp + c * vkq
        }
      }
    }
  }
  return { values: a.map((row, i) => row[i]), vectors: v }
}
