import { describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { AvgPool2D } from '../../../src/engine/layers/avg-pool'
import { Conv2D } from '../../../src/engine/layers/conv2d'
import { Flatten } from '../../../src/engine/layers/flatten'
import { MaxPool2D } from '../../../src/engine/layers/max-pool'
import { NaiveConv2D } from '../oracles/naive-conv'
import { expectLayerGradientsMatch, maxRelativeError, randomTensor } from '../gradient-check'

function randomizeParams(layer: { params: readonly { value: Float64Array | Float32Array }[] }, random: Random): void {
  for (const p of layer.params) for (let i = 0; i < p.value.length; i++) p.value[i] = random.normal()
}

// Small maps keep each finite-difference check to milliseconds; every padding/stride pair is covered.
const SETTINGS = [0, 1, 2].flatMap((pad) => [1, 2].map((stride) => ({ pad, stride })))

describe('Conv2D backward matches finite differences (input, W, b)', () => {
  it.each(SETTINGS)('3×3 filters, pad $pad, stride $stride', ({ pad, stride }) => {
    const random = new Random(100 + pad * 10 + stride)
    const layer = new Conv2D('conv', 2, 3, 3, 3, stride, pad, 'float64')
    randomizeParams(layer, random)
    expectLayerGradientsMatch(layer, randomTensor([2, 2, 5, 6], random), random)
  })

  it('a non-square 2×3 filter, one channel in, stride 2, pad 1', () => {
    const random = new Random(120)
    const layer = new Conv2D('conv', 1, 2, 2, 3, 2, 1, 'float64')
    randomizeParams(layer, random)
    expectLayerGradientsMatch(layer, randomTensor([3, 1, 5, 5], random), random)
  })

  it('as the first layer it skips the input gradient but still gives dW and db', () => {
    const random = new Random(121)
    const layer = new Conv2D('conv', 1, 2, 3, 3, 1, 0, 'float64')
    layer.propagateInputGrad = false
    randomizeParams(layer, random)
    const x = randomTensor([2, 1, 4, 4], random)
    const reference = new NaiveConv2D('naive', 1, 2, 3, 3, 1, 0, 'float64')
    reference.W.value.set(layer.W.value)
    reference.b.value.set(layer.b.value)
    const dout = randomTensor([2, 2, 2, 2], random)
    layer.forward(x)
    layer.backward(dout)
    reference.forward(x)
    reference.backward(dout)
    expect(maxRelativeError(layer.W.grad, reference.W.grad)).toBeLessThan(1e-12)
    expect(maxRelativeError(layer.b.grad, reference.b.grad)).toBeLessThan(1e-12)
  })
})

describe.each([
  ['MaxPool2D', (size: number, stride: number, pad: number) => new MaxPool2D('maxpool', size, stride, pad)],
  ['AvgPool2D', (size: number, stride: number, pad: number) => new AvgPool2D('avgpool', size, stride, pad)]
])('%s backward matches finite differences', (_name, make) => {
  it.each(SETTINGS)('2×2 and 3×3 windows, pad $pad, stride $stride', ({ pad, stride }) => {
    for (const size of [2, 3]) {
      const random = new Random(200 + size * 100 + pad * 10 + stride)
      expectLayerGradientsMatch(make(size, stride, pad), randomTensor([2, 2, 5, 5], random), random)
    }
  })
})

describe('Flatten', () => {
  it('passes values and gradients through unchanged, reshaped', () => {
    const random = new Random(300)
    const layer = new Flatten('flatten')
    const x = randomTensor([2, 3, 2, 2], random)
    const out = layer.forward(x)
    expect(out.shape).toEqual([2, 12])
    expect(out.data).toBe(x.data)
    expect(layer.backward(out).shape).toEqual([2, 3, 2, 2])
    expect(layer.outputShape([3, 2, 2])).toEqual([12])
  })
})

describe('im2col convolution against the naive seven-loop convolution', () => {
  it.each(Array.from({ length: 12 }, (_, i) => i))('random shape %i: outputs and all gradients agree to 1e-5', (i) => {
    const random = new Random(400 + i)
    const pick = (lo: number, hi: number) => lo + random.int(hi - lo + 1)
    const c = pick(1, 3)
    const fn = pick(1, 4)
    const fh = pick(1, 4)
    const fw = pick(1, 4)
    const stride = pick(1, 3)
    const pad = pick(0, 2)
    const h = pick(Math.max(1, fh - 2 * pad), 9)
    const w = pick(Math.max(1, fw - 2 * pad), 9)
    const n = pick(1, 3)
    const fast = new Conv2D('conv', c, fn, fh, fw, stride, pad, 'float64')
    const naive = new NaiveConv2D('naive', c, fn, fh, fw, stride, pad, 'float64')
    randomizeParams(fast, random)
    naive.W.value.set(fast.W.value)
    naive.b.value.set(fast.b.value)
    const x = randomTensor([n, c, h, w], random)
    const shape = `[${n}, ${c}, ${h}, ${w}] * ${fn}×${c}×${fh}×${fw}, stride ${stride}, pad ${pad}`
    const a = Float64Array.from(fast.forward(x).data)
    const b = naive.forward(x)
    expect(fast.outputShape([c, h, w]), shape).toEqual(b.shape.slice(1))
    expect(maxRelativeError(a, b.data), shape).toBeLessThan(1e-5)
    const dout = randomTensor([...b.shape], random)
    const dxFast = Float64Array.from(fast.backward(dout).data)
    const dxNaive = naive.backward(dout).data
    expect(maxRelativeError(dxFast, dxNaive), `${shape}: dx`).toBeLessThan(1e-5)
    expect(maxRelativeError(fast.W.grad, naive.W.grad), `${shape}: dW`).toBeLessThan(1e-5)
    expect(maxRelativeError(fast.b.grad, naive.b.grad), `${shape}: db`).toBeLessThan(1e-5)
  })

  it('the naive convolution itself passes a finite-difference check', () => {
    const random = new Random(450)
    const layer = new NaiveConv2D('naive', 2, 2, 3, 3, 2, 1, 'float64')
    randomizeParams(layer, random)
    expectLayerGradientsMatch(layer, randomTensor([2, 2, 5, 5], random), random)
  })
})
