import { beforeAll, describe, expect, it, vi } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { defineRunConfig, type RunConfigInput } from '../../../src/engine/config/run-config'
import { Tensor } from '../../../src/engine/core/tensor'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { Trainer } from '../../../src/engine/train/trainer'

let dataset: ImageDataset
beforeAll(async () => {
  dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
})

const TYPED = ['Float32Array', 'Float64Array', 'Int32Array', 'Uint8Array'] as const

/**
 * Counts typed arrays that get new memory while `f` runs, by swapping each global constructor for a
 * counting subclass: engine code looks the global up at call time, so every buffer it makes is seen.
 * Views onto an existing ArrayBuffer or SharedArrayBuffer (the wasm kernels' windows on their memory)
 * own no memory and are not counted. The configs run in the float32 default; float64 is the same code.
 */
function countAllocations(f: () => void): { typedArrays: number; tensors: number } {
  const globals = globalThis as unknown as Record<string, new (...args: unknown[]) => unknown>
  const originals = TYPED.map((name) => globals[name])
  let typedArrays = 0
  TYPED.forEach((name, i) => {
    globals[name] = class extends (originals[i] as new (...args: unknown[]) => object) {
      constructor(...args: unknown[]) {
        super(...args)
        if (!(args[0] instanceof ArrayBuffer || args[0] instanceof SharedArrayBuffer)) typedArrays++
      }
    } as never
  })
  const zeros = vi.spyOn(Tensor, 'zeros')
  try {
    f()
  } finally {
    TYPED.forEach((name, i) => (globals[name] = originals[i]))
  }
  const tensors = zeros.mock.calls.length
  zeros.mockRestore()
  return { typedArrays, tensors }
}

const conv: RunConfigInput['network'] = {
  kind: 'layers',
  init: 'he',
  layers: [
    { kind: 'conv2d', filters: 4, size: 3, pad: 1 },
    { kind: 'batchnorm', mode: 'channel' },
    { kind: 'relu' },
    { kind: 'maxpool', size: 2, stride: 2 },
    { kind: 'conv2d', filters: 3, size: 3, stride: 2, pad: 1 },
    { kind: 'groupnorm', groups: 3 },
    { kind: 'relu' },
    { kind: 'avgpool', size: 2, stride: 1, pad: 1 },
    { kind: 'flatten' },
    { kind: 'affine', units: 16 },
    { kind: 'batchnorm', mode: 'course' },
    { kind: 'relu' },
    { kind: 'dropout', ratio: 0.5, mode: 'course' },
    { kind: 'affine', units: 10 }
  ]
}
const mlp: RunConfigInput['network'] = {
  kind: 'mlp',
  hidden: [20, 10],
  activation: 'relu',
  init: 'he',
  normalization: 'batchnorm',
  dropout: { ratio: 0.2, mode: 'inverted' }
}

describe('a training step allocates no buffer in steady state', () => {
  // Batch 30 against 200 / 70 evaluation images: the last evaluation chunk is a partial one.
  it.each([
    ['conv net, train-set accuracy', conv, 'train-set' as const],
    ['conv net, batch accuracy after the update', conv, 'batch-after-update' as const],
    ['MLP with batch norm and dropout', mlp, 'train-set' as const]
  ])('%s: no new typed array or tensor, evaluations included', (_name, network, trainAccuracy) => {
    const config = defineRunConfig({
      network,
      optimizer: { kind: 'adam', lr: 0.001 },
      batchSize: 30,
      iterations: 1000,
      evalInterval: 4,
      seed: 5,
      trainAccuracy,
      trainLimit: 200,
      testLimit: 70
    })
    const trainer = new Trainer(config, dataset)
    for (let i = 0; i < 8; i++) trainer.step() // warm-up: buffers sized, two evaluations done
    let evaluations = 0
    const counts = countAllocations(() => {
      for (let i = 0; i < 8; i++) if (trainer.step().evaluation) evaluations++
    })
    expect(evaluations).toBe(2)
    expect(counts).toEqual({ typedArrays: 0, tensors: 0 })
  })

  it('the counter does see allocations', () => {
    expect(countAllocations(() => Tensor.zeros([2, 3], 'float64'))).toEqual({ typedArrays: 1, tensors: 1 })
  })
})
