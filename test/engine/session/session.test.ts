import { beforeAll, describe, expect, it } from 'vitest'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { PROTOCOL_VERSION, type DatasetFiles } from '../../../src/engine/protocol'
import { connectSession } from './session-harness'
import { findPreset } from '../../../src/engine/presets'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'

const connect = connectSession

const shortRun = { ...findPreset('vg-relu-he').config, iterations: 60, evalInterval: 20 }
let bundled: DatasetFiles

beforeAll(async () => {
  bundled = await readIdxDirectory(BUNDLED_MNIST_DIR)
})

describe('engine session', () => {
  it('answers hello with ready (presets, no dataset yet) and refuses another protocol version', async () => {
    const { client, next, events } = connect()
    client.postMessage({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    const ready = await next('ready')
    expect(ready.presets.map((p) => p.id)).toContain('vg-relu-he')
    expect(ready.dataset).toBeNull()
    expect(ready.kernels).toBe('wasm') // Node 20 compiles the WebAssembly SIMD kernels
    client.postMessage({ type: 'hello', protocolVersion: PROTOCOL_VERSION + 1 })
    const error = await next('error')
    expect(error.code).toBe('PROTOCOL_MISMATCH')
    expect(events.filter((e) => e.type === 'ready')).toHaveLength(1)
  })

  it('reports a malformed message as INVALID_MESSAGE and keeps working', async () => {
    const { client, next } = connect()
    client.postMessage({ type: 'startRun' })
    expect((await next('error')).code).toBe('INVALID_MESSAGE')
    client.postMessage({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    await next('ready')
  })

  it('refuses to start without a dataset, and with invalid settings names the fields', async () => {
    const { session, client, next } = connect()
    client.postMessage({ type: 'startRun', runId: 'a', config: shortRun })
    expect((await next('error', (e) => e.runId === 'a')).code).toBe('NO_DATASET')
    await session.loadDataset('bundled', bundled)
    client.postMessage({ type: 'startRun', runId: 'b', config: { ...shortRun, batchSize: 0, optimizer: { kind: 'sgd', lr: -1 } } })
    const invalid = await next('error', (e) => e.runId === 'b')
    expect(invalid.code).toBe('INVALID_CONFIG')
    expect(invalid.problems?.map((p) => p.field).sort()).toEqual(['batchSize', 'optimizer.lr'])
    client.postMessage({ type: 'startRun', runId: 'c', config: { ...shortRun, batchSize: 9000 } })
    const tooBig = await next('error', (e) => e.runId === 'c')
    expect(tooBig.problems?.[0]).toEqual({ field: 'batchSize', message: '9000 is larger than the 8000 training images in use' })
  })

  it('keeps the previous dataset when a new one is corrupt', async () => {
    const { session, client, next } = connect()
    await session.loadDataset('bundled', bundled)
    const truncated = { ...bundled, trainLabels: (bundled.trainLabels as Uint8Array).subarray(0, 100) }
    await session.loadDataset('broken', truncated, 'r1')
    const error = await next('error', (e) => e.requestId === 'r1')
    expect(error.code).toBe('DATASET_INVALID')
    expect(error.message).toContain('train-labels-idx1-ubyte')
    client.postMessage({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    expect((await next('ready')).dataset?.name).toBe('bundled')
  })

  it('runs to completion with progress and evaluations, and refuses a second run meanwhile', async () => {
    const { session, client, next, events } = connect()
    await session.loadDataset('bundled', bundled)
    client.postMessage({ type: 'startRun', runId: 'r', config: shortRun, presetId: 'vg-relu-he' })
    await next('runStarted')
    client.postMessage({ type: 'startRun', runId: 'other', config: shortRun })
    expect((await next('error', (e) => e.runId === 'other')).code).toBe('RUN_BUSY')
    const finished = await next('runFinished')
    expect(finished.status).toBe('completed')
    expect(finished.iter).toBe(60)
    const evaluations = events.flatMap((e) => (e.type === 'evaluation' ? [e.evaluation.iter] : []))
    expect(evaluations).toEqual([20, 40, 60])
    // Every iteration's loss arrives exactly once, in order.
    const losses = events.flatMap((e) => (e.type === 'progress' ? e.losses.values.map((_, i) => e.losses.firstIter + i) : []))
    expect(losses).toEqual(Array.from({ length: 60 }, (_, i) => i + 1))
  })

  it('pauses, resumes and stops a run, keeping what it did', async () => {
    const { session, client, next } = connect()
    await session.loadDataset('bundled', bundled)
    client.postMessage({ type: 'startRun', runId: 'p', config: { ...shortRun, iterations: 1_000_000 } })
    await next('progress')
    client.postMessage({ type: 'pauseRun', runId: 'p' })
    const paused = await next('runPaused')
    client.postMessage({ type: 'resumeRun', runId: 'p' })
    await next('runResumed')
    client.postMessage({ type: 'stopRun', runId: 'p' })
    const finished = await next('runFinished')
    expect(finished.status).toBe('stopped')
    expect(finished.iter).toBeGreaterThanOrEqual(paused.iter)
    client.postMessage({ type: 'stopRun', runId: 'p' })
    expect((await next('error', (e) => e.runId === 'p')).code).toBe('UNKNOWN_RUN')
  })

  it('gives bit-identical metrics for the same seed, and different ones for another seed', async () => {
    const collect = async (seed: number) => {
      const { session, client, next, events } = connect()
      await session.loadDataset('bundled', bundled)
      client.postMessage({ type: 'startRun', runId: 's', config: { ...shortRun, seed } })
      await next('runFinished')
      return events.flatMap((e) => (e.type === 'evaluation' ? [[e.evaluation.loss, e.evaluation.trainAcc, e.evaluation.testAcc]] : []))
    }
    const first = await collect(5)
    expect(await collect(5)).toEqual(first)
    expect(await collect(6)).not.toEqual(first)
  })
})
