import { describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { Tensor } from '../../../src/engine/core/tensor'
import { Affine } from '../../../src/engine/layers/affine'
import { Relu } from '../../../src/engine/layers/relu'
import { Sigmoid } from '../../../src/engine/layers/sigmoid'
import { SoftmaxCrossEntropy } from '../../../src/engine/layers/softmax-cross-entropy'
import { Tanh } from '../../../src/engine/layers/tanh'
import { expectLayerGradientsMatch, maxRelativeError, numericalGradient, randomTensor } from '../gradient-check'

describe('backward passes match finite differences', () => {
  it('Affine (input, W and b), with a sparse input like MNIST pixels', () => {
    const random = new Random(11)
    const layer = new Affine('affine', 12, 5, 'float64')
    for (const p of layer.params) for (let i = 0; i < p.value.length; i++) p.value[i] = random.normal()
    const x = randomTensor([4, 12], random)
    for (let i = 0; i < x.data.length; i += 3) x.data[i] = 0
    expectLayerGradientsMatch(layer, x, random)
  })

  it('Affine flattens a multi-dimensional input', () => {
    const random = new Random(12)
    const layer = new Affine('affine', 2 * 3 * 2, 3, 'float64')
    for (const p of layer.params) for (let i = 0; i < p.value.length; i++) p.value[i] = random.normal()
    expectLayerGradientsMatch(layer, randomTensor([3, 2, 3, 2], random), random)
  })

  it.each([
    ['ReLU', () => new Relu('relu')],
    ['Sigmoid', () => new Sigmoid('sigmoid')],
    ['Tanh', () => new Tanh('tanh')]
  ])('%s', (_name, make) => {
    const random = new Random(13)
    const x = randomTensor([5, 7], random, 2)
    // Keep inputs away from ReLU's kink, where the derivative is undefined.
    for (let i = 0; i < x.data.length; i++) if (Math.abs(x.data[i]) < 1e-3) x.data[i] = 0.5
    expectLayerGradientsMatch(make(), x, random)
  })

  // The forward pass adds the course's 1e-7 inside the log; the course's backward, (p − onehot)/N, is the
  // exact gradient of the unguarded loss, so that is the oracle differentiated here.
  it('softmax with cross-entropy (against the unguarded loss)', () => {
    const random = new Random(14)
    const scores = randomTensor([6, 10], random, 3)
    const labels = Uint8Array.from([0, 3, 9, 9, 2, 5])
    const layer = new SoftmaxCrossEntropy()
    layer.forward(scores, labels)
    const analytic = Float64Array.from(layer.backward().data)
    const unguardedLoss = (): number => {
      let sum = 0
      for (let i = 0; i < 6; i++) {
        const row = Array.from(scores.data.subarray(i * 10, i * 10 + 10))
        const max = Math.max(...row)
        const logSum = Math.log(row.reduce((acc, v) => acc + Math.exp(v - max), 0)) + max
        sum += logSum - row[labels[i]]
      }
      return sum / 6
    }
    const numeric = numericalGradient(unguardedLoss, scores.data)
    expect(maxRelativeError(analytic, numeric)).toBeLessThan(1e-7)
  })
})

describe('softmax with cross-entropy, values', () => {
  it('gives −log(0.1 + 1e-7) for uniform scores and survives huge scores', () => {
    const layer = new SoftmaxCrossEntropy()
    expect(layer.forward(Tensor.zeros([2, 10], 'float64'), Uint8Array.from([1, 7]))).toBeCloseTo(-Math.log(0.1 + 1e-7), 12)
    const huge = Tensor.zeros([1, 10], 'float64')
    huge.data[4] = 1e6
    expect(layer.forward(huge, Uint8Array.from([4]))).toBeCloseTo(-Math.log(1 + 1e-7), 12)
    expect(layer.forward(huge, Uint8Array.from([3]))).toBeCloseTo(-Math.log(1e-7), 6)
  })
})
