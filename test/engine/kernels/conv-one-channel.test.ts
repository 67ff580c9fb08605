import { afterEach, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { nodeKernelThreads } from '../../../src/engine/hosts/node/kernel-threads'
import { kernelsFor, setBackend, setKernelThreads, wasmF32Kernels } from '../../../src/engine/kernels/backend'
import { transpose } from '../../../src/engine/kernels/backends/typescript'
import { colCols, colRows, convGeometry } from '../../../src/engine/kernels/conv-shape'
import { KernelMemory } from '../../../src/engine/kernels/f32/kernel-memory'

/*
 * Training's first convolution on one channel (pixels), 3×3 at stride 1, by convOneChannel straight from
 * the pixels: the bits of the im2col path it replaces (im2col · Wᵀ a chunk of images at a time, then
 * mapsFromRows adding the bias), special values included, on one thread and two; and the float32
 * backend's convForward takes it for such a layer.
 */
afterEach(() => setBackend('auto'))

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
const SPECIAL = [Number.NaN, -Infinity, Infinity, -0, 0, 3e38, -3e38, 1e-45, -1e-45]

/** n, h, w, filters, pad */
const CASES: [string, [number, number, number, number, number]][] = [
  ["cnn-deep's first layer", [5, 28, 28, 16, 1]],
  ['rows not in fours, no padding', [3, 9, 11, 3, 0]],
  ['pad 2, filters not a multiple of 4', [2, 5, 6, 5, 2]]
]

function fill(a: Float32Array, random: Random, scale: number, special: number): void {
  for (let i = 0; i < a.length; i++) a[i] = random.uniform() < special ? SPECIAL[Math.floor(random.uniform() * SPECIAL.length)] : random.normal() * scale
}

/** convOneChannel's output and the im2col path's, on the same operands. */
function both([n, h, w, filters, pad]: [number, number, number, number, number], special: number) {
  setBackend('wasm')
  const k = wasmF32Kernels()!
  const random = new Random(17)
  const g = convGeometry([n, 1, h, w], 3, 3, 1, pad)
  const x = k.resident(n * h * w)!
  const wts = k.resident(filters * 9)!
  const b = k.resident(filters)!
  fill(x, random, 1, special)
  fill(wts, random, 0.5, special / 4)
  fill(b, random, 0.3, special)
  const wt = k.resident(filters * 9)!
  transpose(wts, filters, colCols(g), wt)
  const rows = k.resident(n * g.oh * g.ow * filters)!
  const col = k.resident(k.convChunkImages(g) * colRows({ ...g, n: 1 }) * colCols(g))!
  const expected = new Float32Array(n * filters * g.oh * g.ow)
  expect(k.convForward(x, g, wt, rows, col, filters)).toBe(true)
  k.mapsFromRows(rows, b, expected, n, g.oh * g.ow, filters)
  const out = new Float32Array(expected.length)
  expect(k.convOneChannel(x, g, wts, b, out, filters)).toBe(true)
  for (const array of [x, wts, b, wt, rows, col]) k.releaseResident(array)
  return { out, expected }
}

describe('convOneChannel', () => {
  it.each(CASES)('gives the im2col path’s bits: %s', (_name, shape) => {
    for (const special of [0, 0.02]) {
      const { out, expected } = both(shape, special)
      expect(bytes(out).equals(bytes(expected)), `special share ${special}`).toBe(true)
    }
  })

  it('gives them on two kernel threads', async () => {
    setKernelThreads(nodeKernelThreads, 2)
    try {
      const deadline = Date.now() + 10_000
      while (wasmF32Kernels()!.activeThreads < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      expect(wasmF32Kernels()!.activeThreads).toBe(2)
      for (const [name, shape] of CASES) {
        const { out, expected } = both(shape, 0.01)
        expect(bytes(out).equals(bytes(expected)), name).toBe(true)
      }
    } finally {
      setKernelThreads(nodeKernelThreads, 1)
    }
  })

  it("is what the float32 backend's convForward runs for a one-channel 3×3 layer at stride 1", () => {
    setBackend('wasm')
    const backend = kernelsFor('float32')
    const g = convGeometry([2, 1, 8, 8], 3, 3, 1, 1)
    const w = backend.floats(4 * 9)
    const op = { x: backend.floats(2 * 64), g, w, filters: 4, buffers: backend.convBuffers(w.length) }
    const split = KernelMemory.prototype.split
    const ran: string[] = []
    KernelMemory.prototype.split = function (fn, args, parts, align, minParts, local) {
      ran.push(fn)
      split.call(this, fn, args, parts, align, minParts, local)
    }
    try {
      backend.convForward(op, backend.floats(4), backend.floats(2 * 4 * 64))
    } finally {
      KernelMemory.prototype.split = split
    }
    expect(ran).toEqual(['convOneChannel'])
  })
})
