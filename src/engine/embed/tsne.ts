import { portableExp, portableLog, portableNormal } from '../core/portable-math'
import { Random } from '../core/random'
import { scaleToSpread } from './layout'
import type { Rows } from './pca'

export interface TsneOptions {
  /** The effective number of neighbours each point's Gaussian is calibrated to (default 30, at most (n − 1) / 3). */
  perplexity?: number
  /** Gradient steps (default 1,000), the first quarter (at most 250) with exaggerated attraction. */
  iterations?: number
  seed?: number
  /** A starting layout ([x₀, y₀, …], e.g. the previous snapshot's), rescaled to t-SNE's small start; default seeded noise. */
  init?: Float64Array
}

/** Exact t-SNE beyond this many points would take minutes and hundreds of megabytes (O(n²)). */
export const TSNE_MAX_POINTS = 2500

const EXAGGERATION = 12
/** Standard deviation of the starting layout (van der Maaten 2014; scikit-learn). */
const INIT_SCALE = 1e-4
const MIN_GAIN = 0.01

/**
 * Exact t-SNE (van der Maaten & Hinton 2008): Gaussian affinities calibrated per point to the perplexity
 * by bisection, a Student-t kernel in 2-D, gradient descent with momentum, per-coordinate gains and early
 * exaggeration. Every pair every step (O(n²)), in a fixed order, with exp and log of core/portable-math,
 * so a seed gives the same layout bit for bit on every host. Driven a step at a time so a caller can
 * report progress and stop.
 */
export class Tsne {
  readonly total: number
  readonly perplexity: number
  private readonly n: number
  /** Symmetric affinities p_ij for i < j, packed row after row. */
  private readonly p: Float64Array
  private readonly y: Float64Array
  private readonly update: Float64Array
  private readonly gains: Float64Array
  private readonly attraction: Float64Array
  private readonly repulsion: Float64Array
  private readonly learningRate: number
  private readonly exaggerated: number
  private done = 0

  constructor(data: Rows, options: TsneOptions = {}) {
    const n = (this.n = data.count)
    if (n < 4) throw new RangeError(`t-SNE needs at least 4 points, got ${n}`)
    if (n > TSNE_MAX_POINTS) throw new RangeError(`exact t-SNE takes at most ${TSNE_MAX_POINTS} points, got ${n}`)
    this.perplexity = Math.min(options.perplexity ?? 30, (n - 1) / 3)
    this.total = options.iterations ?? 1000
    this.exaggerated = Math.min(250, Math.floor(this.total / 4))
    this.learningRate = Math.max(200, n / EXAGGERATION)
    this.p = jointAffinities(data, this.perplexity)
    this.y = startLayout(n, options.init, options.seed ?? 1)
    this.update = new Float64Array(2 * n)
    this.gains = new Float64Array(2 * n).fill(1)
    this.attraction = new Float64Array(2 * n)
    this.repulsion = new Float64Array(2 * n)
  }

  get iteration(): number {
    return this.done
  }

  /** The layout now: [x₀, y₀, x₁, y₁, …] (a view: copy it to keep it). */
  get points(): Float64Array {
    return this.y
  }

