import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { defineRunConfig } from '../../../src/engine/config/run-config'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import type { DatasetFiles } from '../../../src/engine/protocol'
import { connectSession } from '../session/session-harness'
import { EventSchema } from '../../../src/engine/protocol'
import { decodeMnist } from '../../../src/engine/data/mnist'
import { RunInspector } from '../../../src/engine/inspect/inspect-run'
import { convFilterSnapshot } from '../../../src/engine/inspect/weights'
import { Trainer } from '../../../src/engine/train/trainer'

const convConfig = defineRunConfig({
  network: { kind: 'layers', init: 'he', layers: [{ kind: 'conv2d', filters: 3, size: 3 }, { kind: 'relu' }, { kind: 'affine', units: 10 }] },
  optimizer: { kind: 'adam', lr: 0.01 },
  batchSize: 10,
  iterations: 30,
  evalInterval: 10,
  seed: 1,
  trainAccuracy: 'batch-before-update',
  trainLimit: 200,
  testLimit: 100
})

const l1Config = defineRunConfig({
  network: { kind: 'mlp', hidden: [16], activation: 'relu', init: 'he' },
  optimizer: { kind: 'sgd', lr: 0.1 },
  batchSize: 20,
  iterations: 40,
  evalInterval: 20,
  seed: 2,
  trainAccuracy: 'batch-before-update',
  trainLimit: 300,
  testLimit: 100,
  regularization: { kind: 'l1', lambda: 0.01 }
})

let bundled: DatasetFiles
beforeAll(async () => {
  bundled = await readIdxDirectory(BUNDLED_MNIST_DIR)
})

