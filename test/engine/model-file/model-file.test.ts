/**
 * The model file: exact round trips, and one clear INVALID_MODEL line for every kind of bad file the
 * issue lists, before anything is built from it.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { defineRunConfig } from '../../../src/engine/config/run-config'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { saveTrainer } from '../../../src/engine/model-file/checkpoint'
import { decodeModelFile, networkTensors, readModelSummary } from '../../../src/engine/model-file/model-file'
import { networkFromModelFile } from '../../../src/engine/model-file/model-network'
import { decodeSafetensors, encodeSafetensors } from '../../../src/engine/model-file/safetensors'
import { Tensor } from '../../../src/engine/core/tensor'
import { findPreset } from '../../../src/engine/presets'
import { Trainer } from '../../../src/engine/train/trainer'
import { gatherRange } from '../../../src/engine/data/batch'
import { expectOneLineError } from '../one-line-error'
import { withHeader } from '../../fixtures/safetensors'

let dataset: ImageDataset
let trained: Trainer
let modelBytes: Uint8Array
beforeAll(async () => {
  dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  trained = new Trainer(
    defineRunConfig({
      network: { kind: 'mlp', hidden: [20], activation: 'relu', init: 'he', normalization: 'batchnorm' },
      optimizer: { kind: 'adam', lr: 0.01 },
      batchSize: 16,
      iterations: 15,
      evalInterval: 15,
      seed: 3,
      trainAccuracy: 'batch-after-update',
      trainLimit: 200,
      testLimit: 100
    }),
    dataset
  )
  while (!trained.finished) trained.step()
  modelBytes = saveTrainer(trained, {
    presetId: 'custom',
    dataset: { name: 'bundled', fingerprint: '0123456789abcdef' },
    elapsedMs: 12,
    lastEvaluation: null,
    checkpoint: true
  })
})

const withMetadata = (bytes: Uint8Array, key: string, value: string) => withHeader(bytes, (h) => (h.__metadata__[key] = value))

describe('model file round trip', () => {
  it('is bit-exact for every parameter, running statistic and prediction', () => {
    const file = decodeModelFile(modelBytes)
    const network = networkFromModelFile(file)
    const original = new Map(networkTensors(trained.network).map((t) => [t.name, t.value]))
    for (const t of networkTensors(network)) expect(Array.from(t.value), t.name).toEqual(Array.from(original.get(t.name)!))
    expect(networkTensors(network).map((t) => t.name)).toContain('batchnorm1.runningMean')
    const x = Tensor.zeros([16, 784], network.precision)
    gatherRange(trained.test, 0, x, new Uint8Array(16))
    expect(Array.from(network.predict(x, 'test').data)).toEqual(Array.from(trained.network.predict(x, 'test').data))
  })

  it('summarises what a library lists', () => {
    const summary = readModelSummary(modelBytes)
    expect(summary).toMatchObject({ kind: 'checkpoint', presetId: 'custom', inputShape: [784], iteration: 15, precision: 'float32', formatVersion: 1 })
    expect(summary.parameterCount).toBe(784 * 20 + 20 + 20 * 10 + 10 + 2 * 20)
    expect(summary.dataset).toEqual({ name: 'bundled', fingerprint: '0123456789abcdef' })
    expect(summary.bytes).toBe(modelBytes.length)
  })

  it('keeps the safetensors layout: u64 header length, JSON header, data 8-byte aligned and back to back', () => {
    const view = new DataView(modelBytes.buffer, modelBytes.byteOffset)
    const headerLength = view.getUint32(0, true)
    expect(view.getUint32(4, true)).toBe(0)
    expect((8 + headerLength) % 8).toBe(0)
    const header = JSON.parse(new TextDecoder().decode(modelBytes.subarray(8, 8 + headerLength)))
    const spans = Object.entries(header)
      .filter(([k]) => k !== '__metadata__')
      .map(([, v]: [string, any]) => v.data_offsets as number[])
      .sort((a, b) => a[0] - b[0])
    expect(spans[0][0]).toBe(0)
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBe(spans[i - 1][1])
    expect(spans.at(-1)![1]).toBe(modelBytes.length - 8 - headerLength)
    expect(Object.values(header.__metadata__).every((v) => typeof v === 'string')).toBe(true)
  })

  it('stores float32 tensors as F32, exactly', () => {
    const value = new Float32Array([1.5, -2.25, 3.1415927, 1e-30])
    const decoded = decodeSafetensors(encodeSafetensors([{ name: 'w', shape: [2, 2], value }], {}))
    const t = decoded.tensors.get('w')!
    expect(t.precision).toBe('float32')
    expect(t.value).toBeInstanceOf(Float32Array)
    expect(Array.from(t.value)).toEqual(Array.from(value))
  })

  it('opens cnn-simple and checks conv shapes', () => {
    const trainer = new Trainer({ ...findPreset('cnn-simple').config, iterations: 1, trainLimit: 100, testLimit: 100 }, dataset)
    trainer.step()
    const summary = readModelSummary(saveTrainer(trainer, { dataset: null, elapsedMs: 0, lastEvaluation: null, checkpoint: false }))
    expect(summary).toMatchObject({ kind: 'model', inputShape: [1, 28, 28] })
  })
})

describe('bad model files: one clear line each', () => {
  const fails = (bytes: Uint8Array, message: RegExp) => expectOneLineError(() => decodeModelFile(bytes), 'INVALID_MODEL', message)

  it('a truncated file', () => {
    fails(modelBytes.subarray(0, 5), /too short to be a model/)
    fails(modelBytes.subarray(0, modelBytes.length - 3), /describes \d+ bytes of tensor data, but the file holds \d+/)
  })
  it('a header length past the end', () => {
    const bytes = modelBytes.slice()
    new DataView(bytes.buffer).setUint32(0, bytes.length, true)
    fails(bytes, /header length \(\d+ bytes\) runs past the end of the file/)
    const huge = modelBytes.slice()
    new DataView(huge.buffer).setUint32(4, 1, true)
    fails(huge, /runs past the end/)
  })
  it('offsets outside the data, overlapping, or leaving a hole', () => {
    fails(
      withHeader(modelBytes, (h) => (h['affine1.b'].data_offsets = h['affine1.b'].data_offsets.map((o: number) => o + 10 ** 9))),
      /describes 1000\d+ bytes of tensor data, but the file holds \d+: the file is truncated or its offsets point outside it/
    )
    fails(
      withHeader(modelBytes, (h) => {
        const [b, e] = h['affine1.b'].data_offsets
        h['affine1.b'].data_offsets = [b - 8, e - 8]
      }),
      /overlaps|hole/
    )
  })
  it('a shape that does not match the network, or its byte span', () => {
    fails(
      withHeader(modelBytes, (h) => (h['affine1.W'].shape = [20, 784])),
      /"affine1.W" has shape \[20, 784\], but the network needs \[784, 20\]/
    )
    fails(
      withHeader(modelBytes, (h) => (h['affine1.W'].shape = [784, 21])),
      /needs \d+ bytes, its offsets span \d+/
    )
  })
  it('an unknown dtype', () => {
    fails(
      withHeader(modelBytes, (h) => (h['affine1.b'].dtype = 'BF16')),
      /dtype "BF16", which Gradient Lab does not use/
    )
  })
  it('a newer format version', () => {
    fails(withMetadata(modelBytes, 'format_version', '7'), /made by a newer Gradient Lab \(format version 7/)
  })
  it('a file that is not a model', () => {
    fails(new TextEncoder().encode('this is a text file, not a model at all'), /runs past the end|not valid JSON|not a model/)
    fails(encodeSafetensors([{ name: 'x', shape: [1], value: new Float32Array([1]) }], {}), /not a Gradient Lab model/)
    const bytes = modelBytes.slice()
    bytes[10] = 0xff
    fails(bytes, /not valid JSON/)
  })
  it('an input shape that does not fit the images it names', () => {
    fails(withMetadata(modelBytes, 'input_shape', '[2352]'), /input shape \[2352\] does not fit its images \[1, 28, 28\]: expected \[784\]/)
    fails(withMetadata(modelBytes, 'image_shape', '[2, 28, 28]'), /image_shape is not \[channels 1 or 3, height, width\]/)
    fails(withMetadata(modelBytes, 'classes', '["just one"]'), /classes are not a list of 2 to 100 names/)
    const conv = withHeader(modelBytes, (h) => {
      const config = JSON.parse(h.__metadata__.config)
      config.network = findPreset('cnn-simple').config.network
      h.__metadata__.config = JSON.stringify(config)
      h.__metadata__.input_shape = '[3, 28, 28]'
    })
    fails(conv, /input shape \[3, 28, 28\] does not fit its images \[1, 28, 28\]/)
  })
  it('invalid settings or a missing tensor', () => {
    fails(withMetadata(modelBytes, 'config', '{"network":{}}'), /run settings are invalid/)
    fails(
      withHeader(modelBytes, (h) => {
        const bytes = h['batchnorm1.runningVar'].data_offsets
        delete h['batchnorm1.runningVar']
        for (const v of Object.values(h) as any[])
          if (v.data_offsets && v.data_offsets[0] >= bytes[1]) v.data_offsets = v.data_offsets.map((o: number) => o - (bytes[1] - bytes[0]))
      }),
      /describes|lacks tensor "batchnorm1.runningVar"/
    )
  })
})
