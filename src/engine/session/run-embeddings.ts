/**
 * A run's embedding over training (config.embedding): at its start and at its evaluations (about 50 of
 * them at most, spread out, as filter snapshots are thinned), the chosen layer's activations for the first
 * n test images (of the run's own, limited test split), projected to 2-D and aligned onto the previous
 * projection, sent as `embeddingSnapshot`. Only the rounded 2-D points travel and are kept, never the
 * activations. Computed between training slices on an inference copy with a generator of its own, so the
 * run's numbers are the same with or without it.
 */
import type { RunConfig } from '../config/run-config'
import type { RunEmbedding } from '../config/embedding'
import { embedJob } from '../embed/embed'
import { procrustes, roundedPairs } from '../embed/layout'
import { EMBED_MIN_POINTS } from '../config/embedding'
import { embedLayerIndex } from '../embed/layer-choice'
import { InferenceCopy } from '../explain/inference-copy'
import { EngineError } from '../protocol/error-codes'
import type { Trainer } from '../train/trainer'
import type { SessionOutput } from './session-events'

/**
 * Epochs / steps of a snapshot started from the previous layout: it only has to follow the network's
 * change (bench/embed.ts measures what a snapshot costs against an evaluation interval).
 */
const WARM_ITERATIONS = { umap: 100, tsne: 300 } as const
/** About this many snapshots per run at most, spread over its iterations (the start and the end always). */
const SNAPSHOTS = 50

export type EmbeddingRecorder = (iter: number) => void

/** The recorder for a run, or null when its settings ask for no embedding (nothing is computed then). */
export function runEmbeddings(runId: string, trainer: Trainer, config: RunConfig, out: SessionOutput): EmbeddingRecorder | null {
  const settings: RunEmbedding | undefined = config.embedding
  if (!settings) return null
  const count = Math.min(settings.n, trainer.test.count)
  if (count < EMBED_MIN_POINTS) return null
  // A layer the network lacks is a settings problem, found before the run starts.
  try {
    embedLayerIndex(trainer.network, settings.layer)
  } catch (error) {
    const message = `embedding.layer: ${(error as Error).message}`
    throw new EngineError('INVALID_CONFIG', message, { problems: [{ field: 'embedding.layer', message: (error as Error).message }] })
  }
  const copy = new InferenceCopy(trainer.network, config.network)
  let previous: { raw: Float64Array; aligned: Float64Array } | null = null
  let failed = false
  const gap = Math.max(1, Math.floor(config.iterations / SNAPSHOTS))
  let last = -Infinity
  return (iter) => {
    if (failed || (iter !== config.iterations && iter - last < gap)) return
    last = iter
    try {
      copy.sync()
      const { method } = settings
      const warm = previous && method !== 'pca' ? { init: previous.raw, iterations: WARM_ITERATIONS[method] } : {}
      const job = embedJob(copy, trainer.test, { method, layer: settings.layer, count, settings: { seed: config.seed, ...warm } })
      while (job.projection.step());
      const raw = job.projection.result().points
      // The axes of a projection mean nothing: turn, mirror and scale it onto the last one so the picture moves smoothly.
      const aligned = previous ? procrustes(previous.aligned, raw).points : raw
      previous = { raw, aligned }
      out.emit({
        type: 'embeddingSnapshot',
        runId,
        iter,
        layer: job.layer,
        method,
        points: roundedPairs(aligned),
        labels: Array.from(job.activations.labels),
        predicted: Array.from(job.activations.predicted)
      })
    } catch (error) {
      // Reported once; the run trains on without embeddings.
      failed = true
      out.emitError(error, { runId })
    }
  }
}
