/**
 * Each method against what it must equal: Grad-CAM on a tiny conv net whose weights are set by hand
 * (numbers worked out on paper below), the three path and patch methods on a linear model (where they
 * all equal w ⊙ x exactly), integrated gradients' completeness, SmoothGrad's seed, and the one-line
 * errors of a bad request.
 */
import { describe, expect, it } from 'vitest'
import type { NetworkSpec } from '../../../src/engine/config/run-config'
import { Random } from '../../../src/engine/core/random'
import { explainImage } from '../../../src/engine/explain/explain'
import { InferenceCopy } from '../../../src/engine/explain/inference-copy'
import { integratedGradients } from '../../../src/engine/explain/integrated-gradients'
import { buildNetwork } from '../../../src/engine/model/build'
import { EngineError } from '../../../src/engine/protocol/error-codes'
import { CONV_SPEC, IMAGE, MLP_IMAGE, MLP_SPEC, randomImage, randomNetwork } from './networks'

/** conv1 (2 filters 2×2) → ReLU → affine (8 → 2), on one 3×3 grey image. */
const TINY_SPEC: NetworkSpec = {
  kind: 'layers',
  init: 'he',
  initStd: 0.01,
  layers: [{ kind: 'conv2d', filters: 2, size: 2, pad: 0, stride: 1 }, { kind: 'relu' }, { kind: 'affine', units: 2 }]
}

function tinyNet(): InferenceCopy {
  const network = buildNetwork(TINY_SPEC, [1, 3, 3], new Random(1), 'float64', 2)
  const [convW, convB, affineW, affineB] = network.params
  convW.value.set([1, 0, 0, 1, /* filter 1 */ 0, 1, 1, 0]) // (filter, channel, row, column)
  convB.value.set([-0.5, 0.5])
  // (input, class): class 0's column is 1 2 3 4 −1 0 1 2, class 1's −1 0 0 −1 1 1 1 1.
  const class0 = [1, 2, 3, 4, -1, 0, 1, 2]
  const class1 = [-1, 0, 0, -1, 1, 1, 1, 1]
  affineW.value.set(class0.flatMap((w, i) => [w, class1[i]]))
  affineB.value.fill(0)
  const copy = new InferenceCopy(network, TINY_SPEC)
  copy.sync()
  return copy
}

/** The identity's diagonal. */
const DIAGONAL = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1])

describe('Grad-CAM on a hand-computed case', () => {
  // conv1 gives A0 = [[1.5, −0.5], [−0.5, 1.5]] and A1 = [[0.5, 1.5], [1.5, 0.5]]; Grad-CAM's maps are the
  // conv block's output, after relu1: A0 = [[1.5, 0], [0, 1.5]], A1 unchanged. Flattened: 1.5 0 0 1.5 | 0.5 1.5 1.5 0.5.
  it('class 0: w = (2.5, 0.5), map = ReLU(2.5·A0 + 0.5·A1) = [[4, 0.75], [0.75, 4]], upsampled bilinearly to 3×3', () => {
    // score 0 = 1.5 + 6 − 0.5 + 1.5 + 1 = 9.5, score 1 = −3 + 4 = 1.
    // ∂score0/∂A0 = (1, 2, 3, 4): mean 2.5; ∂score0/∂A1 = (−1, 0, 1, 2): mean 0.5.
    const result = explainImage(tinyNet(), DIAGONAL, [1, 3, 3], { method: 'gradcam', layer: 'conv1' })
    expect(result.scores).toEqual([9.5, 1])
    expect([result.predicted, result.class, result.layer, result.settings.maps]).toEqual([0, 0, 'conv1', 'relu1'])
    // Half-pixel centres from 2×2 to 3×3: rows and columns 0 and 2 sample the edge pixels, 1 their mean.
    const expected = [4, 2.375, 0.75, 2.375, 2.375, 2.375, 0.75, 2.375, 4]
    expected.forEach((v, i) => expect(result.map[i]).toBeCloseTo(v, 12))
  })

  it('class 1: w = (−0.5, 1), and the ReLU clips the negative corners: [[0, 1.5], [1.5, 0]]', () => {
    // ∂score1/∂A0 = (−1, 0, 0, −1): mean −0.5; ∂score1/∂A1 = (1, 1, 1, 1): mean 1. −0.5·A0 + A1 = [[−0.25, 1.5], [1.5, −0.25]].
    const result = explainImage(tinyNet(), DIAGONAL, [1, 3, 3], { method: 'gradcam', class: 1 })
    expect(result.layer).toBe('conv1') // the last conv layer by default
    const expected = [0, 0.75, 1.5, 0.75, 0.75, 0.75, 1.5, 0.75, 0]
    expected.forEach((v, i) => expect(result.map[i]).toBeCloseTo(v, 12))
  })
})