describe('weights, filter snapshots and landscapes through the protocol', () => {
  it('before any run, weights and landscapes answer NO_NETWORK (the view offers to train one)', async () => {
    const { request } = connectSession()
    expect((await request('error', { type: 'getWeights', requestId: 'w0' })).code).toBe('NO_NETWORK')
    expect((await request('error', { type: 'computeLandscape', requestId: 'l0', images: 10, grid: 3 })).code).toBe('NO_NETWORK')
  })

  it('a conv run sends its filters at the start and at its evaluations', async () => {
    const { session, client, next, events } = connectSession()
    await session.loadDataset('bundled', bundled)
    client.postMessage({ type: 'startRun', runId: 'c', config: convConfig })
    await next('runFinished')
    const snapshots = events.filter((e) => e.type === 'filterSnapshot')
    expect(snapshots.map((s) => s.iter)).toEqual([0, 10, 20, 30])
    expect(snapshots[0].layers[0]).toMatchObject({ layer: 'conv1', shape: [3, 1, 3, 3] })
    expect(snapshots[0].layers[0].values).toHaveLength(27)
    expect(snapshots[0].layers[0].values).not.toEqual(snapshots[3].layers[0].values)
    // The last snapshot is the network's filters now.
    const filters = await (async () => {
      client.postMessage({ type: 'getFilters', requestId: 'f', layer: 'conv1' })
      return next('filters')
    })()
    expect(filters.weights.flat(3)).toEqual(snapshots[3].layers[0].values)
  })

  it("getWeights summarises every weight and draws the first layer's units", async () => {
    const { session, client, next, request } = connectSession()
    await session.loadDataset('bundled', bundled)
    client.postMessage({ type: 'startRun', runId: 'm', config: l1Config })
    await next('runFinished')
    const weights = await request('weights', { type: 'getWeights', requestId: 'w', units: 4 })
    expect(weights.iter).toBe(40)
    expect(weights.layers.map((l) => `${l.layer} ${l.shape.join('x')} ${l.count}`)).toEqual(['affine1 784x16 12544', 'affine2 16x10 160'])
    for (const l of weights.layers) {
      expect(l.histogram.counts.reduce((a, b) => a + b)).toBe(l.count)
      expect(l.magnitude.counts.reduce((a, b) => a + b) + l.magnitude.below).toBe(l.count)
      expect(l.histogram.hi).toBe(l.maxAbs)
    }
    // L1 pushes the weights of never-lit border pixels towards 0.
    expect(weights.layers[0].nearZero).toBeGreaterThan(0)
    expect(weights.units).toMatchObject({ layer: 'affine1', rows: 28, cols: 28, units: 16, shown: 4 })
    expect(weights.units!.values).toHaveLength(4 * 784)
  })

  it("a diverged network's weights still summarise: NaN and ∞ are counted apart, drawn as 0, and no filters are snapshotted", async () => {
    // In-process: the session's progress events of a diverged run carry NaN losses, which is another matter.
    const dataset = await decodeMnist('bundled', bundled)
    const diverging = { ...l1Config, optimizer: { kind: 'sgd' as const, lr: 0.1 }, regularization: { kind: 'l2' as const, lambda: 50 }, iterations: 400 }
    const trainer = new Trainer(diverging, dataset)
    while (!trainer.finished && Number.isFinite(trainer.step().loss));
    expect(trainer.finished).toBe(false)
    const weights = EventSchema.parse(new RunInspector('d', trainer).weights('wd', 2))
    if (weights.type !== 'weights') throw new Error('expected weights')
    const nonFinite = weights.layers.reduce((n, l) => n + l.nonFinite, 0)
    expect(nonFinite).toBeGreaterThan(0)
    for (const l of weights.layers) expect(l.histogram.counts.reduce((a, b) => a + b) + l.nonFinite).toBe(l.count)
    expect(weights.units!.values.every(Number.isFinite)).toBe(true)

    const convTrainer = new Trainer(convConfig, dataset)
    expect(convFilterSnapshot(convTrainer.network)).toHaveLength(1)
    convTrainer.network.params[0].value[4] = Number.NaN
    expect(convFilterSnapshot(convTrainer.network)).toEqual([])
  })

  it('a landscape reports progress, finishes, estimates first when asked, and can be cancelled', async () => {
    const { session, client, next, request, events } = connectSession()
    await session.loadDataset('bundled', bundled)
    client.postMessage({ type: 'startRun', runId: 'm', config: l1Config })
    await next('runFinished')
    const estimate = await request('landscapeEstimate', { type: 'computeLandscape', requestId: 'e', images: 50, grid: 21, estimateOnly: true })
    expect(estimate.points).toBe(441)
    expect(estimate.estimatedMs).toBeCloseTo(estimate.msPerPoint * 441, 6)

    const done = await request('landscape', { type: 'computeLandscape', requestId: 'l', images: 50, grid: 5, span: 0.5 })
    expect(done.runId).toBe('m')
    expect(done.iter).toBe(40)
    expect(done.result.loss).toHaveLength(25)
    expect(done.result.regularized).toHaveLength(25)
    const progress = events.filter((e) => e.type === 'landscapeProgress' && e.requestId === 'l')
    expect(progress.at(-1)).toMatchObject({ done: 25, total: 25 })

    client.postMessage({ type: 'computeLandscape', requestId: 'big', images: 100, grid: 101 })
    client.postMessage({ type: 'cancelLandscape', requestId: 'big' })
    await next('landscapeCancelled', (e) => e.requestId === 'big')
    expect(events.some((e) => e.type === 'landscape' && e.requestId === 'big')).toBe(false)
  })

  it("a landscape computed while a run trains leaves the run's numbers bit for bit the same", async () => {
    const plain = connectSession()
    await plain.session.loadDataset('bundled', bundled)
    plain.client.postMessage({ type: 'startRun', runId: 'a', config: { ...l1Config, iterations: 600 } })
    const alone = await plain.next('runFinished')

    const busy = connectSession()
    await busy.session.loadDataset('bundled', bundled)
    busy.client.postMessage({ type: 'startRun', runId: 'b', config: { ...l1Config, iterations: 600 } })
    await busy.next('runStarted')
    busy.client.postMessage({ type: 'computeLandscape', requestId: 'during', images: 100, grid: 7 })
    busy.client.postMessage({ type: 'getWeights', requestId: 'w-during' })
    const [withLandscape, landscape] = await Promise.all([busy.next('runFinished'), busy.next('landscape')])
    // The landscape is of the weights when it was asked for, early in the run.
    expect(landscape.iter).toBeLessThan(600)
    expect(withLandscape.last).toEqual({ ...alone.last, elapsedMs: withLandscape.last!.elapsedMs })
    const losses = (events: typeof plain.events) => events.flatMap((e) => (e.type === 'progress' ? e.losses.values : []))
    expect(losses(busy.events)).toEqual(losses(plain.events))
  })

  it('an even grid is refused with the reason', async () => {
    const { client, next } = connectSession()
    client.postMessage({ type: 'computeLandscape', requestId: 'x', images: 10, grid: 20 })
    const error = await next('error')
    expect(error.code).toBe('INVALID_MESSAGE')
    expect(error.message).toContain('grid must be odd')
  })
})
