import { afterEach, describe, expect, it } from 'vitest'
import type { FloatArray } from '../../../src/engine/core/dtype'
import { Random } from '../../../src/engine/core/random'
import { Tensor } from '../../../src/engine/core/tensor'
import { setBackend } from '../../../src/engine/kernels/backend'
import { KernelMemory } from '../../../src/engine/kernels/f32/kernel-memory'
import { Conv2D } from '../../../src/engine/layers/conv2d'
import { buildNetwork } from '../../../src/engine/model/build'
import type { Network } from '../../../src/engine/model/network'
import { findPreset } from '../../../src/engine/presets'

/*
 * Inference keeps F(4×4, 3×3)'s transformed filters between calls (kernels/f32/winograd-f4-filters.ts):
 * they are reused while the weights are unchanged, and never once any weight changed, however it changed.
 */
afterEach(() => setBackend('auto'))

const bytes = (a: FloatArray) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

function deepNetwork(): Network {
  return buildNetwork(findPreset('cnn-deep').config.network, [1, 28, 28], new Random(3), 'float32')
}

function images(count: number, seed: number): Tensor {
  const random = new Random(seed)
  const x = Tensor.zeros([count, 1, 28, 28], 'float32')
  for (let i = 0; i < x.data.length; i++) x.data[i] = random.uniform() < 0.8 ? 0 : 1 - random.uniform()
  return x
}

/** How many times the filter transforms ran during `run` (every kernel goes through KernelMemory.split). */
function filterTransforms(run: () => void): number {
  const split = KernelMemory.prototype.split
  let calls = 0
  KernelMemory.prototype.split = function (fn, args, parts, align, minParts, local) {
    if (fn === 'winogradF4Filters') calls++
    split.call(this, fn, args, parts, align, minParts, local)
  }
  try {
    run()
  } finally {
    KernelMemory.prototype.split = split
  }
  return calls
}

/** infer's scores, checked against predict(x, 'test') on the weights as they are now. */
function inferChecked(network: Network, x: Tensor): Buffer {
  const inferred = Buffer.from(bytes(Float32Array.from(network.infer(x).data)))
  expect(inferred.equals(bytes(Float32Array.from(network.predict(x, 'test').data)))).toBe(true)
  return inferred
}

describe('F(4×4, 3×3) filters kept for inference', () => {
  it('are transformed once while the weights do not change', () => {
    setBackend('wasm')
    const network = deepNetwork()
    const x = images(4, 5)
    const first = filterTransforms(() => network.infer(x))
    const again = filterTransforms(() => network.infer(images(4, 6)))
    // cnn-deep's five convolutions after the first take F(4×4, 3×3).
    expect(first).toBe(5)
    expect(again).toBe(0)
  })

  // The transforms again for the changed layer alone; the scores change too except for a last bit rounded away.
  it.each<[string, (conv: Conv2D, random: Random) => void, number, boolean]>([
    ['one weight changed in place (an optimizer step)', (conv) => (conv.W.value[7] += 0.25), 1, true],
    ['one weight moved by its last bit', (conv) => (conv.W.value[100] = nextFloat(conv.W.value[100])), 1, false],
    [
      'all weights written anew (a load or a resume)',
      (conv, random) => conv.W.value.set(Float32Array.from(conv.W.value, () => random.normal() * 0.1)),
      1,
      true
    ],
    ['the bias alone changed (not part of the transforms)', (conv) => (conv.b.value[1] -= 0.5), 0, true]
  ])('never give stale scores: %s', (_name, change, transforms, scoresChange) => {
    setBackend('wasm')
    const network = deepNetwork()
    const x = images(3, 8)
    const before = inferChecked(network, x)
    inferChecked(network, x)
    const conv = network.layers.filter((l): l is Conv2D => l instanceof Conv2D)[3]
    change(conv, new Random(21))
    let inferred = new Float32Array(0)
    expect(filterTransforms(() => (inferred = Float32Array.from(network.infer(x).data)))).toBe(transforms)
    const after = bytes(Float32Array.from(network.predict(x, 'test').data))
    expect(bytes(inferred).equals(after)).toBe(true)
    if (scoresChange) expect(after.equals(before)).toBe(false)
  })
})

/** The float32 just above v (v finite and positive or negative, not zero). */
function nextFloat(v: number): number {
  const bits = new Uint32Array(Float32Array.of(v).buffer)
  bits[0] += 1
  return new Float32Array(bits.buffer)[0]
}
