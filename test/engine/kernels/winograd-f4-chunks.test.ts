import { afterEach, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { nodeKernelThreads } from '../../../src/engine/hosts/node/kernel-threads'
import { setBackend, setKernelThreads, wasmF32Kernels } from '../../../src/engine/kernels/backend'
import { convGeometry, type ConvGeometry } from '../../../src/engine/kernels/conv-shape'
import { CONV_CHUNK_BYTES } from '../../../src/engine/kernels/f32/convolution'
import { keptTilesLength, winogradF4Pays, winogradF4Tiles } from '../../../src/engine/kernels/f32/winograd-f4'

/*
 * F(4×4, 3×3)'s forward (f32/winograd-f4.ts) runs a batch in chunks of images, each one kernel call split
 * between the threads; with the input's tiles kept for the weight gradient, M alone bounds a chunk. Every
 * output is computed whole in a fixed order, so the chunking, keeping the tiles and the thread count
 * change no bit: one image a chunk, a few, the whole batch at once, kept or not, one thread or two.
 * Its weight gradient (f32/winograd-f4-gradient.ts) sums M chunk after chunk, each sum going on from the
 * value the last chunk stored, so its chunking changes no bit either.
 */
afterEach(() => {
  setBackend('auto')
  wasmF32Kernels()!.convChunkBytes = CONV_CHUNK_BYTES
})

const g = convGeometry([10, 16, 16, 16], 3, 3, 1, 1)
const FILTERS = 16
/** V and M (the forward's) or V and U (the weight gradient's) of one image: a chunk's bytes. */
const imageBytes = (geometry: ConvGeometry) => 36 * winogradF4Tiles(geometry) * (geometry.c + FILTERS) * 4

function operands() {
  const random = new Random(3)
  const x = Float32Array.from({ length: g.n * g.c * g.h * g.w }, () => random.normal())
  const w = Float32Array.from({ length: FILTERS * g.c * 9 }, () => random.normal() * 0.1)
  const bias = Float32Array.from({ length: FILTERS }, () => random.normal() * 0.1)
  return { x, w, bias }
}

/** The forward's output bits, chunks of `chunkBytes` (the kernels' convChunkBytes), the tiles kept or not. */
function forwardBits(chunkBytes: number, keep: boolean): Buffer {
  setBackend('wasm')
  const kernels = wasmF32Kernels()!
  kernels.convChunkBytes = chunkBytes
  const { x, w, bias } = operands()
  const out = new Float32Array(g.n * FILTERS * g.oh * g.ow)
  const kept = keep ? kernels.resident(keptTilesLength(g))! : null
  expect(kernels.convForwardWinogradF4(x, g, w, bias, out, FILTERS, kept)).toBe(true)
  if (kept) kernels.releaseResident(kept)
  return Buffer.from(out.buffer)
}

/** The weight gradient's bits, chunks of at most `chunkBytes`, from the forward's kept tiles or not (the forward in whole). */
function weightGradBits(chunkBytes: number, keep: boolean): Buffer {
  setBackend('wasm')
  const kernels = wasmF32Kernels()!
  const { x, w, bias } = operands()
  const random = new Random(5)
  const dout = Float32Array.from({ length: g.n * FILTERS * g.oh * g.ow }, () => random.normal())
  const kept = keep ? kernels.resident(keptTilesLength(g))! : null
  kernels.convChunkBytes = 1 << 30
  if (kept) expect(kernels.convForwardWinogradF4(x, g, w, bias, new Float32Array(dout.length), FILTERS, kept)).toBe(true)
  kernels.convChunkBytes = chunkBytes
  const dw = new Float32Array(FILTERS * g.c * 9)
  expect(kernels.convWeightGradWinogradF4(x, g, dout, dw, FILTERS, kept)).toBe(true)
  if (kept) kernels.releaseResident(kept)
  expect(dw.some((v) => v !== 0)).toBe(true)
  return Buffer.from(dw.buffer)
}

/** Waits for the second thread; throws when it does not come. */
async function twoThreads(): Promise<void> {
  setKernelThreads(nodeKernelThreads, 2)
  const deadline = Date.now() + 10_000
  while (wasmF32Kernels()!.activeThreads < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  expect(wasmF32Kernels()!.activeThreads).toBe(2)
}

describe('F(4×4, 3×3) weight gradient in chunks', () => {
  it('gives the same bits for any chunk (one image, 3 + 3 + 3 + 1, 4 + 4 + 2, the batch), tiles kept or not, on one thread and two', async () => {
    const whole = weightGradBits(1 << 30, false)
    const variants = () => [
      weightGradBits(imageBytes(g), false),
      weightGradBits(3 * imageBytes(g), false),
      weightGradBits(4 * imageBytes(g), true),
      weightGradBits(imageBytes(g), true)
    ]
    for (const bits of variants()) expect(bits.equals(whole)).toBe(true)
    await twoThreads()
    try {
      for (const bits of [weightGradBits(1 << 30, false), ...variants()]) expect(bits.equals(whole)).toBe(true)
    } finally {
      setKernelThreads(nodeKernelThreads, 1)
    }
  })
})

describe('F(4×4, 3×3) forward in chunks', () => {
  it('gives the same bits for any chunk, with the tiles kept or not, on one thread and two', async () => {
    expect(winogradF4Pays(g, FILTERS)).toBe(true)
    const whole = forwardBits(1 << 30, false)
    const variants = () => [forwardBits(imageBytes(g) / 4, false), forwardBits((3 * imageBytes(g)) / 4, false), forwardBits(CONV_CHUNK_BYTES, true)]
    for (const bits of variants()) expect(bits.equals(whole)).toBe(true)
    await twoThreads()
    try {
      for (const bits of [forwardBits(1 << 30, false), ...variants()]) expect(bits.equals(whole)).toBe(true)
    } finally {
      setKernelThreads(nodeKernelThreads, 1)
    }
  })
})
