import { UMAP } from 'umap-js'
import { withPortableMath } from '../core/portable-math'
import { Random } from '../core/random'
import type { Rows } from './pca'
import { scaleToSpread } from './layout'

export interface UmapOptions {
  /** Neighbours of the k-nearest-neighbour graph (default 15, at most n − 1). */
  neighbors?: number
  /** How tightly points may pack (default 0.1). */
  minDist?: number
  /** Optimisation epochs (default 500, umap-js's for small sets). */
  iterations?: number
  seed?: number
  /** A starting layout ([x₀, y₀, …], e.g. the previous snapshot's) instead of umap-js's random one. */
  init?: Float64Array
}

/** umap-js draws its random start uniformly in [−10, 10]; a given start is rescaled to a like spread. */
const INIT_SPREAD = 10 / Math.sqrt(3)

/**
 * UMAP (McInnes et al. 2018) by umap-js, with every random number (the neighbour search's trees, the
 * start, the negative samples) drawn from the engine's generator, and its exp, log and pow the portable
 * ones (core/portable-math.ts): the same seed gives the same layout bit for bit in Node and in a Web
 * Worker. Driven an epoch at a time so a caller can report progress and stop.
 */
export class Umap {
  readonly total: number
  readonly neighbors: number
  readonly minDist: number
  private readonly umap: UMAP
  /** Epochs done (umap-js's step() returns it). */
  private done = 0

  constructor(data: Rows, options: UmapOptions = {}) {
    const n = data.count
    if (n < 4) throw new RangeError(`UMAP needs at least 4 points, got ${n}`)
    this.neighbors = Math.min(options.neighbors ?? 15, n - 1)
    this.minDist = options.minDist ?? 0.1
    const random = new Random(options.seed ?? 1)
    this.umap = withPortableMath(
      () => new UMAP({ nComponents: 2, nNeighbors: this.neighbors, minDist: this.minDist, nEpochs: options.iterations ?? 500, random: () => random.uniform() })
    )
    const vectors = Array.from({ length: n }, (_, i) => Array.from(data.rows.subarray(i * data.dimensions, (i + 1) * data.dimensions)))
    this.total = withPortableMath(() => this.umap.initializeFit(vectors))
    if (options.init) this.startFrom(options.init, n)
  }

  get iteration(): number {
    return this.done
  }

  /** One epoch; false once all are done. */
  step(): boolean {
    if (this.done >= this.total) return false
    this.done = withPortableMath(() => this.umap.step())
    return true
  }

  run(): Float64Array {
    while (this.step());
    return this.points
  }

  /** The layout now: [x₀, y₀, x₁, y₁, …] (a copy). */
  get points(): Float64Array {
    const embedding = this.umap.getEmbedding()
    const out = new Float64Array(2 * embedding.length)
    embedding.forEach(([x, y], i) => {
      out[2 * i] = x
      out[2 * i + 1] = y
    })
    return out
  }

  /** Overwrites umap-js's random start in place (its optimiser holds these very arrays). */
  private startFrom(init: Float64Array, n: number): void {
    if (init.length !== 2 * n) throw new RangeError(`UMAP: a starting layout of ${n} points needs ${2 * n} values, got ${init.length}`)
    const start = scaleToSpread(init, INIT_SPREAD)
    this.umap.getEmbedding().forEach((point, i) => {
      point[0] = start[2 * i]
      point[1] = start[2 * i + 1]
    })
  }
}
