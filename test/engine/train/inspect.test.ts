import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { defineRunConfig } from '../../../src/engine/config/run-config'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import type { DatasetFiles } from '../../../src/engine/protocol'
import { connectSession } from '../session/session-harness'
import { decodeMnist } from '../../../src/engine/data/mnist'
import { RunInspector } from '../../../src/engine/inspect/inspect-run'
import { Trainer } from '../../../src/engine/train/trainer'

const connect = connectSession

/** A small conv net that trains fast: a padded conv, pooling, a strided conv, then the class scores. */
const config = defineRunConfig({
  network: {
    kind: 'layers',
    init: 'he',
    layers: [
      { kind: 'conv2d', filters: 4, size: 3, pad: 1 },
      { kind: 'relu' },
      { kind: 'maxpool', size: 2, stride: 2 },
      { kind: 'conv2d', filters: 3, size: 3, stride: 2, pad: 1 },
      { kind: 'relu' },
      { kind: 'affine', units: 10 }
    ]
  },
  optimizer: { kind: 'adam', lr: 0.001 },
  batchSize: 20,
  iterations: 1_000_000,
  evalInterval: 1_000_000,
  seed: 3,
  trainAccuracy: 'train-set',
  trainLimit: 500,
  testLimit: 100
})

let bundled: DatasetFiles
beforeAll(async () => {
  bundled = await readIdxDirectory(BUNDLED_MNIST_DIR)
})

