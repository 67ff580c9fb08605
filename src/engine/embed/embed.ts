import { EMBED_MAX_POINTS, EMBED_MIN_POINTS, type EmbedMethod } from '../config/embedding'
import type { Split } from '../data/image-set'
import type { InferenceCopy } from '../explain/inference-copy'
import { EngineError } from '../protocol/error-codes'
import { layerActivations, type Activations } from './activations'
import { embedLayerIndex } from './layer-choice'
import { projectionJob, type ProjectionJob, type ProjectionSettings } from './projection'
import { TSNE_MAX_POINTS } from './tsne'

export interface EmbedRequest {
  method: EmbedMethod
  /** A layer name; absent = the last hidden layer before the class scores (layer-choice.ts). */
  layer?: string
  /** The first `count` images of the split. */
  count: number
  settings?: ProjectionSettings
}

/** A layer's activations, ready to be projected a step at a time. */
export interface EmbedJob {
  layer: string
  activations: Activations
  projection: ProjectionJob
}

/**
 * The activations of one layer for the first images of a split, on an inference copy of the network (its
 * weights synced by the caller), and the projection job that turns them into 2-D points.
 */
export function embedJob(copy: InferenceCopy, split: Split, request: EmbedRequest, progress?: (done: number, total: number) => void): EmbedJob {
  const index = embedLayerIndex(copy.network, request.layer)
  const activations = layerActivations(copy, split, request.count, index, progress)
  const projection = projectionJob(request.method, activations, request.settings)
  return { layer: copy.network.layers[index].name, activations, projection }
}

/** How many images an embedding may take: enough for a neighbourhood, no more than the split holds or t-SNE can pair up. */
export function checkEmbedCount(method: EmbedMethod, count: number, available: number, splitName: string): void {
  if (available < EMBED_MIN_POINTS)
    throw new EngineError('INVALID_REQUEST', `the ${splitName} split has only ${available} images; an embedding needs at least ${EMBED_MIN_POINTS}`)
  const most = Math.min(available, method === 'tsne' ? TSNE_MAX_POINTS : EMBED_MAX_POINTS)
  if (Number.isInteger(count) && count >= EMBED_MIN_POINTS && count <= most) return
  const why =
    most === available ? `the ${splitName} split has ${available} images` : `${method === 'tsne' ? 'exact t-SNE' : 'an embedding'} takes at most ${most} points`
  throw new EngineError('INVALID_REQUEST', `n must be a whole number from ${EMBED_MIN_POINTS} to ${most} (${why}), got ${count}`)
}
