/**
 * The test: a run saved at iteration k and resumed gives exactly the losses, accuracies and
 * weights of the same run never interrupted — for an MLP with batch norm and dropout (Adam) and for the
 * course's cnn-simple. The checkpoint goes through the real file bytes (encode → decode).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { defineRunConfig, type RunConfig } from '../../../src/engine/config/run-config'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { restoreTrainer, resumedConfig, saveTrainer } from '../../../src/engine/model-file/checkpoint'
import { decodeModelFile, networkTensors } from '../../../src/engine/model-file/model-file'
import { findPreset } from '../../../src/engine/presets'
import { Trainer, type StepResult } from '../../../src/engine/train/trainer'
import { colourDataset } from '../../fixtures/colour-dataset'

let dataset: ImageDataset
beforeAll(async () => {
  dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
})

const MLP_BN_DROPOUT = defineRunConfig({
  network: { kind: 'mlp', hidden: [40, 30], activation: 'relu', init: 'he', normalization: 'batchnorm', dropout: { ratio: 0.2, mode: 'inverted' } },
  optimizer: { kind: 'adam', lr: 0.001 },
  batchSize: 32,
  iterations: 60,
  evalInterval: 10,
  seed: 11,
  trainAccuracy: 'train-set',
  trainLimit: 500,
  testLimit: 300
})

function steps(trainer: Trainer, until: number): StepResult[] {
  const out: StepResult[] = []
  while (trainer.iterationsDone < until) out.push(trainer.step())
  return out
}

function weights(trainer: Trainer): Map<string, number[]> {
  return new Map(networkTensors(trainer.network).map((t) => [t.name, Array.from(t.value)]))
}

function checkResume(config: RunConfig, savedAt: number, data: ImageDataset = dataset): void {
  const unbroken = new Trainer(config, data)
  const expected = steps(unbroken, config.iterations)

  // The interrupted run: its own total was `savedAt`, as a run stopped there and saved would be.
  const first = new Trainer({ ...config, iterations: savedAt }, data)
  const before = steps(first, savedAt)
  const bytes = saveTrainer(first, { dataset: null, elapsedMs: 0, lastEvaluation: null, checkpoint: true })

  const file = decodeModelFile(bytes)
  const resumed = new Trainer(resumedConfig(file, { iterations: config.iterations }), data)
  restoreTrainer(resumed, file)
  expect(resumed.iterationsDone).toBe(savedAt)
  const after = steps(resumed, config.iterations)

  const lossesOf = (results: StepResult[]) => results.map((r) => r.loss)
  expect(lossesOf([...before, ...after])).toEqual(lossesOf(expected))
  const evaluations = (results: StepResult[]) =>
    results.filter((r) => r.evaluation && r.iter !== savedAt).map((r) => [r.iter, r.evaluation!.trainAcc, r.evaluation!.testAcc])
  expect(evaluations(after)).toEqual(evaluations(expected.slice(savedAt)))
  expect(weights(resumed)).toEqual(weights(unbroken))
}

describe('resume from a checkpoint, bit for bit', () => {
  it('a conv net on colour images with their own classes, augmented: the file records the images and names', () => {
    const colour = colourDataset()
    const config = {
      ...findPreset('cnn-simple').config,
      batchSize: 20,
      iterations: 24,
      evalInterval: 8,
      augment: { shift: 2, flip: true, rotate: 8, noise: 0.05 }
    }
    checkResume(config, 10, colour)
    const trainer = new Trainer({ ...config, iterations: 2 }, colour)
    steps(trainer, 2)
    const summary = decodeModelFile(saveTrainer(trainer, { dataset: null, elapsedMs: 0, lastEvaluation: null, checkpoint: false })).summary
    expect(summary.imageShape).toEqual([3, 20, 18])
    expect(summary.classes).toEqual(colour.classes)
    expect(summary.inputShape).toEqual([3, 20, 18])
    expect(summary.config.augment).toEqual(config.augment)
  })

  it('an MLP with batch norm and dropout (Adam)', () => {
    checkResume(MLP_BN_DROPOUT, 23)
  })

  it('momentum and the course AdaGrad keep their buffers and counters too', () => {
    checkResume({ ...MLP_BN_DROPOUT, optimizer: { kind: 'adagrad', lr: 0.05, variant: 'course', initialH: 1e-4 } }, 1)
    checkResume({ ...MLP_BN_DROPOUT, optimizer: { kind: 'momentum', lr: 0.05, momentum: 0.9 } }, 30)
  })

  it('cnn-simple', () => {
    const preset = findPreset('cnn-simple').config
    checkResume({ ...preset, iterations: 12, evalInterval: 4, batchSize: 20, trainLimit: 200, testLimit: 100, evalSubset: undefined }, 5)
  })

  it('refuses a total that does not go past the checkpoint, and a model without training state', () => {
    const trainer = new Trainer({ ...MLP_BN_DROPOUT, iterations: 5 }, dataset)
    steps(trainer, 5)
    const checkpoint = decodeModelFile(saveTrainer(trainer, { dataset: null, elapsedMs: 0, lastEvaluation: null, checkpoint: true }))
    expect(() => resumedConfig(checkpoint, { iterations: 5 })).toThrow(/at iteration 5; the run's total must be larger/)
    const model = decodeModelFile(saveTrainer(trainer, { dataset: null, elapsedMs: 0, lastEvaluation: null, checkpoint: false }))
    expect(model.summary.kind).toBe('model')
    expect(() => resumedConfig(model, { iterations: 10 })).toThrow(/without training state/)
  })
})
