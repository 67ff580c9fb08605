import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { backendKind, matmul, setBackend, type BackendKind } from '../../../src/engine/kernels/backend'
import type { RunConfig } from '../../../src/engine/config/run-config'
import { findPreset, PRESETS } from '../../../src/engine/presets'
import { Trainer } from '../../../src/engine/train/trainer'

const flag = globalThis as { __GRADIENT_LAB_NO_WASM__?: boolean }

afterEach(() => {
  delete flag.__GRADIENT_LAB_NO_WASM__
  setBackend('auto')
})

describe('gemm backend choice', () => {
  it('uses the wasm kernels by default where WebAssembly SIMD validates (Node 20)', () => {
    expect(backendKind()).toBe('wasm')
  })

  it('can be forced to TypeScript and back', () => {
    setBackend('ts')
    expect(backendKind()).toBe('ts')
    setBackend('wasm')
    expect(backendKind()).toBe('wasm')
  })

  it('honours globalThis.__GRADIENT_LAB_NO_WASM__ in auto mode', () => {
    flag.__GRADIENT_LAB_NO_WASM__ = true
    setBackend('auto')
    expect(backendKind()).toBe('ts')
  })

  it('gives the same product either way', () => {
    const a = Float64Array.from({ length: 6 * 5 }, (_, i) => (i % 3 === 0 ? 0 : Math.sin(i)))
    const b = Float64Array.from({ length: 5 * 7 }, (_, i) => Math.cos(i))
    const results = (['ts', 'wasm'] as const).map((backend) => {
      setBackend(backend)
      const c = new Float64Array(6 * 7).fill(Number.NaN)
      matmul(a, b, c, 6, 5, 7)
      return Array.from(c)
    })
    expect(results[1]).toEqual(results[0])
  })
})

describe('training in float64 (the course precision) is bit-identical on both backends', () => {
  let dataset: ImageDataset
  beforeAll(async () => {
    dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  })

  function train(backend: BackendKind, config: RunConfig) {
    setBackend(backend)
    const trainer = new Trainer(config, dataset)
    const steps = []
    while (!trainer.finished) {
      const { iter, loss, evaluation } = trainer.step()
      steps.push({ iter, loss, trainAcc: evaluation?.trainAcc, testAcc: evaluation?.testAcc })
    }
    return { steps, params: trainer.network.params.map((p) => Array.from(p.value)) }
  }

  function expectSameTraining(settings: RunConfig): void {
    const config: RunConfig = { ...settings, precision: 'float64' }
    const ts = train('ts', config)
    const wasm = train('wasm', config)
    expect(wasm.steps).toEqual(ts.steps)
    expect(ts.steps.some((s) => s.testAcc !== undefined)).toBe(true)
    // toEqual compares numbers with Object.is: every weight to the last bit.
    expect(wasm.params).toEqual(ts.params)
  }

  it('vg-relu-he (ReLU, sparse pixels): 30 iterations, same losses, accuracies and weights', () => {
    expectSameTraining({ ...findPreset('vg-relu-he').config, iterations: 30, evalInterval: 15 })
  })

  it.each([
    ['bn-sigmoid-xavier', 'sigmoid and batch norm: no zeros to skip'],
    ['of-dropout', 'a deeper ReLU net with dropout']
  ])('%s (%s): 10 iterations', (id) => {
    expectSameTraining({ ...findPreset(id).config, iterations: 10, evalInterval: 10 })
  })

  // The convolution presets put im2col products through all three kernels.
  it.skipIf(!PRESETS.some((p) => p.id === 'cnn-simple'))(
    'cnn-simple (conv via im2col): 2 iterations of batch 20',
    () => {
      expectSameTraining({ ...findPreset('cnn-simple').config, batchSize: 20, iterations: 2, evalInterval: 2, trainLimit: 40, testLimit: 40 })
    },
    30_000
  )
})
