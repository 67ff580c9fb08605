import { describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { Tensor } from '../../../src/engine/core/tensor'
import { BatchNorm } from '../../../src/engine/layers/batch-norm'
import { ChannelBatchNorm } from '../../../src/engine/layers/channel-batch-norm'
import { GroupNorm } from '../../../src/engine/layers/group-norm'
import { InstanceNorm } from '../../../src/engine/layers/instance-norm'
import { LayerNorm } from '../../../src/engine/layers/layer-norm'
import { expectLayerGradientsMatch, randomTensor } from '../gradient-check'

function randomizeParams(layer: { params: readonly { value: Float64Array | Float32Array }[] }, random: Random): void {
  for (const p of layer.params) for (let i = 0; i < p.value.length; i++) p.value[i] = 1 + 0.5 * random.normal()
}

describe('normalisations of conv maps: backward matches finite differences (input, γ, β)', () => {
  it.each([
    ["BatchNorm 'course' (per value of the flattened map)", () => new BatchNorm('bn', 3 * 3 * 4, 'float64')],
    ["ChannelBatchNorm ('channel', per channel over N·H·W)", () => new ChannelBatchNorm('bn', 3, 'float64')],
    ['GroupNorm, 1 group of 3 channels', () => new GroupNorm('gn', 3, 1, 'float64')],
    ['InstanceNorm', () => new InstanceNorm('in', 3, 'float64')],
    ['LayerNorm over C·H·W', () => new LayerNorm('ln', 3 * 3 * 4, 'float64')]
  ])('%s', (_name, make) => {
    const random = new Random(600)
    const layer = make()
    randomizeParams(layer, random)
    expectLayerGradientsMatch(layer, randomTensor([4, 3, 3, 4], random, 2), random)
  })

  it('GroupNorm, 2 groups of 2 channels', () => {
    const random = new Random(601)
    const layer = new GroupNorm('gn', 4, 2, 'float64')
    randomizeParams(layer, random)
    expectLayerGradientsMatch(layer, randomTensor([3, 4, 2, 3], random, 2), random)
  })
})

describe('normalisation values', () => {
  it('ChannelBatchNorm normalises each channel over batch and pixels, running statistics from zero', () => {
    const layer = new ChannelBatchNorm('bn', 2, 'float64')
    // Channel 0 holds 1…4 across two images, channel 1 holds 10·(1…4).
    const x = new Tensor([2, 2, 1, 2], Float64Array.from([1, 2, 10, 20, 3, 4, 30, 40]))
    const out = layer.forward(x, 'train')
    const s0 = Math.sqrt(1.25 + 1e-6) // channel 0: mean 2.5, variance 1.25
    const s1 = Math.sqrt(125 + 1e-6) // channel 1: mean 25, variance 125
    const expected = [-1.5 / s0, -0.5 / s0, -15 / s1, -5 / s1, 0.5 / s0, 1.5 / s0, 5 / s1, 15 / s1]
    expected.forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 12))
    expect(layer.runningMean[0]).toBeCloseTo(0.25, 12)
    expect(layer.runningMean[1]).toBeCloseTo(2.5, 12)
    expect(layer.runningVar[1]).toBeCloseTo(12.5, 12)
  })

  it('InstanceNorm gives every map of every image mean 0 and variance 1, whatever the batch', () => {
    const random = new Random(602)
    const layer = new InstanceNorm('in', 2, 'float64')
    const out = layer.forward(randomTensor([1, 2, 4, 4], random, 3))
    for (let map = 0; map < 2; map++) {
      const values = Array.from(out.data.subarray(map * 16, map * 16 + 16))
      const mean = values.reduce((a, b) => a + b) / 16
      const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / 16
      expect(mean).toBeCloseTo(0, 12)
      expect(variance).toBeCloseTo(1, 4)
    }
  })

  it('GroupNorm refuses groups that do not divide the channels', () => {
    expect(() => new GroupNorm('gn', 6, 4, 'float64')).toThrow('4 groups do not divide 6 channels evenly')
  })
})
