import { describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { Tensor } from '../../../src/engine/core/tensor'
import { buildNetwork } from '../../../src/engine/model/build'
import type { MlpSpec } from '../../../src/engine/config/run-config'
import { maxRelativeError, numericalGradient } from '../gradient-check'

describe('a whole network backpropagates the loss exactly', () => {
  it.each(['relu', 'sigmoid', 'tanh'] as const)('MLP with %s hidden layers', (activation) => {
    const random = new Random(21)
    const spec: MlpSpec = {
      kind: 'mlp',
      hidden: [6, 5],
      activation,
      init: 'xavier',
      initStd: 0.01,
      normalization: 'none',
      dropout: { ratio: 0, mode: 'inverted' }
    }
    const network = buildNetwork(spec, [8], random, 'float64')
    const x = Tensor.zeros([4, 8], 'float64')
    for (let i = 0; i < x.data.length; i++) x.data[i] = random.uniform()
    const labels = Uint8Array.from([1, 9, 0, 4])
    network.loss(x, labels, 'train')
    network.backward()
    for (const param of network.params) {
      const analytic = Float64Array.from(param.grad)
      const numeric = numericalGradient(() => network.loss(x, labels, 'train'), param.value)
      expect(maxRelativeError(analytic, numeric), param.name).toBeLessThan(1e-6)
    }
  })

  it.each([
    ['batch norm', { normalization: 'batchnorm', dropout: { ratio: 0, mode: 'inverted' } }],
    ['layer norm', { normalization: 'layernorm', dropout: { ratio: 0, mode: 'inverted' } }],
    ['inverted dropout', { normalization: 'none', dropout: { ratio: 0.3, mode: 'inverted' } }],
    ["the course's dropout with batch norm", { normalization: 'batchnorm', dropout: { ratio: 0.3, mode: 'course' } }]
  ] as const)('MLP with %s', (_name, extra) => {
    const random = new Random(22)
    const spec: MlpSpec = { kind: 'mlp', hidden: [6, 5], activation: 'sigmoid', init: 'he', initStd: 0.01, ...extra, dropout: { ...extra.dropout } }
    const network = buildNetwork(spec, [8], random, 'float64')
    const x = Tensor.zeros([5, 8], 'float64')
    for (let i = 0; i < x.data.length; i++) x.data[i] = random.uniform()
    const labels = Uint8Array.from([1, 9, 0, 4, 4])
    // Dropout draws its masks from the run's generator: replay the same draws for every loss evaluation.
    const maskState = random.saveState()
    const loss = () => {
      random.restoreState(maskState)
      return network.loss(x, labels, 'train')
    }
    loss()
    network.backward()
    expect(network.params.length).toBe(extra.normalization === 'none' ? 6 : 10)
    for (const param of network.params) {
      const analytic = Float64Array.from(param.grad)
      const numeric = numericalGradient(loss, param.value)
      expect(maxRelativeError(analytic, numeric), param.name).toBeLessThan(1e-6)
    }
  })
})
