/**
 * Embeddings of a trained conv net (cnn-simple, 200 iterations of batch 50 on the bundled MNIST's first
 * 2,000 training images, float32 as the app trains) against the same architecture with random weights:
 * the trained net's last hidden layer separates the digits far better in UMAP's picture. Also: the
 * default layer, and UMAP's seed (same seed, same points bit for bit; another seed, other points).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { embedJob } from '../../../src/engine/embed/embed'
import { project } from '../../../src/engine/embed/projection'
import type { InferenceCopy } from '../../../src/engine/explain/inference-copy'
import { trainCnnSimple } from '../explain/trained-cnn'
import { neighbourAgreement } from './neighbours'

/** Test images embedded: the first N of the split. */
const N = 500

let data: ImageDataset
let trained: InferenceCopy
let untrained: InferenceCopy

beforeAll(async () => {
  ;({ data, trained, untrained } = await trainCnnSimple())
}, 180_000)

const embed = (copy: InferenceCopy, method: 'pca' | 'tsne' | 'umap', seed = 1) => {
  const job = embedJob(copy, data.test, { method, count: N, settings: { seed } })
  while (job.projection.step());
  return { ...job, points: job.projection.result().points }
}

describe('embeddings of a trained conv net', { timeout: 180_000 }, () => {
  it("the default layer is the last hidden one (relu2, 100 values), with the network's answers", () => {
    const { layer, activations } = embedJob(trained, data.test, { method: 'pca', count: N })
    expect(layer).toBe('relu2')
    expect(activations.dimensions).toBe(100)
    const correct = activations.predicted.filter((p, i) => p === activations.labels[i]).length
    expect(correct / N).toBeGreaterThan(0.85)
  })

  it('UMAP separates the digits far better after training than with random weights', () => {
    const after = neighbourAgreement(embed(trained, 'umap').points, data.test.labels.subarray(0, N), 10)
    const before = neighbourAgreement(embed(untrained, 'umap').points, data.test.labels.subarray(0, N), 10)
    // Measured (deterministic, the same on every host): trained majority 0.844, share 0.799; random weights 0.618, share 0.617.
    // Random features of MNIST pixels already group digits somewhat; training adds about a fifth of all neighbours.
    console.log(
      `UMAP, 10-NN label agreement of ${N} test digits: trained ${after.majority.toFixed(3)} (share ${after.share.toFixed(3)}), random weights ${before.majority.toFixed(3)} (share ${before.share.toFixed(3)})`
    )
    expect(after.majority).toBeGreaterThan(0.8)
    expect(after.share - before.share).toBeGreaterThan(0.12)
  })

  it('UMAP: the same seed gives the same points bit for bit, another seed other points', () => {
    const { activations } = embedJob(trained, data.test, { method: 'umap', count: 200 })
    const a = project('umap', activations, { seed: 7, iterations: 100 }).points
    const b = project('umap', activations, { seed: 7, iterations: 100 }).points
    const c = project('umap', activations, { seed: 8, iterations: 100 }).points
    expect(b).toEqual(a)
    expect(c).not.toEqual(a)
  })
})
