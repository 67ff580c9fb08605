import { afterEach, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { nodeKernelThreads } from '../../../src/engine/hosts/node/kernel-threads'
import { kernelsFor, setBackend, setKernelThreads, wasmF32Kernels, type Backend } from '../../../src/engine/kernels/backend'

/*
 * The optimizers' float32 updates on the kernels (f32/optimizer-updates.ts) split a parameter of a few
 * ten thousand weights between the threads (cnn-deep's largest: 36,864 and 51,200). Each element is
 * updated whole by one thread, so one thread, two, and the TypeScript loops give the same bits, the
 * split falling inside the SIMD body and an odd tail after it.
 */
afterEach(() => setBackend('auto'))

const SIZE = 40_003

function updates(b: Backend): Buffer {
  const random = new Random(21)
  const fill = (scale: number) => {
    const a = b.floats(SIZE)
    for (let i = 0; i < SIZE; i++) a[i] = random.normal() * scale
    return a
  }
  const [value, grad, s1, s2] = [fill(1), fill(0.1), fill(0), fill(0)]
  b.sgdUpdate(value, grad, 0.1)
  b.momentumUpdate(value, grad, s1, 0.01, 0.9)
  b.nesterovUpdate(value, grad, s1, 0.01, 0.9)
  b.adagradUpdate(value, grad, s2, 0.01, { course: true, first: true, initialH: 1e-4, epsilon: 1e-7 })
  b.rmspropUpdate(value, grad, s2, 0.01, 0.99, 1e-7)
  for (let t = 0; t < 3; t++) b.adamUpdate(value, grad, s1, s2, 0.001, 0.9, 0.999, 1e-7)
  return Buffer.concat([value, s1, s2].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)))
}

describe('float32 optimizer updates between threads', () => {
  it('give the TypeScript loops’ bits on one thread and on two', async () => {
    setBackend('ts')
    const loops = updates(kernelsFor('float32'))
    setBackend('wasm')
    expect(updates(kernelsFor('float32')).equals(loops)).toBe(true)
    setKernelThreads(nodeKernelThreads, 2)
    try {
      const deadline = Date.now() + 10_000
      while (wasmF32Kernels()!.activeThreads < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      expect(wasmF32Kernels()!.activeThreads).toBe(2)
      expect(updates(kernelsFor('float32')).equals(loops)).toBe(true)
    } finally {
      setKernelThreads(nodeKernelThreads, 1)
    }
  })
})
