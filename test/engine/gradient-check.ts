import { expect } from 'vitest'
import type { FloatArray } from '../../src/engine/core/dtype'
import { Random } from '../../src/engine/core/random'
import { Tensor } from '../../src/engine/core/tensor'
import type { Layer } from '../../src/engine/layers/layer'

/** Central-difference derivative of `f` with respect to every entry of `values`. */
export function numericalGradient(f: () => number, values: FloatArray, h = 1e-5): FloatArray {
  const grad = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const saved = values[i]
    values[i] = saved + h
    const plus = f()
    values[i] = saved - h
    const minus = f()
    values[i] = saved
    grad[i] = (plus - minus) / (2 * h)
  }
  return grad
}

/** Largest |a − b| / max(1, |a|, |b|): relative for large entries, absolute near zero. */
export function maxRelativeError(a: FloatArray, b: FloatArray): number {
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i]), Math.abs(b[i])))
  return worst
}

export function randomTensor(shape: number[], random: Random, scale = 1): Tensor {
  const t = Tensor.zeros(shape, 'float64')
  for (let i = 0; i < t.data.length; i++) t.data[i] = scale * random.normal()
  return t
}

/**
 * Checks a layer's backward pass against finite differences of the scalar L = Σ forward(x) ⊙ R, for the
 * input and every parameter. In float64 with h = 1e-5 the truncation error is ~1e-10, so 1e-6 is a
 * tolerance a wrong formula cannot meet.
 */
export function expectLayerGradientsMatch(layer: Layer, x: Tensor, random: Random, tolerance = 1e-6): void {
  const out = layer.forward(x, 'train')
  const weights = randomTensor([...out.shape], random)
  const loss = (): number => {
    const y = layer.forward(x, 'train').data
    let sum = 0
    for (let i = 0; i < y.length; i++) sum += y[i] * weights.data[i]
    return sum
  }
  loss()
  const dx = Float64Array.from(layer.backward(weights).data)
  const paramGrads = layer.params.map((p) => Float64Array.from(p.grad))
  expect(maxRelativeError(dx, numericalGradient(loss, x.data)), `${layer.name} input gradient`).toBeLessThan(tolerance)
  layer.params.forEach((p, i) => {
    expect(maxRelativeError(paramGrads[i], numericalGradient(loss, p.value)), `${p.name} gradient`).toBeLessThan(tolerance)
  })
}
