import { afterEach, describe, expect, it } from 'vitest'
import type { FloatArray } from '../../../src/engine/core/dtype'
import { Random } from '../../../src/engine/core/random'
import { nodeKernelThreads } from '../../../src/engine/hosts/node/kernel-threads'
import { kernelsFor, setBackend, setKernelThreads, wasmF32Kernels, type Backend } from '../../../src/engine/kernels/backend'
import { convGeometry, type ConvGeometry } from '../../../src/engine/kernels/conv-shape'
import { KernelMemory } from '../../../src/engine/kernels/f32/kernel-memory'

/*
 * convReluForward (inference's convolution with its ReLU, and the max pooling after it) against
 * convForward, reluForward and reluMaxPoolForward in turn on the same backend: the same bits, special
 * values included, whichever kernel takes it — F(4×4, 3×3) with the ReLU and a 2×2 pooling in its output
 * transform, a first layer on one channel straight from the pixels, or the three in turn — on one thread
 * and two.
 */
afterEach(() => setBackend('auto'))

const bytes = (a: FloatArray) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
/** Values where a sum, a ReLU and a max could part ways. */
const SPECIAL = [Number.NaN, -Infinity, Infinity, -0, 0, 3e38, -3e38, 1e-45, -1e-45]

interface Case {
  name: string
  /** n, c, h, w, filters, pad */
  conv: [number, number, number, number, number, number]
  /** size, stride, pad of the pooling after the ReLU, or none */
  pool: [number, number, number] | null
  /** The kernel expected to take it (null: the three in turn). */
  kernel: string | null
}

const CASES: Case[] = [
  { name: "cnn-deep's second layer, pooled", conv: [3, 16, 28, 28, 16, 1], pool: [2, 2, 0], kernel: 'winogradF4ForwardRelu' },
  { name: "cnn-deep's third layer (14 × 14 in 4 × 4 blocks), no pooling", conv: [3, 16, 14, 14, 32, 1], pool: null, kernel: 'winogradF4ForwardRelu' },
  { name: "cnn-deep's fourth layer (pad 2: 16 × 16), pooled", conv: [2, 32, 14, 14, 32, 2], pool: [2, 2, 0], kernel: 'winogradF4ForwardRelu' },
  { name: '8 × 8 maps, eight filters, pooled', conv: [2, 8, 8, 8, 8, 1], pool: [2, 2, 0], kernel: 'winogradF4ForwardRelu' },
  { name: 'maps ending in half blocks (14 × 14 → 16 × 16 computed), pooled', conv: [2, 8, 14, 14, 4, 1], pool: [2, 2, 0], kernel: 'winogradF4ForwardRelu' },
  { name: 'maps F(4×4) does not pay on (10 × 10), pooled (the three in turn)', conv: [2, 8, 12, 12, 4, 0], pool: [2, 2, 0], kernel: null },
  { name: 'a pooling F(4×4) does not join (3 at stride 2)', conv: [2, 8, 16, 16, 8, 1], pool: [3, 2, 1], kernel: null },
  { name: "cnn-deep's first layer (one channel)", conv: [3, 1, 28, 28, 16, 1], pool: null, kernel: 'convOneChannelRelu' },
  { name: 'one channel, rows not in fours, no padding', conv: [2, 1, 9, 11, 3, 0], pool: null, kernel: 'convOneChannelRelu' },
  { name: 'one channel, pad 2', conv: [2, 1, 5, 6, 5, 2], pool: null, kernel: 'convOneChannelRelu' },
  { name: 'one channel, pooled (the three in turn)', conv: [2, 1, 12, 12, 4, 1], pool: [2, 2, 0], kernel: null }
]

/** Kernels run during `run` (every kernel goes through KernelMemory.split). */
function kernelsRun(run: () => void): Set<string> {
  const split = KernelMemory.prototype.split
  const names = new Set<string>()
  KernelMemory.prototype.split = function (fn, args, parts, align, minParts, local) {
    names.add(fn)
    split.call(this, fn, args, parts, align, minParts, local)
  }
  try {
    run()
  } finally {
    KernelMemory.prototype.split = split
  }
  return names
}

function fill(a: FloatArray, random: Random, scale: number, special: number): void {
  for (let i = 0; i < a.length; i++) a[i] = random.uniform() < special ? SPECIAL[Math.floor(random.uniform() * SPECIAL.length)] : random.normal() * scale
}

/** convReluForward's output, and the three operations' in turn. */
function both(kernels: Backend, { conv: [n, c, h, w, filters, pad], pool }: Case, seed: number, special: number) {
  const random = new Random(seed)
  const g = convGeometry([n, c, h, w], 3, 3, 1, pad)
  const p: ConvGeometry | null = pool ? convGeometry([n, filters, g.oh, g.ow], pool[0], pool[0], pool[1], pool[2]) : null
  const x = kernels.floats(n * c * h * w)
  const wts = kernels.floats(filters * c * 9)
  const b = kernels.floats(filters)
  fill(x, random, 1, special)
  fill(wts, random, 0.5, special / 4)
  fill(b, random, 0.3, special)
  const op = (inference: boolean) => ({ x, g, w: wts, filters, buffers: kernels.convBuffers(wts.length), inference })
  const maps = kernels.floats(n * filters * g.oh * g.ow)
  kernels.convForward(op(true), b, maps)
  const expected = kernels.floats(p ? n * filters * p.oh * p.ow : maps.length)
  if (p) kernels.reluMaxPoolForward(maps, p, expected)
  else kernels.reluForward(maps, expected)
  const out = kernels.floats(expected.length)
  const ran = kernelsRun(() => kernels.convReluForward(op(true), b, out, p))
  return { out, expected, ran }
}

describe('convReluForward', () => {
  it.each(CASES)('gives the three operations’ bits in one call: $name', (c) => {
    setBackend('wasm')
    for (const special of [0, 0.02]) {
      const { out, expected, ran } = both(kernelsFor('float32'), c, 5, special)
      expect(bytes(out).equals(bytes(expected)), `special share ${special}`).toBe(true)
      if (c.kernel) expect([...ran]).toContain(c.kernel)
      else expect([...ran].filter((k) => k === 'winogradF4ForwardRelu' || k === 'convOneChannelRelu')).toEqual([])
    }
  })

  it.each<['ts' | 'wasm', 'float32' | 'float64']>([
    ['ts', 'float32'],
    ['ts', 'float64']
  ])('gives them on the TypeScript loops too (%s, %s)', (backend, precision) => {
    setBackend(backend)
    for (const c of CASES) {
      const { out, expected } = both(kernelsFor(precision), c, 9, 0.02)
      expect(bytes(out).equals(bytes(expected)), c.name).toBe(true)
    }
  })

  it('gives the same bits on two kernel threads', async () => {
    setBackend('wasm')
    const single = CASES.map((c) => Buffer.from(bytes(both(kernelsFor('float32'), c, 13, 0.01).out)))
    setKernelThreads(nodeKernelThreads, 2)
    try {
      const deadline = Date.now() + 10_000
      while (wasmF32Kernels()!.activeThreads < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      expect(wasmF32Kernels()!.activeThreads).toBe(2)
      CASES.forEach((c, i) => expect(bytes(both(kernelsFor('float32'), c, 13, 0.01).out).equals(single[i]), c.name).toBe(true))
    } finally {
      setKernelThreads(nodeKernelThreads, 1)
    }
  })
})
