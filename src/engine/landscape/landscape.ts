import { allocateFloats, precisionOf, type FloatArray } from '../core/dtype'
import { Random } from '../core/random'
import { Tensor } from '../core/tensor'
import type { NetworkSpec, Regularization } from '../config/run-config'
import { gatherRange } from '../data/batch'
import type { Split } from '../data/image-set'
import { BatchNorm } from '../layers/batch-norm'
import { ChannelBatchNorm } from '../layers/channel-batch-norm'
import type { Param } from '../layers/layer'
import { buildNetwork } from '../model/build'
import type { Network } from '../model/network'
import { EngineError } from '../protocol/error-codes'
import type { LandscapeResult } from '../protocol/messages'
import { regularizationPenalty } from '../train/regularization'
import { filterNormalizedDirection } from './directions'
import { pathPlane } from './pca'
import { flatten, type WeightSnapshot } from './weight-history'

/**
 * The loss around a trained network on a plane through its weights: L(θ + α·d₁ + β·d₂) on a grid of
 * (α, β), the trained point θ at the centre. The directions are either two filter-normalized random ones
 * or the first two principal directions of the run's training path. Computed on a copy of the network
 * (the run keeps training undisturbed, and nothing draws from its generator), in inference mode, on the
 * first `images` images of a split.
 */

/** What a landscape is computed from: a network and what its run knows. */
export interface LandscapeSource {
  runId: string
  network: Network
  spec: NetworkSpec
  inputShape: readonly number[]
  regularization: Regularization
  /** The parameters that take weight decay in this run (for the regularized loss). */
  decayed: readonly Param[]
  split(name: 'train' | 'test'): Split
  /** Weight snapshots of the run, oldest first (for the plane of the training path); empty if none. */
  history(): WeightSnapshot[]
}

export interface LandscapeRequest {
  plane: 'random' | 'path'
  split: 'train' | 'test'
  images: number
  /** Points per side; odd, so (0, 0) is a grid point. */
  grid: number
  /** Random plane: α and β run over [−span, span] (in units of the filter-normalized directions). */
  span: number
  /** Seed of the random directions. */
  seed: number
}

/** Images per forward pass: bounds the copy's activation buffers. */
const CHUNK = 200
/** Compute this long before giving the event loop (and the training run) a turn. */
export const LANDSCAPE_SLICE_MS = 30

export class LandscapeJob {
  private readonly copy: Network
  private readonly center: FloatArray[]
  private readonly directions: [FloatArray[], FloatArray[]]
  private readonly decayedIndex: number[]
  private readonly x: Tensor
  private readonly labels: Uint8Array
  private readonly data: Split
  readonly xs: number[]
  readonly ys: number[]
  private readonly path: LandscapeResult['path']
  private readonly explained: LandscapeResult['explained']

  constructor(
    private readonly source: LandscapeSource,
    readonly request: LandscapeRequest
  ) {
    this.data = source.split(request.split)
    if (request.images > this.data.count) {
      throw new EngineError('INVALID_REQUEST', `the run has ${this.data.count} ${request.split} images; asked for ${request.images}`)
    }
    const params = source.network.params
    this.copy = buildNetwork(source.spec, source.inputShape, new Random(0), source.network.precision, source.network.classCount)
    // The centre is fixed now: a run still training moves its weights, the landscape stays around this point.
    this.center = params.map((p) => copyOf(p.value))
    copyRunningStatistics(source.network, this.copy)
    this.decayedIndex = source.decayed.map((p) => params.indexOf(p))
    const n = Math.min(CHUNK, request.images)
    this.x = Tensor.zeros([n, ...source.inputShape], source.network.precision)
    this.labels = new Uint8Array(n)

    if (request.plane === 'random') {
      const random = new Random(request.seed)
      this.directions = [filterNormalizedDirection(params, random), filterNormalizedDirection(params, random)]
      this.xs = axis(request.grid, -request.span, request.span)
      this.ys = this.xs.slice()
      this.path = null
      this.explained = null
    } else {
      const snapshots = source.history()
      const plane = pathPlane(
        snapshots.map((s) => s.values),
        flatten(params)
      )
      if (!plane) {
        throw new EngineError('INVALID_REQUEST', 'this network has no training path to take a plane from (it needs at least 3 weight snapshots of its run)')
      }
      this.directions = [unflatten(plane.directions[0], params), unflatten(plane.directions[1], params)]
      this.path = snapshots.map((s, i) => ({ iter: s.iter, x: plane.coordinates[i][0], y: plane.coordinates[i][1] }))
      this.explained = plane.explained
      // The window holds the whole path with a margin, and the trained point at its centre.
      const reachX = Math.max(...this.path.map((p) => Math.abs(p.x))) * 1.25 || 1
      const reachY = Math.max(...this.path.map((p) => Math.abs(p.y))) * 1.25 || 1
      this.xs = axis(request.grid, -reachX, reachX)
      this.ys = axis(request.grid, -reachY, reachY)
    }
  }

