import { afterEach, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { Tensor } from '../../../src/engine/core/tensor'
import { gatherBatch, gatherRange } from '../../../src/engine/data/batch'
import type { Split } from '../../../src/engine/data/image-set'
import { nodeKernelThreads } from '../../../src/engine/hosts/node/kernel-threads'
import { wasmF32Kernels, setBackend, setKernelThreads } from '../../../src/engine/kernels/backend'
import { Affine } from '../../../src/engine/layers/affine'

/*
 * A float32 batch formed on the kernels lists each row's non-zero pixels (kernels/f32/batch-pixels.ts),
 * and its first layer's products sum over those lists. Everything must give the same bits as the
 * register-tiled kernel over the whole matrix (zero skipping off), and the lists must never outlive the
 * values they describe.
 */
afterEach(() => {
  setBackend('auto')
  const kernels = wasmF32Kernels()
  if (kernels) kernels.zeroSkipping = true
})

/** `count` digit-like images of rows × cols bytes: ~80 % zeros, blank top and bottom rows, every byte value somewhere. */
function digits(count: number, rows: number, cols: number, seed = 3): Split {
  const random = new Random(seed)
  const images = new Uint8Array(count * rows * cols)
  for (let i = 0; i < images.length; i++) {
    const r = Math.floor(i / cols) % rows
    const border = r < 3 || r >= rows - 3
    images[i] = border || random.uniform() < 0.75 ? 0 : 1 + (i % 255)
  }
  images.fill(0, 5 * rows * cols, 6 * rows * cols) // one blank image: a row without terms
  return { count, channels: 1, rows, cols, images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10) }
}

const bits = (values: ArrayLike<number>) => Buffer.from(Float32Array.from(values).buffer)

/** An affine layer's output and gradients on a batch gathered from `split`, with zero skipping on or off. */
function affineOnBatch(split: Split, indices: number[], outputs: number, zeroSkipping: boolean) {
  setBackend('wasm')
  const kernels = wasmF32Kernels()!
  kernels.zeroSkipping = zeroSkipping
  const width = split.rows * split.cols
  const random = new Random(9)
  const layer = new Affine('a', width, outputs, 'float32')
  for (const p of layer.params) for (let i = 0; i < p.value.length; i++) p.value[i] = random.normal() * 0.1
  const x = new Tensor([indices.length, width], new Float32Array(indices.length * width))
  gatherBatch(split, indices, x, new Uint8Array(indices.length))
  const listed = kernels.pixelTerms.has(x.data as Float32Array)
  const out = bits(layer.forward(x).data)
  const dout = new Tensor(
    [indices.length, outputs],
    Float32Array.from({ length: indices.length * outputs }, () => random.normal())
  )
  layer.backward(dout)
  return { listed, out, dW: bits(layer.W.grad), db: bits(layer.b.grad), x }
}

