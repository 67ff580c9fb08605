/**
 * Embeddings through a real session, on a short float32 conv run on the bundled MNIST: `embed` with
 * progress, its answer's shape and labels, cancelling, the layers to choose from, one-line errors; and a
 * run's `embeddingSnapshot`s (config.embedding) at its start and evaluations, rounded, aligned, while the
 * run's own numbers stay exactly those of the same run without them.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { decodeMnist } from '../../../src/engine/data/mnist'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { procrustes } from '../../../src/engine/embed/layout'
import type { DatasetFiles, EngineEvent } from '../../../src/engine/protocol'
import { readySession } from './session-harness'

let bundled: DatasetFiles
let testLabels: number[]
beforeAll(async () => {
  bundled = await readIdxDirectory(BUNDLED_MNIST_DIR)
  testLabels = Array.from((await decodeMnist('bundled', bundled)).test.labels)
})

const CONFIG = {
  network: {
    kind: 'layers',
    init: 'he',
    layers: [
      { kind: 'conv2d', filters: 6, size: 3, pad: 1 },
      { kind: 'relu' },
      { kind: 'maxpool', size: 2, stride: 2 },
      { kind: 'affine', units: 24 },
      { kind: 'relu' },
      { kind: 'dropout', ratio: 0.2, mode: 'inverted' },
      { kind: 'affine', units: 10 }
    ]
  },
  optimizer: { kind: 'adam', lr: 0.01 },
  batchSize: 50,
  iterations: 30,
  evalInterval: 10,
  seed: 3,
  trainAccuracy: 'batch-before-update',
  trainLimit: 1000,
  testLimit: 200
}

type Of<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>
const of = <T extends EngineEvent['type']>(events: EngineEvent[], type: T, runId?: string) =>
  events.filter((e): e is Of<T> => e.type === type && (runId === undefined || (e as { runId?: string }).runId === runId))

const significant = (v: number): number =>
  v === 0
    ? 0
    : v
        .toPrecision(4)
        .replace(/^-?0\.0*|[.-]|e.*$/g, '')
        .replace(/^0+/, '').length

describe('embed', { timeout: 120_000 }, () => {
  it('answers for the last run: progress, then n points, labels, answers and indices; the layers to choose from; bad requests in one line', async () => {
    const s = await readySession(bundled)
    expect((await s.request('error', { type: 'embed', requestId: 'early', method: 'pca' })).code).toBe('NO_NETWORK')
    s.client.postMessage({ type: 'startRun', runId: 'r1', config: CONFIG })
    await s.next('runFinished')

    const layers = await s.request('embeddingLayers', { type: 'getEmbeddingLayers', requestId: 'l' })
    // Dropout passes values on at test time: the default is the layer that made them.
    expect(layers.defaultLayer).toBe('relu2')
    expect(layers.layers.map((l) => l.name)).toEqual(['conv1', 'relu1', 'maxpool1', 'affine1', 'relu2', 'dropout1', 'affine2'])

    const result = await s.request('embedding', { type: 'embed', requestId: 'a', method: 'umap', n: 100, seed: 4 })
    expect(result).toMatchObject({ method: 'umap', layer: 'relu2', split: 'test', n: 100, dimensions: 24, seed: 4 })
    expect(result.points).toHaveLength(100)
    expect(result.indices).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(result.labels).toEqual(testLabels.slice(0, 100))
    expect(result.predicted.every((p) => p >= 0 && p < 10)).toBe(true)
    expect(result.settings).toMatchObject({ seed: 4, neighbors: 15, iterations: 500 })
    const progress = of(s.events, 'embeddingProgress').filter((e) => e.requestId === 'a')
    expect(progress[0]).toMatchObject({ phase: 'activations', done: 100, total: 100 })
    expect(progress.at(-1)).toMatchObject({ phase: 'projection', done: 500, total: 500 })

    const again = await s.request('embedding', { type: 'embed', requestId: 'b', method: 'umap', n: 100, seed: 4 })
    expect(again.points).toEqual(result.points)
    const pca = await s.request('embedding', { type: 'embed', requestId: 'c', method: 'pca', layer: 'maxpool1', split: 'train', n: 20 })
    expect(pca).toMatchObject({ layer: 'maxpool1', split: 'train', dimensions: 6 * 14 * 14 })
    expect(pca.explained![0]).toBeGreaterThan(pca.explained![1])

    const bad: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ method: 'pca', layer: 'conv9' }, 'INVALID_REQUEST', /no layer "conv9"/],
      [{ method: 'pca', n: 2500 }, 'INVALID_REQUEST', /the test split has 2000 images/],
      [{ method: 'pca', source: 'model' }, 'NO_NETWORK', /no model is open/]
    ]
    for (const [command, code, message] of bad) {
      const error = await s.request('error', { type: 'embed', requestId: `bad-${code}-${String(command.n ?? command.layer ?? command.source)}`, ...command })
      expect(error.code).toBe(code)
      expect(error.message).toMatch(message)
      expect(error.message).not.toMatch(/\n/)
    }
  })

  it('cancels: cancelEmbedding, or a new request, stops the one computing', async () => {
    const s = await readySession(bundled)
    s.client.postMessage({ type: 'startRun', runId: 'r1', config: CONFIG })
    await s.next('runFinished')
    s.client.postMessage({ type: 'embed', requestId: 'slow', method: 'tsne', n: 200 })
    s.client.postMessage({ type: 'cancelEmbedding', requestId: 'slow' })
    await s.next('embeddingCancelled', (e) => e.requestId === 'slow')
    s.client.postMessage({ type: 'embed', requestId: 'first', method: 'tsne', n: 200 })
    const second = await s.request('embedding', { type: 'embed', requestId: 'second', method: 'pca', n: 50 })
    expect(second.n).toBe(50)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(s.events.some((e) => e.type === 'embeddingCancelled' && e.requestId === 'first')).toBe(true)
    expect(s.events.some((e) => e.type === 'embedding' && (e.requestId === 'first' || e.requestId === 'slow'))).toBe(false)
  })
})

describe("a run's embedding over training (config.embedding)", { timeout: 180_000 }, () => {
  it('a snapshot at the start and at each evaluation, rounded and aligned; the run trains exactly as without', async () => {
    const s = await readySession(bundled)
    s.client.postMessage({ type: 'startRun', runId: 'plain', config: CONFIG })
    await s.next('runFinished', (e) => e.runId === 'plain')
    s.client.postMessage({ type: 'startRun', runId: 'pca', config: { ...CONFIG, embedding: { n: 60, method: 'pca' } } })
    await s.next('runFinished', (e) => e.runId === 'pca')
    s.client.postMessage({ type: 'startRun', runId: 'umap', config: { ...CONFIG, embedding: { n: 40, method: 'umap', layer: 'maxpool1' } } })
    await s.next('runFinished', (e) => e.runId === 'umap')

    const numbers = (runId: string) => of(s.events, 'evaluation', runId).map(({ evaluation: { elapsedMs: _, ...rest } }) => rest)
    expect(numbers('pca')).toEqual(numbers('plain'))
    expect(numbers('umap')).toEqual(numbers('plain'))
    expect(of(s.events, 'embeddingSnapshot', 'plain')).toHaveLength(0)

    for (const [runId, n, layer] of [
      ['pca', 60, 'relu2'],
      ['umap', 40, 'maxpool1']
    ] as const) {
      const snapshots = of(s.events, 'embeddingSnapshot', runId)
      expect(snapshots.map((e) => e.iter)).toEqual([0, 10, 20, 30])
      for (const snapshot of snapshots) {
        expect(snapshot).toMatchObject({ layer, method: runId })
        expect(snapshot.points).toHaveLength(n)
        expect(snapshot.labels).toEqual(testLabels.slice(0, n))
        expect(snapshot.predicted).toHaveLength(n)
        for (const point of snapshot.points) for (const v of point) expect(significant(v)).toBeLessThanOrEqual(4)
      }
      // Aligned: no turn, mirror or scale of a snapshot brings it nearer the one before.
      for (let k = 1; k < snapshots.length; k++) {
        const before = Float64Array.from(snapshots[k - 1].points.flat())
        const now = Float64Array.from(snapshots[k].points.flat())
        const again = procrustes(before, now)
        expect(again.scale).toBeCloseTo(1, 3)
        expect(Math.abs(again.angle)).toBeLessThan(1e-3)
        expect(again.reflected).toBe(false)
      }
    }
  })

  it('a layer the network lacks is an INVALID_CONFIG naming embedding.layer, before the run starts', async () => {
    const s = await readySession(bundled)
    s.client.postMessage({ type: 'startRun', runId: 'bad', config: { ...CONFIG, embedding: { method: 'pca', layer: 'conv7' } } })
    const error = await s.next('error', (e) => e.runId === 'bad')
    expect(error.code).toBe('INVALID_CONFIG')
    expect(error.problems).toEqual([{ field: 'embedding.layer', message: expect.stringMatching(/no layer "conv7"/) }])
    expect(s.events.some((e) => e.type === 'runStarted')).toBe(false)
  })
})