describe('on a linear model f = w·x + b every method reduces to w ⊙ x (or |w|)', () => {
  const spec: NetworkSpec = { kind: 'layers', init: 'he', initStd: 0.01, layers: [{ kind: 'affine', units: 3 }] }
  const network = buildNetwork(spec, [1, 5, 5], new Random(3), 'float64', 3)
  const copy = new InferenceCopy(network, spec)
  copy.sync()
  const image = randomImage([1, 5, 5], 4)
  const w = Float64Array.from({ length: 25 }, (_, i) => network.params[0].value[i * 3 + 2])
  const explain = (method: string, options = {}) => explainImage(copy, image, [1, 5, 5], { method, class: 2, options }).map

  it('saliency |w|, gradient × input, integrated gradients (both rules) and 1-pixel occlusion w ⊙ x', () => {
    const product = w.map((v, i) => v * image[i])
    const close = (a: Float64Array, b: Float64Array) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12))
    close(explain('saliency'), w.map(Math.abs))
    close(explain('gradxinput'), product)
    close(explain('integrated', { steps: 3 }), product)
    close(explain('integrated', { steps: 3, rule: 'trapezoid' }), product)
    close(explain('occlusion', { patch: 1, stride: 1 }), product)
  })

  it('occlusion with a 2-pixel patch at stride 1: each pixel the mean drop of the patches covering it', () => {
    const drop = (y: number, x: number) =>
      [0, 1].reduce((s, dy) => s + [0, 1].reduce((t, dx) => t + w[(y + dy) * 5 + x + dx] * image[(y + dy) * 5 + x + dx], 0), 0)
    const map = explain('occlusion', { patch: 2, stride: 1 })
    // Pixel (2, 2) lies under the four patches at (1|2, 1|2); the corner (0, 0) under one.
    expect(map[2 * 5 + 2]).toBeCloseTo((drop(1, 1) + drop(1, 2) + drop(2, 1) + drop(2, 2)) / 4, 12)
    expect(map[0]).toBeCloseTo(drop(0, 0), 12)
  })
})

describe('integrated gradients: completeness', () => {
  for (const [name, spec, shape] of [
    ['MLP', MLP_SPEC, MLP_IMAGE],
    ['conv net', CONV_SPEC, IMAGE]
  ] as const) {
    it(`${name}: the attributions add up to f(x) − f(black) within 1 % with 64 midpoint steps, and closer with more`, () => {
      const network = randomNetwork(spec, shape, 12)
      const copy = new InferenceCopy(network, spec)
      copy.sync()
      const errors = [1, 2, 3].map((seed) => {
        const image = randomImage(shape, seed)
        const coarse = integratedGradients(copy, image, 1, 'score', { steps: 64, rule: 'midpoint', baseline: 0 }).completeness
        const fine = integratedGradients(copy, image, 1, 'score', { steps: 512, rule: 'midpoint', baseline: 0 }).completeness
        const sum = integratedGradients(copy, image, 1, 'score', { steps: 64, rule: 'trapezoid', baseline: 0 }).completeness
        expect(Math.abs(coarse.outputDifference)).toBeGreaterThan(1e-3)
        expect(coarse.relativeError).toBeLessThan(0.01)
        expect(sum.relativeError).toBeLessThan(0.01)
        expect(fine.relativeError).toBeLessThan(coarse.relativeError + 1e-9)
        return coarse.relativeError
      })
      expect(Math.max(...errors)).toBeLessThan(0.01)
    })
  }
})

describe('SmoothGrad', () => {
  const network = randomNetwork(CONV_SPEC, IMAGE, 8)
  const copy = new InferenceCopy(network, CONV_SPEC)
  copy.sync()
  const image = randomImage(IMAGE, 3)
  const smooth = (seed: number, samples = 20, noise = 0.15) =>
    explainImage(copy, image, IMAGE, { method: 'smoothgrad', class: 1, options: { seed, samples, noise } })

  it('the same seed gives the same map bit for bit; another seed another map', () => {
    expect(smooth(5).map).toEqual(smooth(5).map)
    expect(smooth(6).map).not.toEqual(smooth(5).map)
  })

  it('with no noise it is the vanilla gradient', () => {
    const vanilla = explainImage(copy, image, IMAGE, { method: 'saliency', class: 1 })
    smooth(1, 3, 0).map.forEach((v, i) => expect(v).toBeCloseTo(vanilla.map[i], 12))
  })
})

describe('bad requests are one-line INVALID_REQUEST errors', () => {
  const copy = tinyNet()
  const attempt = (request: Parameters<typeof explainImage>[3]) => {
    try {
      explainImage(copy, DIAGONAL, [1, 3, 3], request)
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError)
      expect((error as EngineError).code).toBe('INVALID_REQUEST')
      return (error as EngineError).message
    }
    throw new Error('no error')
  }
  it('an unknown method, a class out of range, a layer that is not a conv layer or not there, a patch too large', () => {
    expect(attempt({ method: 'lime' })).toBe('unknown method "lime": use saliency, gradxinput, smoothgrad, integrated, occlusion, gradcam')
    expect(attempt({ method: 'saliency', class: 2 })).toBe("class 2 is not one of the model's classes (0 to 1)")
    expect(attempt({ method: 'gradcam', layer: 'relu1' })).toBe('Grad-CAM needs a conv layer: "relu1" is not one (conv layers: conv1)')
    expect(attempt({ method: 'gradcam', layer: 'conv9' })).toBe('the network has no layer "conv9"; its layers are conv1, relu1, affine1')
    expect(attempt({ method: 'occlusion', options: { patch: 4 } })).toBe('an occlusion patch of 4 pixels does not fit a 3×3 image')
    expect(attempt({ method: 'gradcam', layer: 'affine1' })).toBe('Grad-CAM needs a conv layer: "affine1" is not one (conv layers: conv1)')
  })
})
