import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { findPreset } from '../../../src/engine/presets'
import { Tensor } from '../../../src/engine/core/tensor'
import { tallyConfusion } from '../../../src/engine/train/evaluation-job'
import { Trainer } from '../../../src/engine/train/trainer'

let dataset: ImageDataset
beforeAll(async () => {
  dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
})

describe('an evaluation done a chunk at a time', () => {
  // 200 training and 150 test images in batches of 100: the test part ends on a partial chunk.
  it.each(['float32', 'float64'] as const)("%s: equals the one-piece evaluation, with the test images' confusion counts", { timeout: 60_000 }, (precision) => {
    const config = { ...findPreset('cnn-simple').config, precision, iterations: 3, evalInterval: 3, trainLimit: 200, testLimit: 150 }
    const whole = new Trainer(config, dataset)
    const sliced = new Trainer(config, dataset)
    for (let i = 0; i < 2; i++) expect(sliced.trainStep().evaluation).toBeNull()
    for (let i = 0; i < 2; i++) whole.step()
    const expected = whole.step()

    const { iter, loss, evaluation: job } = sliced.trainStep()
    expect([iter, loss]).toEqual([expected.iter, expected.loss])
    expect(job!.total).toBe(350)
    const seen: number[] = [job!.done]
    while (!job!.finished) {
      job!.advance()
      seen.push(job!.done)
    }
    expect(seen).toEqual([0, 100, 200, 300, 350])
    const result = job!.finish()
    expect(result).toEqual(expected.evaluation)
    expect(job!.finish()).toBe(result) // asked again: the same result, nothing evaluated twice

    // The confusion counts are the test accuracy's own predictions: rows are the true classes.
    const confusion = result.confusion
    expect(confusion).toHaveLength(100)
    expect(confusion.every((c) => Number.isInteger(c) && c >= 0)).toBe(true)
    const diagonal = confusion.filter((_, i) => i % 11 === 0).reduce((a, b) => a + b, 0)
    expect(diagonal / 150).toBe(result.testAcc)
    expect(result.testAcc).toBe(sliced.accuracy(sliced.test, 150))
    const labels = Array.from(sliced.test.labels.subarray(0, 150))
    for (let row = 0; row < 10; row++) {
      const rowSum = confusion.slice(row * 10, row * 10 + 10).reduce((a, b) => a + b, 0)
      expect(rowSum, `class ${row}`).toBe(labels.filter((l) => l === row).length)
    }
    // Training goes on from the same state either way.
    expect(sliced.trainStep().loss).toBe(whole.step().loss)
  })

  it('counts only the test images, cut to evalSubset at intermediate evaluations', { timeout: 60_000 }, () => {
    const config = { ...findPreset('cnn-simple').config, iterations: 4, evalInterval: 2, trainLimit: 200, testLimit: 300, evalSubset: 120 }
    const trainer = new Trainer(config, dataset)
    trainer.step()
    const cut = trainer.step().evaluation!
    expect(cut.subset).toEqual({ train: 120, test: 120 })
    expect(cut.confusion.reduce((a, b) => a + b, 0)).toBe(120)
    trainer.step()
    expect(trainer.step().evaluation!.confusion.reduce((a, b) => a + b, 0)).toBe(300)
  })
})

describe('tallyConfusion', () => {
  it("puts each prediction in its true class's row, the first highest score winning a tie, and counts the right ones", () => {
    const scores = new Tensor(
      [4, 3],
      Float64Array.from([
        ...[0.1, 0.7, 0.2], // true 1, predicted 1
        ...[0.5, 0.5, 0.1], // true 1, a tie: predicted 0
        ...[0.0, 0.2, 0.9], // true 0, predicted 2
        ...[0.3, 0.2, 0.1] // not counted (rows = 3)
      ])
    )
    const confusion = new Array<number>(9).fill(0)
    const correct = tallyConfusion(scores, new Uint8Array([1, 1, 0, 0]), 3, confusion)
    expect(correct).toBe(1)
    expect(confusion).toEqual([0, 0, 1, 1, 1, 0, 0, 0, 0])
  })
})
