/**
 * `explainImage` through a real session, on a short float32 conv run on the bundled MNIST: a test image
 * by index and the same image as pixels give the same answer, the scores are the model's own
 * (predictDigit's), and bad requests are one-line INVALID_REQUEST errors.
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
  network: {
    kind: 'layers',
    init: 'he',
    layers: [{ kind: 'conv2d', filters: 6, size: 3, pad: 1 }, { kind: 'relu' }, { kind: 'maxpool', size: 2, stride: 2 }, { kind: 'affine', units: 10 }]
  },
  optimizer: { kind: 'adam', lr: 0.01 },
  batchSize: 50,
  iterations: 30,
  evalInterval: 30,
  seed: 3,
  trainAccuracy: 'batch-before-update',
  trainLimit: 1000,
  testLimit: 200
}

describe('explainImage', { timeout: 60_000 }, () => {
  it("answers for the last run by index or by pixels, with the model's own scores; bad requests are INVALID_REQUEST", async () => {
    const s = await readySession(bundled)
    expect((await s.request('error', { type: 'explainImage', requestId: 'early', index: 0, method: 'saliency' })).code).toBe('NO_NETWORK')
    s.client.postMessage({ type: 'startRun', runId: 'r1', config: CONFIG })
    await s.next('runFinished')

    const byIndex = await s.request('explanation', { type: 'explainImage', requestId: 'a', split: 'test', index: 7, method: 'gradcam' })
    expect([byIndex.height, byIndex.width, byIndex.map.length, byIndex.channels, byIndex.layer, byIndex.reduction]).toEqual([28, 28, 784, 1, 'conv1', 'none'])
    expect(byIndex.split).toBe('test')
    expect(byIndex.index).toBe(7)
    expect(byIndex.class).toBe(byIndex.predicted)
    expect(byIndex.scores.indexOf(Math.max(...byIndex.scores))).toBe(byIndex.predicted)
    // ReLU(Σ w_k A_k): never negative (and on a net's first conv layer often all zero, see trained-mnist.test.ts).
    expect(Math.min(...byIndex.map)).toBeGreaterThanOrEqual(0)

    const image = await s.request('featureMaps', { type: 'getFeatureMaps', requestId: 'f', layer: 'conv1', split: 'test', index: 7 })
    expect(image.label).toBe(byIndex.label)
    const pixels = image.image.values
    const byPixels = await s.request('explanation', { type: 'explainImage', requestId: 'b', pixels, method: 'gradcam' })
    expect(byPixels.map).toEqual(byIndex.map)
    expect(byPixels.index).toBeUndefined()
    const prediction = await s.request('digitPrediction', { type: 'predictDigit', requestId: 'p', pixels })
    expect(byIndex.scores).toEqual(prediction.scores)

    const other = (byIndex.predicted + 1) % 10
    const integrated = await s.request('explanation', {
      type: 'explainImage',
      requestId: 'c',
      index: 7,
      method: 'integrated',
      class: other,
      options: { steps: 32 }
    })
    expect(integrated.class).toBe(other)
    expect(integrated.settings).toEqual({ steps: 32, rule: 'midpoint', baseline: 0 })
    expect(integrated.completeness!.relativeError).toBeLessThan(0.01)
    expect(integrated.channelMaps).toHaveLength(784)

    const bad = async (command: Record<string, unknown>) => {
      const error = await s.request('error', { type: 'explainImage', requestId: 'bad', ...command })
      s.events.splice(s.events.indexOf(error), 1)
      expect(error.code).toBe('INVALID_REQUEST')
      return error.message
    }
    expect(await bad({ index: 2000, method: 'saliency' })).toBe('image 2000 is outside the test images (0 to 1999)')
    expect(await bad({ index: 0, method: 'lime' })).toBe('unknown method "lime": use saliency, gradxinput, smoothgrad, integrated, occlusion, gradcam')
    expect(await bad({ index: 0, method: 'gradcam', layer: 'relu1' })).toBe('Grad-CAM needs a conv layer: "relu1" is not one (conv layers: conv1)')
    expect(await bad({ index: 0, pixels, method: 'saliency' })).toBe('give either an image index or the pixels of an image, not both or neither')
    expect(await bad({ pixels: [0.5], method: 'saliency' })).toBe('the model takes 1×28×28 images (784 values), the pixels are 1 values')
  })
})