describe('visualisation requests', () => {
  it('need a network: before any run they answer NO_NETWORK', async () => {
    const { request } = connect()
    const error = await request('error', { type: 'getFilters', requestId: 'f0', layer: 'conv1' })
    expect(error.code).toBe('NO_NETWORK')
  })

  it('runStarted lists the layers with their output shapes', async () => {
    const { session, client, next } = connect()
    await session.loadDataset('bundled', bundled)
    client.postMessage({ type: 'startRun', runId: 'r', config: { ...config, iterations: 1 } })
    const started = await next('runStarted')
    expect(started.layers?.map((l) => `${l.name} ${l.kind} [${l.outputShape.join(', ')}] ${l.params}`)).toEqual([
      'conv1 conv2d [4, 28, 28] 40',
      'relu1 relu [4, 28, 28] 0',
      'maxpool1 maxpool [4, 14, 14] 0',
      'conv2 conv2d [3, 7, 7] 111',
      'relu2 relu [3, 7, 7] 0',
      'affine1 affine [10] 1480'
    ])
    await next('runFinished')
  })

  it('are answered while the run trains, which keeps going', async () => {
    const { session, client, next, events, request } = connect()
    await session.loadDataset('bundled', bundled)
    client.postMessage({ type: 'startRun', runId: 'live', config })
    await next('progress')
    const filters = await request('filters', { type: 'getFilters', requestId: 'f1', layer: 'conv1' })
    const iterAtAnswer = Math.max(...events.flatMap((e) => (e.type === 'progress' ? [e.iter] : [])))
    await next('progress', (p) => p.iter > iterAtAnswer)
    expect(filters.runId).toBe('live')
    expect(filters.shape).toEqual([4, 1, 3, 3])
    client.postMessage({ type: 'stopRun', runId: 'live' })
    expect((await next('runFinished')).status).toBe('stopped')
  })

  it('give filters, feature maps and im2col rows that agree with each other (run paused)', async () => {
    const { session, client, next, request } = connect()
    await session.loadDataset('bundled', bundled)
    client.postMessage({ type: 'startRun', runId: 'p', config })
    await next('progress')
    client.postMessage({ type: 'pauseRun', runId: 'p' })
    await next('runPaused')

    const filters = await request('filters', { type: 'getFilters', requestId: 'a', layer: 'conv2' })
    expect(filters.shape).toEqual([3, 4, 3, 3])
    expect(filters.weights).toHaveLength(3)
    expect(filters.weights[0]).toHaveLength(4)
    expect(filters.weights[0][0]).toHaveLength(3)
    const pooled = await request('featureMaps', { type: 'getFeatureMaps', requestId: 'b', layer: 'maxpool1', split: 'test', index: 7 })
    expect(pooled.output.shape).toEqual([4, 14, 14])
    expect(pooled.image.shape).toEqual([1, 28, 28])
    const conv2 = await request('featureMaps', { type: 'getFeatureMaps', requestId: 'c', layer: 'conv2', split: 'test', index: 7 })
    expect(conv2.label).toBe(pooled.label)
    const view = await request('im2col', { type: 'getIm2col', requestId: 'd', layer: 'conv2', split: 'test', index: 7 })

    // One row per output position, C·FH·FW = 4·3·3 columns, windows every 2 pixels of the padded input.
    expect([view.outHeight, view.outWidth, view.rows.length, view.rows[0].length]).toEqual([7, 7, 49, 36])
    expect(view.window).toEqual({ height: 3, width: 3, stride: 2, pad: 1 })
    expect(view.windows[8]).toEqual({ oy: 1, ox: 1, y: 2, x: 2 })
    expect(view.input).toEqual(pooled.output)
    // Each row is its window of the zero-padded input, channel by channel.
    const at = (c: number, y: number, x: number) => (y < 0 || y >= 14 || x < 0 || x >= 14 ? 0 : pooled.output.values[(c * 14 + y) * 14 + x])
    view.windows.forEach(({ y, x }, r) => {
      const expected = [0, 1, 2, 3].flatMap((c) => [0, 1, 2].flatMap((ky) => [0, 1, 2].map((kx) => at(c, y + ky - 1, x + kx - 1))))
      expect(view.rows[r]).toEqual(expected)
    })
    // And row · filter + bias is that filter's feature map at the row's output position.
    view.windows.forEach(({ oy, ox }, r) => {
      for (let f = 0; f < 3; f++) {
        const w = filters.weights[f].flat(2)
        const dot = view.rows[r].reduce((sum, v, i) => sum + v * w[i], filters.bias[f])
        const scale = view.rows[r].reduce((sum, v, i) => sum + Math.abs(v * w[i]), Math.abs(filters.bias[f]))
        // float32 sums of 37 terms: within a few float32 roundings of the terms' magnitude.
        expect(Math.abs(conv2.output.values[(f * 7 + oy) * 7 + ox] - dot)).toBeLessThanOrEqual(1e-6 * scale)
      }
    })
    client.postMessage({ type: 'stopRun', runId: 'p' })
    await next('runFinished')
    // The last run's network still answers once it has ended.
    const after = await request('filters', { type: 'getFilters', requestId: 'e', layer: 'conv2' })
    expect(after.weights).toEqual(filters.weights)
  })

  it.each([
    [{ type: 'getFilters', layer: 'conv9' }, /has no layer "conv9"; its layers are conv1, relu1, maxpool1, conv2, relu2, affine1/],
    [{ type: 'getIm2col', layer: 'relu1', split: 'train', index: 0 }, /layer "relu1" is not a convolution/],
    [{ type: 'getFeatureMaps', layer: 'conv1', split: 'train', index: 500 }, /image 500 is outside the run's train images \(0 to 499\)/]
  ])('refuse %j with INVALID_REQUEST', async (command, message) => {
    const { session, client, next, request } = connect()
    await session.loadDataset('bundled', bundled)
    client.postMessage({ type: 'startRun', runId: 'x', config: { ...config, iterations: 1 } })
    await next('runFinished')
    const error = await request('error', { ...command, requestId: 'bad' })
    expect(error.code).toBe('INVALID_REQUEST')
    expect(error.message).toMatch(message)
  })
})

describe('looking does not change a run', () => {
  it('the same seed gives bit-identical losses whether or not requests are answered between steps', async () => {
    const dataset = await decodeMnist('bundled', bundled)
    const quiet = new Trainer(config, dataset)
    const watched = new Trainer(config, dataset)
    const inspector = new RunInspector('w', watched)
    for (let i = 0; i < 6; i++) {
      expect(watched.step().loss).toBe(quiet.step().loss)
      inspector.answer({ type: 'getFeatureMaps', requestId: `r${i}`, layer: 'affine1', split: 'train', index: i })
      inspector.answer({ type: 'getIm2col', requestId: `s${i}`, layer: 'conv2', split: 'test', index: i })
    }
  })
})
