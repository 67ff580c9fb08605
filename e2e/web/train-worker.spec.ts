import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import type { RunConfig } from '../../src/engine/config/run-config'
import type { ImageDataset, Split } from '../../src/engine/data/image-set'
import { decodeMnist } from '../../src/engine/data/mnist'
import { readIdxDirectory } from '../../src/engine/hosts/node/read-idx-dir'
import { findPreset } from '../../src/engine/presets'
import { trainFingerprint } from './train-fingerprint'
import { runInWorker, workerBundle } from './worker-bundle'

/*
 * The promise of issue 24: a seeded run gives the same numbers on every host. The engine's trainer bundled
 * for a browser and run in a real Chromium Web Worker trains a few iterations of presets that use every
 * transcendental function of the training path — Gaussian weights (log), sigmoid and softmax (exp), the
 * loss (log), tanh, Adam's bias correction (pow), a cosine schedule (cos) — and gives Node's losses,
 * accuracies and weights bit for bit. (Before core/portable-math was used there, the Gaussian draws alone
 * differed: V8's Math.log is not the same in Node 20 and Chromium.)
 */
const ENTRY = `
import { trainFingerprint } from './e2e/web/train-fingerprint'
self.onmessage = (event) => {
  const { config, dataset } = event.data
  const split = (s) => ({ ...s, images: Uint8Array.from(s.images), labels: Uint8Array.from(s.labels) })
  self.postMessage(trainFingerprint(config, { ...dataset, train: split(dataset.train), test: split(dataset.test) }))
}
`

const firstImages = (split: Split, count: number): Split => ({
  ...split,
  count,
  images: split.images.slice(0, count * split.channels * split.rows * split.cols),
  labels: split.labels.slice(0, count)
})

function runs(): [string, RunConfig][] {
  const sigmoid = findPreset('vg-sigmoid-gauss').config
  const short = { iterations: 12, evalInterval: 6 }
  return [
    ['vg-sigmoid-gauss float64', { ...sigmoid, ...short, precision: 'float64' }],
    ['vg-sigmoid-gauss float32', { ...sigmoid, ...short, precision: 'float32' }],
    [
      'tanh, Adam, cosine schedule, float64',
      {
        ...sigmoid,
        ...short,
        precision: 'float64',
        network: { ...sigmoid.network, activation: 'tanh' } as RunConfig['network'],
        optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999 },
        lrSchedule: { kind: 'cosine', minLr: 1e-4, warmup: { iterations: 3 } }
      } as RunConfig
    ],
    ['cnn-simple (conv, Adam) float64', { ...findPreset('cnn-simple').config, iterations: 3, evalInterval: 3, batchSize: 10, precision: 'float64' }]
  ]
}

test("a seeded training run in a Web Worker gives Node's losses and weights bit for bit", async ({ page }) => {
  test.setTimeout(120_000)
  const code = await workerBundle(ENTRY)
  const mnist = await decodeMnist('bundled', await readIdxDirectory(resolve(__dirname, '../../resources/mnist')))
  const dataset: ImageDataset = { ...mnist, train: firstImages(mnist.train, 200), test: firstImages(mnist.test, 50) }
  // Plain arrays cross into the page; the worker makes them bytes again.
  const plain = (split: Split) => ({ ...split, images: Array.from(split.images), labels: Array.from(split.labels) })
  const sent = { ...dataset, train: plain(dataset.train), test: plain(dataset.test) }
  await page.goto('about:blank')
  for (const [name, config] of runs()) {
    const inNode = trainFingerprint(config, dataset)
    const inWorker = await runInWorker(page, code, { config, dataset: sent })
    expect(inNode.losses.length, name).toBe(config.iterations)
    expect(inNode.kernels, name).toBe('wasm')
    // toEqual compares numbers with Object.is: every loss and accuracy to the last bit, and the weights' hash.
    expect(inWorker, name).toEqual(inNode)
  }
})
