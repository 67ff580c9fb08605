import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { PRESETS, findPreset } from '../../../src/engine/presets'
import { Trainer } from '../../../src/engine/train/trainer'

let dataset: ImageDataset
beforeAll(async () => {
  dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
})

describe('conv presets (notebooks 2_6–2_8)', () => {
  it("come after the MLP lessons, with the notebooks' subsets, optimiser and schedule", () => {
    const ids = PRESETS.map((p) => p.id)
    const conv = ids.filter((id) => id.startsWith('cnn-'))
    expect(conv).toEqual(['cnn-simple', 'cnn-double', 'cnn-double-nopool', 'cnn-deep'])
    const lastMlpLesson = Math.max(
      ...PRESETS.map((p, i) => (['vanishing-gradient', 'batch-normalization', 'optimizers', 'overfitting'].includes(p.lesson) ? i : -1))
    )
    expect(ids.indexOf('cnn-simple')).toBeGreaterThan(lastMlpLesson)
    for (const id of conv) {
      const { config, lesson, quirks } = findPreset(id)
      expect(lesson).toBe('convolution')
      expect(config).toMatchObject({ batchSize: 100, evalInterval: 10, trainAccuracy: 'train-set', trainLimit: 5000, testLimit: 1000 })
      expect(config.optimizer).toEqual({ kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999 })
      expect(config.evalSubset).toBeUndefined()
      expect(quirks.length, id).toBeGreaterThan(1)
    }
    expect(findPreset('cnn-simple').config.iterations).toBe(1000)
    expect(findPreset('cnn-double').config.iterations).toBe(100)
    expect(findPreset('cnn-double-nopool').config.iterations).toBe(100)
    expect(findPreset('cnn-deep').config.iterations).toBe(1000)
  })

  it('cnn-simple learns: clearly above chance after 20 iterations', { timeout: 60_000 }, () => {
    // Accuracy on 200 test images only: the subsets' 6,000-image evaluation would dominate this test.
    const config = { ...findPreset('cnn-simple').config, iterations: 20, evalInterval: 20, trainAccuracy: 'batch-after-update' as const, testLimit: 200 }
    const trainer = new Trainer(config, dataset)
    let last = null
    while (!trainer.finished) last = trainer.step()
    expect(last!.evaluation!.testAcc).toBeGreaterThan(0.5)
  })
})

describe('the faster evaluation schedule (evalSubset)', () => {
  it('evaluates on the first K images at intermediate points and on everything at the last iteration', { timeout: 60_000 }, () => {
    const config = { ...findPreset('cnn-double').config, iterations: 6, evalInterval: 3, trainLimit: 300, testLimit: 200, evalSubset: 100 }
    const fast = new Trainer(config, dataset)
    const full = new Trainer({ ...config, evalSubset: undefined }, dataset)
    for (let iter = 1; iter <= 6; iter++) {
      const [a, b] = [fast.step(), full.step()]
      // Evaluation draws nothing from the run's generator: the schedule changes no trained number.
      expect(a.loss).toBe(b.loss)
      if (iter === 3) {
        expect(a.evaluation!.subset).toEqual({ train: 100, test: 100 })
        expect(b.evaluation!.subset).toBeUndefined()
        expect(a.evaluation!.testAcc).toBe(full.accuracy(full.test, 100))
        expect(a.evaluation!.trainAcc).toBe(full.accuracy(full.train, 100))
      }
      if (iter === 6) {
        expect(a.evaluation!.subset).toBeUndefined()
        expect([a.evaluation!.trainAcc, a.evaluation!.testAcc]).toEqual([b.evaluation!.trainAcc, b.evaluation!.testAcc])
      }
    }
  })
})
