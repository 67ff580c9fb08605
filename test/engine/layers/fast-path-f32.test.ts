import { afterEach, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { Tensor } from '../../../src/engine/core/tensor'
import { nodeKernelThreads } from '../../../src/engine/hosts/node/kernel-threads'
import { wasmF32Kernels, setBackend, setKernelThreads } from '../../../src/engine/kernels/backend'
import { Affine } from '../../../src/engine/layers/affine'
import { Conv2D } from '../../../src/engine/layers/conv2d'
import { MaxPool2D } from '../../../src/engine/layers/max-pool'
import { Relu } from '../../../src/engine/layers/relu'
import type { Layer } from '../../../src/engine/layers/layer'

/*
 * The layers that use the matrix kernels, in float32: the fast path (SIMD kernels, matrices in their
 * memory, im2col in AssemblyScript) against the oracle (the TypeScript loops), forward and backward —
 * output, input gradient and every parameter gradient within 1e-4 relative of the oracle's largest value.
 */
afterEach(() => setBackend('auto'))

function run(make: () => Layer, inputShape: number[], backend: 'ts' | 'wasm', zeroShare = 0.3) {
  setBackend(backend)
  const random = new Random(5)
  const layer = make()
  for (const p of layer.params) for (let i = 0; i < p.value.length; i++) p.value[i] = random.normal() * 0.3
  const size = inputShape.reduce((a, b) => a * b, 1)
  const x = new Tensor(
    inputShape,
    Float32Array.from({ length: size }, () => (random.uniform() < zeroShare ? 0 : random.normal()))
  )
  const out = Array.from(layer.forward(x, 'train').data)
  const dout = new Tensor(
    [...layer.forward(x, 'train').shape],
    Float32Array.from({ length: out.length }, () => random.normal())
  )
  const dx = Array.from(layer.backward(dout).data)
  return { out, dx, grads: layer.params.map((p) => Array.from(p.grad)) }
}

function expectClose(fast: number[], oracle: number[], what: string): void {
  const scale = Math.max(...oracle.map(Math.abs), 1e-30)
  const worst = Math.max(...fast.map((v, i) => Math.abs(v - oracle[i])))
  expect(worst / scale, what).toBeLessThan(1e-4)
}

const CASES: [string, () => Layer, number[]][] = [
  ['Affine 37 → 21 on 13 samples', () => new Affine('a', 37, 21, 'float32'), [13, 37]],
  ['Affine 784 → 40 on 100 samples', () => new Affine('a', 784, 40, 'float32'), [100, 784]],
  ['Conv2D 3 → 5, 3×3, pad 1', () => new Conv2D('c', 3, 5, 3, 3, 1, 1, 'float32'), [4, 3, 9, 9]],
  ['Conv2D 2 → 7, 5×5, stride 2, pad 2', () => new Conv2D('c', 2, 7, 5, 5, 2, 2, 'float32'), [3, 2, 12, 11]],
  ['Conv2D 16 → 16, 3×3, pad 1 (cnn-deep conv 2 on 8 images)', () => new Conv2D('c', 16, 16, 3, 3, 1, 1, 'float32'), [8, 16, 28, 28]],
  // 3×3 at stride 1 over ≥ 8 channels takes Winograd (forward, dW, and dx when there are ≥ 8 filters):
  // odd and uneven maps, no padding, wide padding, filter counts that are not a multiple of 4.
  ['Conv2D 8 → 6, 3×3, pad 0, on 10 × 9 maps', () => new Conv2D('c', 8, 6, 3, 3, 1, 0, 'float32'), [3, 8, 10, 9]],
  ['Conv2D 9 → 10, 3×3, pad 2, on 5 × 7 maps', () => new Conv2D('c', 9, 10, 3, 3, 1, 2, 'float32'), [2, 9, 5, 7]],
  ['Conv2D 64 → 64, 3×3, pad 1 (cnn-deep conv 6 on 7 × 7 maps)', () => new Conv2D('c', 64, 64, 3, 3, 1, 1, 'float32'), [3, 64, 7, 7]]
]

describe('float32 fast path against the TypeScript oracle', () => {
  it.each(CASES)('%s: forward and backward within 1e-4', (_name, make, shape) => {
    const oracle = run(make, shape, 'ts')
    const fast = run(make, shape, 'wasm')
    expectClose(fast.out, oracle.out, 'output')
    expectClose(fast.dx, oracle.dx, 'input gradient')
    fast.grads.forEach((g, i) => expectClose(g, oracle.grads[i], `parameter gradient ${i}`))
  })

  // A first layer's input: digit pixels, ~80 % zeros (the zero-skipping kernels).
  it.each(CASES.slice(1, 3))('%s, on an input of 85 percent zeros: forward and backward within 1e-4', (_name, make, shape) => {
    const oracle = run(make, shape, 'ts', 0.85)
    const fast = run(make, shape, 'wasm', 0.85)
    expectClose(fast.out, oracle.out, 'output')
    expectClose(fast.dx, oracle.dx, 'input gradient')
    fast.grads.forEach((g, i) => expectClose(g, oracle.grads[i], `parameter gradient ${i}`))
  })
})

/* ReLU and max pooling run on the kernels too (assembly/f32/layer-loops.ts, through the float32 backend): the same bits as their loops. */
const EXACT_CASES: [string, () => Layer, number[]][] = [
  ['ReLU on 4 × 3 × 9 × 9', () => new Relu('r'), [4, 3, 9, 9]],
  ['ReLU on 1,003 values (not a multiple of 4)', () => new Relu('r'), [17, 59]],
  ['MaxPool 2×2, stride 2', () => new MaxPool2D('p', 2, 2, 0), [3, 5, 8, 8]],
  ['MaxPool 3×3, stride 2, pad 1 (windows over the padding)', () => new MaxPool2D('p', 3, 2, 1), [2, 4, 9, 7]],
  ['MaxPool 3×3, stride 1 (overlapping windows: gradients add)', () => new MaxPool2D('p', 3, 1, 0), [2, 3, 6, 6]],
  ['MaxPool 2×2, stride 2 on 24 × 24 maps (cnn-simple: four outputs at a time)', () => new MaxPool2D('p', 2, 2, 0), [3, 2, 24, 24]]
]

describe('float32 ReLU and max pooling on the kernels', () => {
  it.each(EXACT_CASES)('%s: the same bits as the loops, forward and backward', (_name, make, shape) => {
    const oracle = run(make, shape, 'ts', 0.2)
    const fast = run(make, shape, 'wasm', 0.2)
    const bits = (values: number[]) => Buffer.from(Float32Array.from(values).buffer)
    expect(bits(fast.out).equals(bits(oracle.out)), 'output').toBe(true)
    expect(bits(fast.dx).equals(bits(oracle.dx)), 'input gradient').toBe(true)
  })
})

describe('float32 max pooling on the kernels, with ties and special values', () => {
  it('picks the same first maximum as the loops: ties, ±0, NaN and −Infinity in the windows', () => {
    const special = [0, -0, Number.NaN, Number.NEGATIVE_INFINITY, 1, 1, -2, Number.POSITIVE_INFINITY]
    const random = new Random(9)
    const shape = [2, 2, 12, 16]
    const values = Float32Array.from({ length: 2 * 2 * 12 * 16 }, () => special[Math.floor(random.uniform() * special.length)])
    const pool = (backend: 'ts' | 'wasm') => {
      setBackend(backend)
      const layer = new MaxPool2D('p', 2, 2, 0)
      const out = layer.forward(new Tensor(shape, values.slice()))
      const dx = layer.backward(
        new Tensor(
          [...out.shape],
          Float32Array.from({ length: out.data.length }, (_, i) => i + 1)
        )
      )
      return [Buffer.from(Float32Array.from(out.data).buffer), Buffer.from(Float32Array.from(dx.data).buffer)]
    }
    const [loopOut, loopDx] = pool('ts')
    const [kernelOut, kernelDx] = pool('wasm')
    expect(kernelOut.equals(loopOut)).toBe(true)
    expect(kernelDx.equals(loopDx)).toBe(true)
  })
})

describe('float32 convolutions a few images at a time', () => {
  it('give the same bits whatever the chunk: one image, three, or the whole batch at once', () => {
    const kernels = wasmF32Kernels()!
    const make = () => new Conv2D('c', 3, 8, 3, 3, 1, 1, 'float32')
    const shape = [7, 3, 10, 10] // im2col: 100 rows × 27 values = 10,800 bytes per image
    const bits = (r: ReturnType<typeof run>) => [r.out, r.dx, ...r.grads].map((v) => Buffer.from(Float32Array.from(v).buffer))
    try {
      const results = [10_800, 3 * 10_800, 1 << 30].map((bytes) => {
        kernels.convChunkBytes = bytes
        return bits(run(make, shape, 'wasm'))
      })
      for (const other of results.slice(1)) other.forEach((b, i) => expect(b.equals(results[0][i]), `array ${i}`).toBe(true))
      expectClose(run(make, shape, 'ts').out, Array.from(new Float32Array(results[0][0].buffer, results[0][0].byteOffset, results[0][0].length / 4)), 'output')
    } finally {
      kernels.convChunkBytes = 4 << 20
    }
  })
})

describe('float32 3×3 convolutions by Winograd: F(2×2, 3×3) forward and for dx, F(3×3, 2×2) for dW', () => {
  const make = () => new Conv2D('c', 16, 16, 3, 3, 1, 1, 'float32')
  const shape = [8, 16, 28, 28]
  const outputBits = (r: ReturnType<typeof run>) => Buffer.from(Float32Array.from(r.out).buffer)

  it('differ from the im2col product by rounding only (within 1e-4), and are not the same computation', () => {
    const kernels = wasmF32Kernels()!
    const winograd = run(make, shape, 'wasm')
    kernels.winograd = false
    const unrolled = run(make, shape, 'wasm')
    kernels.winograd = true
    expectClose(winograd.out, unrolled.out, 'output')
    expect(outputBits(winograd).equals(outputBits(unrolled))).toBe(false)
  })

  it('give the same bits on one and two threads: output, input gradient and weight gradient', async () => {
    const allBits = (r: ReturnType<typeof run>) => Buffer.concat([r.out, r.dx, ...r.grads].map((v) => Buffer.from(Float32Array.from(v).buffer)))
    const single = allBits(run(make, shape, 'wasm'))
    setKernelThreads(nodeKernelThreads, 2)
    try {
      const deadline = Date.now() + 10_000
      while (wasmF32Kernels()!.activeThreads < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      expect(wasmF32Kernels()!.activeThreads).toBe(2)
      expect(allBits(run(make, shape, 'wasm')).equals(single)).toBe(true)
    } finally {
      setKernelThreads(nodeKernelThreads, 1)
    }
  })
})
