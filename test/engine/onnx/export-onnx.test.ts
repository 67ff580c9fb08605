/**
 * The exported ONNX file, run in onnxruntime-web (its WebAssembly build, in Node), gives the engine's
 * class scores on 100 test digits to 1e-4: for an MLP with batch norm and (course) dropout, for cnn-simple,
 * and for a small conv net with every other layer kind the lab has.
 */
import * as ort from 'onnxruntime-web'
import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { defineRunConfig, type RunConfig } from '../../../src/engine/config/run-config'
import { Tensor } from '../../../src/engine/core/tensor'
import { gatherRange } from '../../../src/engine/data/batch'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { exportOnnx } from '../../../src/engine/onnx/export-onnx'
import { findPreset } from '../../../src/engine/presets'
import { Trainer } from '../../../src/engine/train/trainer'
import { colourDataset } from '../../fixtures/colour-dataset'

let dataset: ImageDataset
beforeAll(async () => {
  ort.env.wasm.numThreads = 1
  dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
})

async function crossCheck(config: RunConfig, iterations: number, data: ImageDataset = dataset): Promise<number> {
  const trainer = new Trainer({ ...config, iterations, trainLimit: 1000, testLimit: 200 }, data)
  while (!trainer.finished) trainer.step()
  const network = trainer.network
  const n = 100
  const x = Tensor.zeros([n, ...network.inputShape], network.precision)
  gatherRange(trainer.test, 0, x, new Uint8Array(n))
  const expected = network.predict(x, 'test').data

  const session = await ort.InferenceSession.create(exportOnnx(network, trainer.config))
  const feeds = { pixels: new ort.Tensor('float32', Float32Array.from(x.data), [n, ...network.inputShape]) }
  const output = (await session.run(feeds)).scores
  expect(output.dims).toEqual([n, data.classes.length])
  const actual = output.data as Float32Array
  let worst = 0
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])))
  expect(worst).toBeLessThan(1e-4)
  return worst
}

describe('ONNX export matches the engine in onnxruntime-web', () => {
  it('a conv net and an MLP on colour images of another size, with their own classes ([N, C, H, W] and [N, C·H·W] in)', async () => {
    const colour = colourDataset()
    const conv = findPreset('cnn-simple').config
    await crossCheck({ ...conv, batchSize: 40 }, 20, colour)
    const mlp = findPreset('vg-relu-he').config
    await crossCheck({ ...mlp, batchSize: 40 }, 20, colour)
  }, 60_000)

  it('an MLP with batch norm and the course dropout', async () => {
    await crossCheck(
      defineRunConfig({
        network: { kind: 'mlp', hidden: [50, 30], activation: 'relu', init: 'he', normalization: 'batchnorm', dropout: { ratio: 0.3, mode: 'course' } },
        optimizer: { kind: 'adam', lr: 0.003 },
        batchSize: 50,
        iterations: 1,
        evalInterval: 1000,
        seed: 5,
        trainAccuracy: 'batch-before-update'
      }),
      60
    )
  }, 60_000)

  it('cnn-simple', async () => {
    await crossCheck({ ...findPreset('cnn-simple').config, evalSubset: undefined, batchSize: 20, evalInterval: 1000 }, 15)
  }, 60_000)

  it('every other layer kind: channel batch norm, group, instance and layer norm, padded pools, sigmoid and tanh, layer norm on an MLP', async () => {
    await crossCheck(
      defineRunConfig({
        network: {
          kind: 'layers',
          init: 'he',
          layers: [
            { kind: 'conv2d', filters: 4, size: 3, pad: 1, stride: 1 },
            { kind: 'batchnorm', mode: 'channel' },
            { kind: 'relu' },
            { kind: 'maxpool', size: 3, stride: 2, pad: 1 },
            { kind: 'conv2d', filters: 6, size: 3, stride: 2 },
            { kind: 'groupnorm', groups: 2 },
            { kind: 'tanh' },
            { kind: 'avgpool', size: 2, stride: 2, pad: 1 },
            { kind: 'instancenorm' },
            { kind: 'batchnorm', mode: 'course' },
            { kind: 'sigmoid' },
            { kind: 'flatten' },
            { kind: 'affine', units: 20 },
            { kind: 'layernorm' },
            { kind: 'dropout', ratio: 0.2, mode: 'inverted' },
            { kind: 'affine', units: 10 }
          ]
        },
        optimizer: { kind: 'adam', lr: 0.01 },
        batchSize: 20,
        iterations: 1,
        evalInterval: 1000,
        seed: 9,
        trainAccuracy: 'batch-before-update'
      }),
      10
    )
    await crossCheck(
      defineRunConfig({
        network: { kind: 'mlp', hidden: [30], activation: 'tanh', init: 'xavier', normalization: 'layernorm' },
        optimizer: { kind: 'sgd', lr: 0.1 },
        batchSize: 20,
        iterations: 1,
        evalInterval: 1000,
        seed: 2,
        trainAccuracy: 'batch-before-update'
      }),
      10
    )
  }, 60_000)
})
