/**
 * The model messages through a real session: save a finished run, load it back, evaluate it to the run's
 * own final accuracy, predict one digit, export ONNX, continue a checkpoint with resumeFrom; and clear
 * errors for a broken file or nothing to save.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import type { DatasetFiles } from '../../../src/engine/protocol'
import { readySession } from './session-harness'

let bundled: DatasetFiles
beforeAll(async () => {
  bundled = await readIdxDirectory(BUNDLED_MNIST_DIR)
})

const CONFIG = {
  network: { kind: 'mlp', hidden: [30], activation: 'relu', init: 'he', normalization: 'batchnorm' },
  optimizer: { kind: 'adam', lr: 0.005 },
  batchSize: 50,
  iterations: 40,
  evalInterval: 20,
  seed: 21,
  trainAccuracy: 'batch-before-update'
}

describe('model messages', { timeout: 60_000 }, () => {
  it("save → load → evaluate gives the run's final test accuracy; predict and export answer", async () => {
    const s = await readySession(bundled)
    expect((await s.request('error', { type: 'saveModel', requestId: 'early', checkpoint: false })).code).toBe('NO_NETWORK')
    s.client.postMessage({ type: 'startRun', runId: 'r1', config: CONFIG })
    const finished = await s.next('runFinished')
    const saved = await s.request('modelSaved', { type: 'saveModel', requestId: 's1', checkpoint: false })
    expect(saved.summary).toMatchObject({ kind: 'model', iteration: 40, metrics: { testAcc: finished.last!.testAcc } })
    expect(saved.summary.dataset?.name).toBe('bundled')

    const loaded = await s.request('modelLoaded', { type: 'loadModel', requestId: 'l1', bytes: saved.bytes })
    expect(loaded.layers.map((l) => l.name)).toContain('batchnorm1')
    const evaluation = await s.request('modelEvaluation', { type: 'evaluateModel', requestId: 'e1' })
    expect(evaluation.testAcc).toBe(finished.last!.testAcc)
    expect(evaluation.n).toBe(2000)
    expect(evaluation.misclassified.length).toBe(Math.round(2000 * (1 - evaluation.testAcc)))
    expect(evaluation.datasetNote).toBeUndefined()
    expect(s.events.some((e) => e.type === 'modelEvaluationProgress' && e.requestId === 'e1' && e.done === 2000)).toBe(true)

    const prediction = await s.request('digitPrediction', { type: 'predictDigit', requestId: 'p1', pixels: new Array(784).fill(0.5) })
    expect(prediction.probabilities).toHaveLength(10)
    expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    const exported = await s.request('modelExported', { type: 'exportModel', requestId: 'x1', format: 'onnx' })
    expect((exported.bytes as Uint8Array).length).toBeGreaterThan(1000)

    // The loaded model answers the visualisation requests too.
    const weights = await s.request('weights', { type: 'getWeights', requestId: 'w1', units: 4 })
    expect(weights.type).toBe('weights')
  })

  it('notes when the data differ, and refuses a broken file with the library untouched', async () => {
    const s = await readySession(bundled)
    s.client.postMessage({ type: 'startRun', runId: 'r1', config: CONFIG })
    await s.next('runFinished')
    const saved = await s.request('modelSaved', { type: 'saveModel', requestId: 's1', checkpoint: true })
    const broken = (saved.bytes as Uint8Array).slice(0, 200)
    const error = await s.request('error', { type: 'loadModel', requestId: 'bad', bytes: broken })
    expect(error.code).toBe('INVALID_MODEL')
    expect(error.message).toMatch(/runs past the end|truncated/)

    // Same images, another order: another fingerprint.
    await s.session.loadDataset('shuffled', { ...bundled, testImages: bundled.trainImages, testLabels: bundled.trainLabels })
    await s.request('modelLoaded', { type: 'loadModel', requestId: 'l2', bytes: saved.bytes })
    const evaluation = await s.request('modelEvaluation', { type: 'evaluateModel', requestId: 'e2' })
    expect(evaluation.datasetNote).toMatch(/trained on "bundled"; it is evaluated on "shuffled"/)
  })

  it('startRun with resumeFrom continues the checkpoint exactly', async () => {
    const s = await readySession(bundled)
    s.client.postMessage({ type: 'startRun', runId: 'whole', config: { ...CONFIG, iterations: 60 } })
    await s.next('runFinished', (e) => e.runId === 'whole')
    const whole = s.events.filter((e) => e.type === 'evaluation' && e.runId === 'whole').map((e) => (e as any).evaluation)

    s.client.postMessage({ type: 'startRun', runId: 'part', config: CONFIG })
    await s.next('runFinished', (e) => e.runId === 'part')
    const saved = await s.request('modelSaved', { type: 'saveModel', requestId: 's', checkpoint: true })
    const bad = await s.request('error', { type: 'startRun', runId: 'other', config: { ...CONFIG, iterations: 60, seed: 2 }, resumeFrom: saved.bytes } as any)
    expect(bad.message).toMatch(/keeps its checkpoint's settings/)
    s.client.postMessage({ type: 'startRun', runId: 'rest', config: { ...CONFIG, iterations: 60 }, resumeFrom: saved.bytes })
    await s.next('runFinished', (e) => e.runId === 'rest')
    const rest = s.events.filter((e) => e.type === 'evaluation' && e.runId === 'rest').map((e) => (e as any).evaluation)
    const strip = (list: any[]) => list.map(({ elapsedMs: _t, layers: _l, ...k }) => k)
    expect(strip(rest)).toEqual(strip(whole.filter((e) => e.iter > 40)))
  })
})