  get points(): number {
    return this.request.grid * this.request.grid
  }

  /** Loss (and regularized loss) at θ + α·d₁ + β·d₂. */
  evaluate(alpha: number, beta: number): { loss: number; regularized: number } {
    const params = this.copy.params
    const [d1, d2] = this.directions
    for (let p = 0; p < params.length; p++) {
      const v = params[p].value
      const c = this.center[p]
      const a = d1[p]
      const b = d2[p]
      for (let k = 0; k < v.length; k++) v[k] = c[k] + alpha * a[k] + beta * b[k]
    }
    let total = 0
    const count = this.request.images
    for (let start = 0; start < count; start += this.x.rows) {
      const n = Math.min(this.x.rows, count - start)
      gatherRange(this.data, start, this.x, this.labels)
      // The last chunk may hold rows past `count` (stale or the next images): only the first n count.
      const batch = n === this.x.rows ? this.x : new Tensor([n, ...this.source.inputShape], this.x.data.subarray(0, n * this.x.cols))
      total += this.copy.loss(batch, this.labels.subarray(0, n), 'test') * n
    }
    const loss = total / count
    const penalty = regularizationPenalty(
      this.source.regularization,
      this.decayedIndex.map((i) => params[i])
    )
    return { loss, regularized: loss + penalty }
  }

  /**
   * Computes the grid, yielding between slices; `progress` gets points done so far. Resolves null when
   * `cancelled()` turns true.
   */
  async run(
    progress: (done: number, total: number) => void,
    cancelled: () => boolean,
    yieldTurn: () => Promise<void>,
    now: () => number = () => performance.now()
  ): Promise<LandscapeResult | null> {
    const { grid } = this.request
    const loss = new Array<number>(grid * grid)
    const regularized = new Array<number>(grid * grid)
    let sliceStart = now()
    for (let k = 0; k < grid * grid; k++) {
      const value = this.evaluate(this.xs[k % grid], this.ys[Math.floor(k / grid)])
      loss[k] = value.loss
      regularized[k] = value.regularized
      if (now() - sliceStart >= LANDSCAPE_SLICE_MS) {
        progress(k + 1, grid * grid)
        await yieldTurn()
        if (cancelled()) return null
        sliceStart = now()
      }
    }
    progress(grid * grid, grid * grid)
    const half = (grid - 1) / 2
    const withDecay = this.source.regularization.kind !== 'none' && this.source.regularization.lambda > 0
    return {
      plane: this.request.plane,
      split: this.request.split,
      images: this.request.images,
      grid,
      xs: this.xs,
      ys: this.ys,
      loss: loss.map(finiteOrNull),
      regularized: withDecay ? regularized.map(finiteOrNull) : null,
      centerLoss: finiteOrNull(loss[half * grid + half]),
      path: this.path,
      explained: this.explained
    }
  }
}

/** Far from the trained point the loss can overflow; such points travel (and are drawn) as missing. */
function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null
}

/** n evenly spaced values from lo to hi, the middle one exactly 0 when lo = −hi and n is odd. */
function axis(n: number, lo: number, hi: number): number[] {
  const half = (n - 1) / 2
  return Array.from({ length: n }, (_, i) => (i === half ? 0 : lo + ((hi - lo) * i) / (n - 1)))
}

function copyOf(values: FloatArray): FloatArray {
  const out = allocateFloats(precisionOf(values), values.length)
  out.set(values)
  return out
}

function unflatten(flat: Float64Array, params: readonly Param[]): FloatArray[] {
  let at = 0
  return params.map((p) => {
    const out = allocateFloats(precisionOf(p.value), p.value.length)
    out.set(flat.subarray(at, at + p.value.length))
    at += p.value.length
    return out
  })
}

function copyRunningStatistics(from: Network, to: Network): void {
  from.layers.forEach((layer, i) => {
    const twin = to.layers[i]
    if ((layer instanceof BatchNorm && twin instanceof BatchNorm) || (layer instanceof ChannelBatchNorm && twin instanceof ChannelBatchNorm)) {
      twin.runningMean.set(layer.runningMean)
      twin.runningVar.set(layer.runningVar)
    }
  })
}
