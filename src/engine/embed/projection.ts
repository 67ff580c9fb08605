import type { EmbedMethod } from '../config/embedding'
import { pca2d, type Rows } from './pca'
import { Tsne } from './tsne'
import { Umap } from './umap'

export interface ProjectionSettings {
  seed?: number
  perplexity?: number
  neighbors?: number
  minDist?: number
  iterations?: number
  /** Where t-SNE and UMAP start (the previous snapshot of a run); PCA has no start. */
  init?: Float64Array
}

export interface Projection {
  /** [x₀, y₀, x₁, y₁, …] */
  points: Float64Array
  /** PCA: the share of the variance along each axis. */
  explained?: [number, number]
  /** What the method ran with, defaults filled in. */
  settings: Record<string, number | string>
}

/** A projection computed a step at a time (t-SNE's gradient steps, UMAP's epochs; PCA in one). */
export interface ProjectionJob {
  readonly total: number
  readonly done: number
  /** One step; false once there are none left. */
  step(): boolean
  result(): Projection
}

export function projectionJob(method: EmbedMethod, rows: Rows, settings: ProjectionSettings = {}): ProjectionJob {
  const seed = settings.seed ?? 1
  switch (method) {
    case 'pca': {
      let result: Projection | null = null
      return {
        total: 1,
        get done() {
          return result ? 1 : 0
        },
        step() {
          if (result) return false
          const { points, explained } = pca2d(rows)
          result = { points, explained, settings: {} }
          return true
        },
        result() {
          if (!result) this.step()
          return result!
        }
      }
    }
    case 'tsne': {
      const tsne = new Tsne(rows, { perplexity: settings.perplexity, iterations: settings.iterations, seed, init: settings.init })
      return iterative(tsne, () => ({ seed, perplexity: tsne.perplexity, iterations: tsne.total }))
    }
    case 'umap': {
      const umap = new Umap(rows, { neighbors: settings.neighbors, minDist: settings.minDist, iterations: settings.iterations, seed, init: settings.init })
      return iterative(umap, () => ({ seed, neighbors: umap.neighbors, minDist: umap.minDist, iterations: umap.total }))
    }
  }
}

/** All of a projection at once (the CLI, a run's snapshots). */
export function project(method: EmbedMethod, rows: Rows, settings: ProjectionSettings = {}): Projection {
  const job = projectionJob(method, rows, settings)
  while (job.step());
  return job.result()
}

function iterative(
  method: { readonly total: number; readonly iteration: number; readonly points: Float64Array; step(): boolean },
  settings: () => Record<string, number | string>
): ProjectionJob {
  return {
    total: method.total,
    get done() {
      return method.iteration
    },
    step: () => method.step(),
    result: () => ({ points: Float64Array.from(method.points), settings: settings() })
  }
}
