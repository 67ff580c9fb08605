/**
 * The maps of a trained conv net (cnn-simple, 200 iterations of batch 50 on the bundled MNIST's first
 * 2,000 training images, float32 as the app trains): the model-randomization sanity check of Adebayo et
 * al. 2018, where on the digit the attribution falls, and integrated gradients' completeness on real digits.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { explainImage, type ExplanationRequest } from '../../../src/engine/explain/explain'
import type { InferenceCopy } from '../../../src/engine/explain/inference-copy'
import { trainCnnSimple } from './trained-cnn'
import { spearman } from './rank-correlation'

const SHAPE = [1, 28, 28] as const
/** Test digits measured: the first N of the split. */
const DIGITS = 100

let data: ImageDataset
let trained: InferenceCopy
let untrained: InferenceCopy
let testAccuracy: number

beforeAll(async () => {
  // untrained: the same architecture with fresh weights, Adebayo's "randomized model".
  ;({ data, trained, untrained, testAccuracy } = await trainCnnSimple())
}, 120_000)

function image(index: number): Float64Array {
  return Float64Array.from(data.test.images.subarray(index * 784, (index + 1) * 784), (v) => v / 255)
}

const explain = (copy: InferenceCopy, index: number, request: ExplanationRequest) => explainImage(copy, image(index), SHAPE, request)

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length

/** The central 20×20 of a 28×28 map: where MNIST's digits are; the 4-pixel border is background. */
const central = (map: Float64Array) => Float64Array.from({ length: 400 }, (_, k) => map[(4 + Math.floor(k / 20)) * 28 + 4 + (k % 20)])

/** Share of Σ|map| on the image's non-zero pixels (NaN for an all-zero map). */
function strokeShare(map: Float64Array, pixels: Float64Array): number {
  let inside = 0
  let total = 0
  map.forEach((v, p) => {
    total += Math.abs(v)
    if (pixels[p] > 0) inside += Math.abs(v)
  })
  return total > 0 ? inside / total : NaN
}

describe('a trained cnn-simple', { timeout: 60_000 }, () => {
  it('is trained: above 85 % on its 500 test images', () => {
    console.log(`test accuracy ${testAccuracy}`)
    expect(testAccuracy).toBeGreaterThan(0.85)
  })

  it("model randomization (Adebayo et al. 2018): the trained and the random net give different maps, Spearman ρ well below a map's agreement with itself", () => {
    const rho = { saliency: [] as number[], saliencyCentral: [] as number[], signed: [] as number[], gradcam: [] as number[], ownSmoothGrad: [] as number[] }
    for (let i = 0; i < DIGITS; i++) {
      const target = data.test.labels[i]
      const mine = explain(trained, i, { method: 'saliency', class: target })
      const random = explain(untrained, i, { method: 'saliency', class: target })
      rho.saliency.push(spearman(mine.map, random.map))
      rho.saliencyCentral.push(spearman(central(mine.map), central(random.map)))
      rho.signed.push(spearman(mine.channelMaps!, random.channelMaps!))
      const cams = [trained, untrained].map((copy) => explain(copy, i, { method: 'gradcam', class: target }).map)
      if (cams.every((map) => map.some((v) => v > 0))) rho.gradcam.push(spearman(cams[0], cams[1]))
      // The reference: the same trained net's SmoothGrad map, which should agree with its gradient.
      rho.ownSmoothGrad.push(
        spearman(central(mine.map), central(explain(trained, i, { method: 'smoothgrad', class: target, options: { samples: 10, noise: 0.1 } }).map))
      )
    }
    const means = Object.fromEntries(Object.entries(rho).map(([name, values]) => [name, mean(values)]))
    console.log(
      `randomization, mean Spearman ρ over ${DIGITS} test digits: ${Object.entries(means)
        .map(([n, v]) => `${n} ${v.toFixed(3)}`)
        .join(', ')} (${rho.gradcam.length} Grad-CAM pairs non-empty)`
    )
    // |gradient| over the whole image shares a vignette both nets have: a 5×5 unpadded conv covers a corner
    // pixel once and a central one 25 times. Over the digits' 20×20 the maps are nearly unrelated.
    expect(means.saliency).toBeLessThan(0.7)
    expect(means.saliencyCentral).toBeLessThan(0.4)
    expect(means.signed).toBeLessThan(0.2)
    expect(means.gradcam).toBeLessThan(0.4)
    expect(means.ownSmoothGrad).toBeGreaterThan(0.6)
  })

  it('the attribution falls on the strokes (pixels > 0) far beyond their share of the image', () => {
    const shares: Record<string, number[]> = { gradxinput: [], saliency: [], occlusion: [], gradcam: [], area: [] }
    for (let i = 0; i < DIGITS; i++) {
      const pixels = image(i)
      for (const method of ['gradxinput', 'saliency', 'occlusion', 'gradcam']) shares[method].push(strokeShare(explain(trained, i, { method }).map, pixels))
      shares.area.push(pixels.filter((v) => v > 0).length / 784)
    }
    const emptyCams = shares.gradcam.filter((v) => Number.isNaN(v)).length
    const means = Object.fromEntries(Object.entries(shares).map(([name, values]) => [name, mean(values.filter((v) => !Number.isNaN(v)))]))
    console.log(
      `share of |attribution| on stroke pixels, mean over ${DIGITS} test digits: ${Object.entries(means)
        .map(([n, v]) => `${n} ${v.toFixed(3)}`)
        .join(', ')}; ${emptyCams} Grad-CAM maps all zero`
    )
    // Gradient × input is 0 wherever the pixel is 0: its share is 1 by construction, and says nothing.
    expect(shares.gradxinput.every((v) => v === 1)).toBe(true)
    // The honest measures: maps that can put weight on the background.
    expect(means.occlusion).toBeGreaterThan(0.5)
    expect(means.saliency).toBeGreaterThan(2 * means.area)
    expect(means.gradcam).toBeGreaterThan(1.5 * means.area)
  })

  it('integrated gradients add up to score(digit) − score(black) within 1 % (64 midpoint steps)', () => {
    const errors = Array.from({ length: 20 }, (_, i) => explain(trained, i, { method: 'integrated' }).completeness!.relativeError)
    console.log(
      `integrated gradients' completeness over 20 test digits: mean relative error ${mean(errors).toExponential(2)}, max ${Math.max(...errors).toExponential(2)}`
    )
    expect(Math.max(...errors)).toBeLessThan(0.01)
  })
})