describe('float32 batches with their non-zero pixels listed', () => {
  it.each([
    ['28 × 28 digits', 28, 28],
    ['10 × 13 images (rows not a multiple of 16 bytes)', 10, 13]
  ])('%s: the pixels have the same bits as the TypeScript loop, and each row lists exactly its non-zero pixels', (_name, rows, cols) => {
    const split = digits(20, rows, cols)
    const indices = [4, 5, 19, 0, 4, 11, 7]
    const width = rows * cols
    setBackend('ts')
    const loop = new Tensor([indices.length, width], new Float32Array(indices.length * width))
    gatherBatch(split, indices, loop, new Uint8Array(indices.length))
    setBackend('wasm')
    const x = new Tensor([indices.length, width], new Float32Array(indices.length * width).fill(-1))
    gatherBatch(split, indices, x, new Uint8Array(indices.length))
    expect(bits(x.data).equals(bits(loop.data))).toBe(true)

    const terms = wasmF32Kernels()!.pixelTerms.get(x.data as Float32Array)!
    expect(terms).toBeDefined()
    const counts = new Int32Array(terms.room.buffer, terms.countsAt, indices.length)
    let total = 0
    for (let i = 0; i < indices.length; i++) {
      const expected: [number, number][] = []
      for (let p = 0; p < width; p++) if (loop.data[i * width + p] !== 0) expected.push([p, loop.data[i * width + p]])
      const pairs = new Int32Array(terms.room.buffer, terms.pairsAt + i * width * 8, 2 * counts[i])
      const values = new Float32Array(terms.room.buffer, terms.pairsAt + i * width * 8, 2 * counts[i])
      const listed = Array.from({ length: counts[i] }, (_, t) => [pairs[2 * t], values[2 * t + 1]])
      expect(listed, `row ${i}`).toEqual(expected)
      total += counts[i]
    }
    expect(counts[1]).toBe(0) // the blank image
    expect(terms.nonZeros).toBe(total)
  })

  it.each([
    ['784 → 40 (vg-relu-he)', 28, 28, 40],
    ['784 → 53 (a 48-column block and a remainder)', 28, 28, 53],
    ['130 → 7', 10, 13, 7]
  ])('an affine layer %s: output, weight and bias gradients have the same bits as the tiled kernel', (_name, rows, cols, outputs) => {
    const split = digits(30, rows, cols)
    const indices = Array.from({ length: 25 }, (_, i) => (i * 7) % 30)
    const listed = affineOnBatch(split, indices, outputs, true)
    const tiled = affineOnBatch(split, indices, outputs, false)
    expect(listed.listed).toBe(true)
    expect(tiled.listed).toBe(false)
    expect(listed.out.equals(tiled.out)).toBe(true)
    expect(listed.dW.equals(tiled.dW)).toBe(true)
    expect(listed.db.equals(tiled.db)).toBe(true)
  })

  it('give the same bits on one and two threads (a batch large enough to split both products)', async () => {
    const split = digits(1000, 28, 28)
    const indices = Array.from({ length: 1000 }, (_, i) => (i * 13) % 1000)
    const single = affineOnBatch(split, indices, 100, true)
    setKernelThreads(nodeKernelThreads, 2)
    try {
      const deadline = Date.now() + 10_000
      while (wasmF32Kernels()!.activeThreads < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      expect(wasmF32Kernels()!.activeThreads).toBe(2)
      const split2 = affineOnBatch(split, indices, 100, true)
      expect(split2.out.equals(single.out)).toBe(true)
      expect(split2.dW.equals(single.dW)).toBe(true)
    } finally {
      setKernelThreads(nodeKernelThreads, 1)
    }
    const tiled = affineOnBatch(split, indices, 100, false)
    expect(single.dW.equals(tiled.dW)).toBe(true)
  })

  it('are forgotten when the batch is written another way, so a product never reads stale lists', () => {
    const split = digits(30, 28, 28)
    setBackend('wasm')
    const kernels = wasmF32Kernels()!
    const x = new Tensor([8, 784], new Float32Array(8 * 784))
    gatherRange(split, 0, x, new Uint8Array(8))
    expect(kernels.pixelTerms.has(x.data as Float32Array)).toBe(true)
    // The last 6 images do not fill 8 rows: the TypeScript loop writes them, and the lists must go.
    gatherRange(split, 24, x, new Uint8Array(8))
    expect(kernels.pixelTerms.has(x.data as Float32Array)).toBe(false)
    // And on the TypeScript backend too (the kernels' registry is consulted whichever backend is active).
    gatherRange(split, 0, x, new Uint8Array(8))
    setBackend('ts')
    gatherRange(split, 8, x, new Uint8Array(8))
    setBackend('wasm')
    expect(kernels.pixelTerms.has(x.data as Float32Array)).toBe(false)
    const layer = new Affine('a', 784, 10, 'float32')
    layer.W.value.fill(0.5)
    const out = layer.forward(x).data
    const expected = Array.from({ length: 8 }, (_, i) => {
      let s = 0
      for (let p = 0; p < 784; p++) s += (split.images[(8 + i) * 784 + p] / 255) * 0.5
      return s
    })
    for (let i = 0; i < 8; i++) expect(out[i * 10]).toBeCloseTo(expected[i], 3)
  })
})

describe("an affine layer's bias on the kernels", () => {
  it.each([1, 5, 17, 40, 100])('%i columns: the bias and its gradient have the same bits as the TypeScript loops', (cols) => {
    const run = (backend: 'ts' | 'wasm') => {
      setBackend(backend)
      const random = new Random(cols)
      const layer = new Affine('a', 30, cols, 'float32')
      for (const p of layer.params) for (let i = 0; i < p.value.length; i++) p.value[i] = random.normal()
      const x = new Tensor(
        [23, 30],
        Float32Array.from({ length: 23 * 30 }, () => random.normal())
      )
      const out = Array.from(layer.forward(x).data)
      const dout = new Tensor(
        [23, cols],
        Float32Array.from({ length: 23 * cols }, () => random.normal() * 1e3)
      )
      layer.backward(dout)
      return { out, db: bits(layer.b.grad) }
    }
    const loop = run('ts')
    const kernels = run('wasm')
    expect(kernels.db.equals(loop.db)).toBe(true)
    // The outputs differ by the products' rounding only; the bias adds one float32 addition either way.
    const scale = Math.max(...loop.out.map(Math.abs))
    expect(Math.max(...kernels.out.map((v, i) => Math.abs(v - loop.out[i]))) / scale).toBeLessThan(1e-5)
  })
})
