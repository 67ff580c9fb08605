/**
 * The input gradient an explanation starts from, checked against central differences of the source
 * network's own test-mode scores, in float64: for the class score and for its softmax probability, on
 * an MLP and on a conv net with both batch norms, both poolings and the course's dropout (the three
 * layers whose test-time derivative is not their training backward).
 */
import { describe, expect, it } from 'vitest'
import { softmax, type ClassOutput } from '../../../src/engine/explain/class-output'
import { InferenceCopy } from '../../../src/engine/explain/inference-copy'
import { inputGradients } from '../../../src/engine/explain/input-gradients'
import { maxRelativeError, numericalGradient } from '../gradient-check'
import { CONV_SPEC, IMAGE, MLP_IMAGE, MLP_SPEC, randomImage, randomNetwork, scoresOf } from './networks'

const cases = [
  { name: 'MLP (batch norm, tanh, dropout)', spec: MLP_SPEC, shape: MLP_IMAGE },
  { name: 'conv net (conv, batch norms, max and average pooling, dropout)', spec: CONV_SPEC, shape: IMAGE }
]

describe('∂(class output)/∂input against finite differences (float64, h = 1e-5)', () => {
  for (const { name, spec, shape } of cases) {
    for (const output of ['score', 'probability'] as ClassOutput[]) {
      it(`${name}, ${output}`, () => {
        const network = randomNetwork(spec, shape, 7)
        const copy = new InferenceCopy(network, spec)
        copy.sync()
        for (const [seed, target] of [
          [1, 0],
          [2, 3],
          [3, 4]
        ]) {
          const image = randomImage(shape, seed)
          const f = (): number => {
            const scores = scoresOf(network, image)
            return output === 'score' ? scores[target] : softmax(scores)[target]
          }
          const { gradients, outputs } = inputGradients(copy, image, 1, target, output)
          expect(outputs[0]).toBe(f())
          const numeric = numericalGradient(f, image)
          const error = maxRelativeError(gradients, numeric)
          expect(error, `${name} ${output} class ${target}`).toBeLessThan(1e-7)
          // Not trivially zero: the check has something to check.
          expect(Math.max(...numeric.map(Math.abs))).toBeGreaterThan(1e-3)
        }
      })
    }
  }

  it('a batch of images gives each image its own gradient (the same as one at a time)', () => {
    const network = randomNetwork(CONV_SPEC, IMAGE, 11)
    const copy = new InferenceCopy(network, CONV_SPEC)
    copy.sync()
    const images = [randomImage(IMAGE, 21), randomImage(IMAGE, 22), randomImage(IMAGE, 23)]
    const together = inputGradients(copy, Float64Array.from(images.flatMap((i) => [...i])), 3, 2, 'score')
    images.forEach((image, k) => {
      const alone = inputGradients(copy, image, 1, 2, 'score')
      expect(maxRelativeError(together.gradients.subarray(k * image.length, (k + 1) * image.length), alone.gradients)).toBeLessThan(1e-12)
    })
  })

  it('the copy follows its source: sync takes the new weights and running statistics', () => {
    const network = randomNetwork(CONV_SPEC, IMAGE, 5)
    const copy = new InferenceCopy(network, CONV_SPEC)
    copy.sync()
    const image = randomImage(IMAGE, 9)
    const before = Float64Array.from(copy.forward(image, 1).data)
    network.params[0].value.forEach((_, i, w) => (w[i] *= 1.5))
    const courseNorm = network.layers[5] as unknown as { runningVar: Float64Array }
    courseNorm.runningVar.forEach((_, i, v) => (v[i] *= 2))
    copy.sync()
    const after = Float64Array.from(copy.forward(image, 1).data)
    expect(after).toEqual(scoresOf(network, image))
    expect(maxRelativeError(after, before)).toBeGreaterThan(1e-3)
  })
})
