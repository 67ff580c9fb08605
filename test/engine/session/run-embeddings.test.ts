/**
 * A run's embedding recorder on its own: about 50 snapshots per run at most (the start and the last
 * iteration always), none without config.embedding, and snapshots that follow the network as it trains.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { defineRunConfig, type RunConfig } from '../../../src/engine/config/run-config'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { decodeMnist } from '../../../src/engine/data/mnist'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import type { EngineEvent } from '../../../src/engine/protocol'
import { runEmbeddings } from '../../../src/engine/session/run-embeddings'
import { Trainer } from '../../../src/engine/train/trainer'

let data: ImageDataset
beforeAll(async () => {
  data = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
})

const CONFIG: RunConfig = defineRunConfig({
  network: { kind: 'mlp', hidden: [16], activation: 'relu', init: 'he' },
  optimizer: { kind: 'sgd', lr: 0.1 },
  batchSize: 20,
  iterations: 400,
  evalInterval: 1,
  seed: 1,
  trainAccuracy: 'batch-before-update',
  trainLimit: 500,
  testLimit: 100
})

function recorder(config: RunConfig) {
  const trainer = new Trainer(config, data)
  const events: EngineEvent[] = []
  const record = runEmbeddings('r', trainer, config, {
    emit: (e) => events.push(e),
    emitError: (e) => events.push({ type: 'error', code: 'INTERNAL', message: String(e) })
  })
  return { trainer, events, record }
}

describe('runEmbeddings', () => {
  it('nothing without config.embedding', () => {
    expect(recorder(CONFIG).record).toBeNull()
  })

  it('every 8th of 400 iterations (about 50 per run), the start and the last always', () => {
    const { events, record } = recorder({ ...CONFIG, embedding: { n: 20, method: 'pca' } })
    for (let iter = 0; iter <= 399; iter++) record!(iter)
    record!(400)
    const iters = events.map((e) => (e.type === 'embeddingSnapshot' ? e.iter : -1))
    expect(iters).toEqual([...Array.from({ length: 50 }, (_, k) => 8 * k), 400])
  })

  it('follows the network: the picture after training differs from the one at the start, the points keep their images', () => {
    const { trainer, events, record } = recorder({ ...CONFIG, embedding: { n: 30, method: 'pca', layer: 'relu1' } })
    record!(0)
    while (trainer.iterationsDone < 100) trainer.step()
    record!(100)
    const [start, later] = events as Array<Extract<EngineEvent, { type: 'embeddingSnapshot' }>>
    expect(start.layer).toBe('relu1')
    expect(later.labels).toEqual(start.labels)
    expect(later.points).not.toEqual(start.points)
    const correct = (e: typeof start) => e.predicted.filter((p, i) => p === e.labels[i]).length
    expect(correct(later)).toBeGreaterThan(correct(start))
  })
})
