import { afterEach, describe, expect, it } from 'vitest'
import type { FloatArray, Precision } from '../../../src/engine/core/dtype'
import { Random } from '../../../src/engine/core/random'
import { Tensor } from '../../../src/engine/core/tensor'
import { nodeKernelThreads } from '../../../src/engine/hosts/node/kernel-threads'
import { kernelsFor, setBackend, setKernelThreads, wasmF32Kernels } from '../../../src/engine/kernels/backend'
import { convGeometry } from '../../../src/engine/kernels/conv-shape'
import { Conv2D } from '../../../src/engine/layers/conv2d'
import { Flatten } from '../../../src/engine/layers/flatten'
import { MaxPool2D } from '../../../src/engine/layers/max-pool'
import { Relu } from '../../../src/engine/layers/relu'
import { Affine } from '../../../src/engine/layers/affine'
import type { Layer } from '../../../src/engine/layers/layer'
import { buildNetwork } from '../../../src/engine/model/build'
import { Network } from '../../../src/engine/model/network'
import { findPreset } from '../../../src/engine/presets'

/*
 * Network.infer (evaluation's forward: convolutions keep nothing for a backward pass, a ReLU and the max
 * pooling after it are one pass without the argmax) against predict(x, 'test') (every layer's forward, as
 * training runs it): the same scores bit for bit, on every backend and precision, on one or two threads.
 */
afterEach(() => setBackend('auto'))

const bytes = (a: FloatArray) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

/** Digit-like inputs: most pixels zero, the rest in (0, 1]. */
function images(shape: number[], precision: Precision, seed: number): Tensor {
  const random = new Random(seed)
  const x = Tensor.zeros(shape, precision)
  for (let i = 0; i < x.data.length; i++) x.data[i] = random.uniform() < 0.8 ? 0 : 1 - random.uniform()
  return x
}

function deepNetwork(precision: Precision): Network {
  const preset = findPreset('cnn-deep')
  return buildNetwork(preset.config.network, [1, 28, 28], new Random(3), precision)
}

describe('Network.infer', () => {
  it.each<[string, 'ts' | 'wasm', Precision]>([
    ['float32 kernels', 'wasm', 'float32'],
    ['float32 TypeScript loops', 'ts', 'float32'],
    ['float64', 'wasm', 'float64']
  ])("gives cnn-deep's test-mode scores bit for bit (%s)", (_name, backend, precision) => {
    setBackend(backend)
    const network = deepNetwork(precision)
    const x = images([5, 1, 28, 28], precision, 7)
    const expected = Float64Array.from(network.predict(x, 'test').data)
    const inferred = network.infer(x)
    expect(inferred.shape).toEqual([5, 10])
    expect(bytes(Float64Array.from(inferred.data)).equals(bytes(expected))).toBe(true)
  })

  it('gives the same bits on one and two kernel threads', async () => {
    const network = deepNetwork('float32')
    const x = images([6, 1, 28, 28], 'float32', 9)
    const single = Float32Array.from(network.infer(x).data)
    setKernelThreads(nodeKernelThreads, 2)
    try {
      const deadline = Date.now() + 10_000
      while (wasmF32Kernels()!.activeThreads < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      expect(wasmF32Kernels()!.activeThreads).toBe(2)
      expect(bytes(Float32Array.from(network.infer(x).data)).equals(bytes(single))).toBe(true)
      expect(bytes(Float32Array.from(network.predict(x, 'test').data)).equals(bytes(single))).toBe(true)
    } finally {
      setKernelThreads(nodeKernelThreads, 1)
    }
  })

  it.each<[string, (c: Conv2D) => Layer[], number]>([
    // 11 × 11 → 6 × 6 → 3 × 3: both pairs joined
    [
      'a ReLU and pooling 3 at stride 2, pad 1, twice',
      (c) => [c, new Relu('r1'), new MaxPool2D('p1', 3, 2, 1), new Relu('r2'), new MaxPool2D('p2', 2, 2, 1)],
      3 * 4 * 4
    ],
    // 11 × 11 → 5 × 5, odd maps: pooling first, then a ReLU with no pooling after it (nothing joined)
    ['pooling 2 on odd maps without a ReLU before it, a ReLU without pooling after it', (c) => [c, new MaxPool2D('p', 2, 2, 0), new Relu('r')], 3 * 5 * 5]
  ])("gives predict's scores bit for bit on %s", (_name, layersAfter, features) => {
    for (const precision of ['float32', 'float64'] as const) {
      const random = new Random(11)
      const conv = new Conv2D('c', 2, 3, 3, 3, 1, 1, precision)
      for (let i = 0; i < conv.W.value.length; i++) conv.W.value[i] = random.normal() * 0.5
      // Most outputs negative: whole windows of ReLU zeros, beside the padding's zeros.
      for (let i = 0; i < conv.b.value.length; i++) conv.b.value[i] = random.normal() * 0.1 - 0.6
      const affine = new Affine('a', features, 4, precision)
      for (let i = 0; i < affine.W.value.length; i++) affine.W.value[i] = random.normal()
      const network = new Network([...layersAfter(conv), new Flatten('f'), affine], [2, 11, 11], precision)
      const x = images([3, 2, 11, 11], precision, 13)
      for (let i = 0; i < x.data.length; i++) x.data[i] -= 0.3
      const expected = Float64Array.from(network.predict(x, 'test').data)
      expect(bytes(Float64Array.from(network.infer(x).data)).equals(bytes(expected)), precision).toBe(true)
    }
  })
})

/** Values where a ReLU and a max could part ways: NaN, ±Inf, ±0, the largest and smallest floats. */
const SPECIAL = [Number.NaN, -Infinity, Infinity, -0, 0, 3.4e38, -3.4e38, 1e-45, -1e-45, 0.5, -0.5, 2, -2]

describe('reluMaxPoolForward', () => {
  it.each<[string, 'ts' | 'wasm', Precision]>([
    ['float32 kernels', 'wasm', 'float32'],
    ['float32 TypeScript loops', 'ts', 'float32'],
    ['float64', 'ts', 'float64']
  ])('gives the bits of reluForward then maxPoolForward, special values included (%s)', (_name, backend, precision) => {
    setBackend(backend)
    const kernels = kernelsFor(precision)
    const random = new Random(17)
    const windows: [number, number, number, number, number][] = [
      // h, w, size, stride, pad
      [8, 8, 2, 2, 0],
      [28, 28, 2, 2, 0],
      [9, 10, 2, 2, 0],
      [7, 7, 3, 2, 1],
      [6, 6, 2, 2, 1],
      [5, 9, 3, 1, 0]
    ]
    for (const [h, w, size, stride, pad] of windows) {
      const shape = [3, 2, h, w]
      const x = kernels.floats(shape.reduce((a, b) => a * b, 1))
      for (let i = 0; i < x.length; i++) x[i] = random.uniform() < 0.3 ? SPECIAL[Math.floor(random.uniform() * SPECIAL.length)] : random.normal()
      const g = convGeometry(shape, size, size, stride, pad)
      const rectified = kernels.floats(x.length)
      kernels.reluForward(x, rectified)
      const expected = kernels.floats(g.n * g.c * g.oh * g.ow)
      kernels.maxPoolForward(rectified, g, expected, kernels.ints(expected.length))
      const out = kernels.floats(expected.length)
      kernels.reluMaxPoolForward(x, g, out)
      expect(bytes(out).equals(bytes(expected)), `${h}×${w}, windows ${size}, stride ${stride}, pad ${pad}`).toBe(true)
    }
  })
})