  /** One gradient step; false once all are done. */
  step(): boolean {
    if (this.done >= this.total) return false
    const { n, p, y, update, gains, attraction, repulsion } = this
    const exaggeration = this.done < this.exaggerated ? EXAGGERATION : 1
    const momentum = this.done < this.exaggerated ? 0.5 : 0.8
    // ∂C/∂yi = 4 Σj (α·pij − tij/Z) tij (yi − yj) with tij = (1 + ‖yi − yj‖²)⁻¹ and Z = Σ tij over ordered
    // pairs: the attraction Σ pij·tij·(yi − yj) and the repulsion Σ tij²·(yi − yj) are summed apart in one
    // pass over the pairs, and put together once Z is known.
    let z = 0
    attraction.fill(0)
    repulsion.fill(0)
    for (let i = 0, k = 0; i < n; i++) {
      const xi = y[2 * i]
      const yi = y[2 * i + 1]
      let ax = 0
      let ay = 0
      let rx = 0
      let ry = 0
      for (let j = i + 1; j < n; j++, k++) {
        const dx = xi - y[2 * j]
        const dy = yi - y[2 * j + 1]
        const t = 1 / (1 + dx * dx + dy * dy)
        z += t
        const pull = p[k] * t
        const push = t * t
        ax += pull * dx
        ay += pull * dy
        rx += push * dx
        ry += push * dy
        attraction[2 * j] -= pull * dx
        attraction[2 * j + 1] -= pull * dy
        repulsion[2 * j] -= push * dx
        repulsion[2 * j + 1] -= push * dy
      }
      attraction[2 * i] += ax
      attraction[2 * i + 1] += ay
      repulsion[2 * i] += rx
      repulsion[2 * i + 1] += ry
    }
    z *= 2
    // Delta-bar-delta gains, as in van der Maaten's implementations.
    for (let c = 0; c < 2 * n; c++) {
      const g = 4 * (exaggeration * attraction[c] - repulsion[c] / z)
      gains[c] = Math.sign(g) !== Math.sign(update[c]) ? gains[c] + 0.2 : Math.max(MIN_GAIN, gains[c] * 0.8)
      update[c] = momentum * update[c] - this.learningRate * gains[c] * g
      y[c] += update[c]
    }
    this.done++
    return true
  }

  /** All remaining steps at once. */
  run(): Float64Array {
    while (this.step());
    return this.y
  }
}

/** pij = (p(j|i) + p(i|j)) / 2n, each conditional a Gaussian whose width gives the perplexity. */
function jointAffinities({ rows, count: n, dimensions: d }: Rows, perplexity: number): Float64Array {
  const distances = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    const a = rows.subarray(i * d, (i + 1) * d)
    for (let j = i + 1; j < n; j++) {
      let s = 0
      for (let c = 0, o = j * d; c < d; c++) {
        const diff = a[c] - rows[o + c]
        s += diff * diff
      }
      distances[i * n + j] = distances[j * n + i] = s
    }
  }
  const conditional = new Float64Array(n * n)
  const target = portableLog(perplexity)
  for (let i = 0; i < n; i++) calibrate(distances.subarray(i * n, (i + 1) * n), i, target, conditional.subarray(i * n, (i + 1) * n))
  const joint = new Float64Array((n * (n - 1)) / 2)
  for (let i = 0, k = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) joint[k] = Math.max((conditional[i * n + j] + conditional[j * n + i]) / (2 * n), 1e-12)
  }
  return joint
}

/** Bisection on the Gaussian's precision β until the entropy of p(·|i), in nats, is `target` = log(perplexity); the row goes to `out`. */
export function calibrate(distances: Float64Array, self: number, target: number, out: Float64Array): void {
  let beta = 1
  let lo = 0
  let hi = Infinity
  // Shifted by the nearest distance so exp never underflows to all zeros.
  let nearest = Infinity
  for (let j = 0; j < distances.length; j++) if (j !== self && distances[j] < nearest) nearest = distances[j]
  for (let round = 0; round < 100; round++) {
    let sum = 0
    let weighted = 0
    for (let j = 0; j < distances.length; j++) {
      if (j === self) continue
      const w = portableExp(-beta * (distances[j] - nearest))
      out[j] = w
      sum += w
      weighted += w * (distances[j] - nearest)
    }
    // H = log Σw + β Σw·d / Σw (in nats).
    const entropy = portableLog(sum) + (beta * weighted) / sum
    const gap = entropy - target
    for (let j = 0; j < distances.length; j++) out[j] = j === self ? 0 : out[j] / sum
    if (Math.abs(gap) < 1e-5) return
    if (gap > 0) {
      lo = beta
      beta = hi === Infinity ? beta * 2 : (beta + hi) / 2
    } else {
      hi = beta
      beta = (beta + lo) / 2
    }
  }
}

function startLayout(n: number, init: Float64Array | undefined, seed: number): Float64Array {
  if (init) {
    if (init.length !== 2 * n) throw new RangeError(`t-SNE: a starting layout of ${n} points needs ${2 * n} values, got ${init.length}`)
    return scaleToSpread(init, INIT_SCALE)
  }
  const random = new Random(seed)
  return Float64Array.from({ length: 2 * n }, () => portableNormal(() => random.uniform()) * INIT_SCALE)
}
