import { afterEach, describe, expect, it } from 'vitest'
import { Tensor } from '../../../src/engine/core/tensor'
import { gatherBatch, gatherRange } from '../../../src/engine/data/batch'
import type { Split } from '../../../src/engine/data/image-set'
import { setBackend } from '../../../src/engine/kernels/backend'

/*
 * float32 batches are formed on the kernels (byte / 255 in vector lanes): the same bits as the table the
 * TypeScript loop reads, for every byte value, for chosen images and for ranges (a short last one too).
 */
afterEach(() => setBackend('auto'))

// 40 images of 7 × 7 = 49 bytes: every value 0…255 occurs, in a different place in each image.
const split: Split = {
  count: 40,
  channels: 1,
  rows: 7,
  cols: 7,
  images: Uint8Array.from({ length: 40 * 49 }, (_, i) => (i * 37 + (i >> 8)) % 256),
  labels: Uint8Array.from({ length: 40 }, (_, i) => i % 10)
}

function batchBits(backend: 'ts' | 'wasm', form: (x: Tensor, labels: Uint8Array) => void) {
  setBackend(backend)
  const x = new Tensor([16, 1, 7, 7], new Float32Array(16 * 49).fill(-1))
  const labels = new Uint8Array(16)
  form(x, labels)
  return { pixels: Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength), labels: Array.from(labels) }
}

describe('float32 batches on the kernels', () => {
  it('covers every byte value', () => {
    expect(new Set(split.images).size).toBe(256)
  })

  it.each([
    ['chosen images (with repeats)', (x: Tensor, l: Uint8Array) => gatherBatch(split, [3, 39, 0, 3, 17, 22, 5, 8, 9, 10, 31, 30, 2, 1, 38, 7], x, l)],
    ['a range', (x: Tensor, l: Uint8Array) => gatherRange(split, 16, x, l)],
    ['a short last range', (x: Tensor, l: Uint8Array) => gatherRange(split, 32, x, l)]
  ])('%s: the same bits and labels as the TypeScript loop', (_name, form) => {
    const loop = batchBits('ts', form)
    const kernels = batchBits('wasm', form)
    expect(kernels.pixels.equals(loop.pixels)).toBe(true)
    expect(kernels.labels).toEqual(loop.labels)
  })
})
