import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { checkRunConfig, defineRunConfig } from '../../../src/engine/config/run-config'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { PRESETS, findPreset } from '../../../src/engine/presets'
import { HISTOGRAM_BINS } from '../../../src/engine/train/layer-stats'
import { Trainer } from '../../../src/engine/train/trainer'

let dataset: ImageDataset
beforeAll(async () => {
  dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
})

function runSteps(trainer: Trainer, n: number) {
  let last = null
  for (let i = 0; i < n; i++) last = trainer.step()
  return last!
}

describe('presets', () => {
  it('have unique ids and valid configs that build on the bundled data', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length)
    for (const preset of PRESETS) {
      expect(checkRunConfig(preset.config).ok, preset.id).toBe(true)
      expect(() => new Trainer(preset.config, dataset), preset.id).not.toThrow()
      expect(preset.quirks.length, `${preset.id} names its accuracy definition`).toBeGreaterThan(0)
    }
  })

  it('include every id the MLP lessons issue names', () => {
    const ids = PRESETS.map((p) => p.id)
    for (const id of [
      'vg-sigmoid-gauss',
      'vg-relu-gauss',
      'vg-sigmoid-xavier',
      'vg-relu-he',
      'vg-relu-xavier',
      'vg-sigmoid-he',
      'bn-sigmoid-xavier',
      'opt-sgd',
      'opt-momentum',
      'opt-adagrad',
      'opt-rmsprop',
      'opt-adam',
      'of-none',
      'of-l2',
      'of-l1',
      'of-dropout',
      'of-dropout-l1',
      'of-l2-dropout-5000'
    ])
      expect(ids).toContain(id)
  })
})

describe('trainer', () => {
  it('learns: vg-relu-he is well above chance after 300 iterations', () => {
    const trainer = new Trainer({ ...findPreset('vg-relu-he').config, iterations: 300, evalInterval: 300 }, dataset)
    expect(runSteps(trainer, 300).evaluation!.testAcc).toBeGreaterThan(0.8)
  })

  it('never changes frozen parameters (the 2_5 output layer, the 2_3 γ/β)', () => {
    for (const id of ['of-l2', 'bn-sigmoid-xavier']) {
      const trainer = new Trainer({ ...findPreset(id).config, iterations: 5 }, dataset)
      const frozen = trainer.network.params.filter((p) => !trainer.trainable.includes(p))
      expect(frozen.length, id).toBeGreaterThan(0)
      const before = frozen.map((p) => Float64Array.from(p.value))
      const trained = trainer.trainable.find((p) => p.isWeight)!
      const trainedBefore = Float64Array.from(trained.value)
      runSteps(trainer, 5)
      frozen.forEach((p, i) => expect(Array.from(p.value), p.name).toEqual(Array.from(before[i])))
      expect(Array.from(trained.value)).not.toEqual(Array.from(trainedBefore))
    }
    const of = new Trainer(findPreset('of-l2').config, dataset)
    expect(of.network.params.filter((p) => !of.trainable.includes(p)).map((p) => p.name)).toEqual(['affine7.W', 'affine7.b'])
  })

  it('adds the weight-decay penalty to the reported loss', () => {
    const base = { ...findPreset('vg-relu-he').config, iterations: 1 }
    const plain = new Trainer(base, dataset).step().loss
    const l2 = new Trainer(defineRunConfig({ ...base, regularization: { kind: 'l2', lambda: 0.1 } }), dataset)
    const weights = l2.network.params.filter((p) => p.isWeight)
    const sumSq = weights.reduce((acc, p) => acc + Array.from(p.value).reduce((a: number, v) => a + v * v, 0), 0)
    expect(l2.step().loss).toBeCloseTo(plain + 0.5 * 0.1 * sumSq, 10)
  })

  it('streams per-layer statistics: vanishing gradients for sigmoid + Gaussian, healthy ones for ReLU + He', () => {
    const statsOf = (id: string) => {
      const trainer = new Trainer({ ...findPreset(id).config, iterations: 50, evalInterval: 50 }, dataset)
      return runSteps(trainer, 50).evaluation!.layers
    }
    const sigmoid = statsOf('vg-sigmoid-gauss')
    const relu = statsOf('vg-relu-he')
    expect(sigmoid.map((l) => l.name)).toEqual(['affine1', 'affine2', 'affine3'])
    expect(sigmoid[0].activation!.counts).toHaveLength(HISTOGRAM_BINS)
    expect(sigmoid[2].activation).toBeNull()
    const total = sigmoid[0].activation!.counts.reduce((a, b) => a + b, 0) + sigmoid[0].activation!.below + sigmoid[0].activation!.above
    expect(total).toBe(100 * 40)
    // The first layer's gradient: orders of magnitude smaller with sigmoid and 0.01 weights.
    expect(relu[0].meanAbsGrad / sigmoid[0].meanAbsGrad).toBeGreaterThan(100)
  })

  it('measures train accuracy on the whole sliced training set for the overfitting presets', () => {
    const trainer = new Trainer({ ...findPreset('of-none').config, iterations: 10 }, dataset)
    expect(trainer.train.count).toBe(300)
    const acc = runSteps(trainer, 10).evaluation!.trainAcc
    expect(Number.isInteger(acc * 300)).toBe(true)
    expect(acc).toBeCloseTo(trainer.accuracy(trainer.train), 15)
  })
})
