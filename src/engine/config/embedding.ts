import { z } from 'zod'

/**
 * Embeddings (issue 21, item 3): a layer's activations for N images projected to 2-D. The methods and
 * their limits are shared by the `embed` command, `lab embed` and a run's `embedding` setting.
 */
export const EMBED_METHODS = ['pca', 'tsne', 'umap'] as const
export const EmbedMethodSchema = z.enum(EMBED_METHODS)
export type EmbedMethod = z.infer<typeof EmbedMethodSchema>

/** Fewer points than this make no picture (t-SNE's perplexity and UMAP's neighbours need some). */
export const EMBED_MIN_POINTS = 10
/** Exact t-SNE is O(N²) per iteration: beyond this it takes minutes. */
export const EMBED_MAX_POINTS = 5000

/**
 * A run's embedding over training: at each evaluation the projection of the first `n` test images (of
 * the limited split), aligned onto the previous one. Absent = nothing computed, nothing drawn.
 */
export const RunEmbeddingSchema = z
  .object({
    /** A layer name ('conv1', 'affine2', …); absent = the last hidden layer before the class scores. */
    layer: z.string().min(1).max(100).optional(),
    n: z
      .number({ error: 'embedding points must be a whole number' })
      .int('embedding points must be a whole number')
      .min(EMBED_MIN_POINTS, `embedding points must be at least ${EMBED_MIN_POINTS}`)
      .max(2000, 'embedding points must be at most 2000')
      .default(500),
    method: EmbedMethodSchema.default('pca')
  })
  .strict()
export type RunEmbedding = z.infer<typeof RunEmbeddingSchema>
