import { describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { Tensor } from '../../../src/engine/core/tensor'
import { BatchNorm } from '../../../src/engine/layers/batch-norm'
import { Dropout, type UniformSource } from '../../../src/engine/layers/dropout'
import { LayerNorm } from '../../../src/engine/layers/layer-norm'
import { expectLayerGradientsMatch, randomTensor } from '../gradient-check'

function randomizeParams(layer: { params: readonly { value: Float64Array | Float32Array }[] }, random: Random): void {
  for (const p of layer.params) for (let i = 0; i < p.value.length; i++) p.value[i] = 1 + 0.5 * random.normal()
}

/** Replays the same uniform draws from the start of every forward pass, so the mask is fixed while differentiating. */
class ReplayedUniform implements UniformSource {
  private i = 0
  constructor(private readonly draws: number[]) {}
  uniform(): number {
    return this.draws[this.i++ % this.draws.length]
  }
  rewind(): void {
    this.i = 0
  }
}

describe('normalisation backward passes match finite differences', () => {
  it('BatchNorm (training mode): input, gamma, beta', () => {
    const random = new Random(31)
    const layer = new BatchNorm('bn', 6, 'float64')
    randomizeParams(layer, random)
    expectLayerGradientsMatch(layer, randomTensor([5, 6], random, 2), random)
  })

  it('LayerNorm: input, gamma, beta', () => {
    const random = new Random(32)
    const layer = new LayerNorm('ln', 7, 'float64')
    randomizeParams(layer, random)
    expectLayerGradientsMatch(layer, randomTensor([4, 7], random, 2), random)
  })
})

describe('BatchNorm values', () => {
  it('normalises each feature over the batch in training and keeps running statistics from zero', () => {
    const layer = new BatchNorm('bn', 2, 'float64')
    const x = new Tensor([4, 2], Float64Array.from([1, 10, 2, 20, 3, 30, 4, 40]))
    const out = layer.forward(x, 'train')
    // Feature 0: mean 2.5, variance 1.25
    expect(out.data[0]).toBeCloseTo(-1.5 / Math.sqrt(1.25 + 1e-6), 12)
    expect(layer.runningMean[0]).toBeCloseTo(0.25, 12) // 0.9·0 + 0.1·mean
    expect(layer.runningMean[1]).toBeCloseTo(2.5, 12)
    expect(layer.runningVar[0]).toBeCloseTo(0.125, 12)
    const test = layer.forward(x, 'test')
    expect(test.data[0]).toBeCloseTo((1 - 0.25) / Math.sqrt(0.125 + 1e-6), 12)
  })
})

describe('Dropout', () => {
  const draws = [0.9, 0.1, 0.5, 0.05, 0.7, 0.3]

  it.each(['inverted', 'course'] as const)('%s mode: backward matches finite differences with the mask held fixed', (mode) => {
    const source = new ReplayedUniform(draws)
    const layer = new Dropout('dropout', 0.25, mode, source)
    const random = new Random(33)
    const x = randomTensor([2, 3], random)
    const rewindingLayer = {
      ...layer,
      name: layer.name,
      params: layer.params,
      outputShape: layer.outputShape.bind(layer),
      forward: (t: Tensor, m: 'train' | 'test') => (source.rewind(), layer.forward(t, m)),
      backward: layer.backward.bind(layer)
    }
    expectLayerGradientsMatch(rewindingLayer, x, random)
  })

  it('keeps a unit where the draw exceeds the ratio; scales as its mode says', () => {
    const x = new Tensor([1, 6], Float64Array.from([1, 2, 3, 4, 5, 6]))
    const inverted = new Dropout('d', 0.25, 'inverted', new ReplayedUniform(draws))
    expect(Array.from(inverted.forward(x, 'train').data)).toEqual([1, 0, 3, 0, 5, 6].map((v) => v * (1 / 0.75)))
    expect(Array.from(inverted.forward(x, 'test').data)).toEqual([1, 2, 3, 4, 5, 6])
    const course = new Dropout('d', 0.25, 'course', new ReplayedUniform(draws))
    expect(Array.from(course.forward(x, 'train').data)).toEqual([1, 0, 3, 0, 5, 6])
    expect(Array.from(course.forward(x, 'test').data)).toEqual([0.75, 1.5, 2.25, 3, 3.75, 4.5])
  })

  it('rejects a ratio outside [0, 1)', () => {
    expect(() => new Dropout('d', 1, 'inverted', new Random(1))).toThrow('dropout ratio must be in [0, 1)')
  })
})
