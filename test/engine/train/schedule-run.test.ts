/**
 * Schedules, the validation split and early stopping in real runs on the bundled MNIST: absent or neutral
 * settings change nothing, a split is trained around, early stopping ends a run at its evaluation, and a
 * checkpoint taken part-way continues all three bit for bit.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { defineRunConfig, type RunConfig, type RunConfigInput } from '../../../src/engine/config/run-config'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { restoreTrainer, resumedConfig, saveTrainer } from '../../../src/engine/model-file/checkpoint'
import { decodeModelFile, networkTensors } from '../../../src/engine/model-file/model-file'
import { Trainer, type StepResult } from '../../../src/engine/train/trainer'

let dataset: ImageDataset
beforeAll(async () => {
  dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
})

const BASE: RunConfigInput = {
  network: { kind: 'mlp', hidden: [30], activation: 'relu', init: 'he', dropout: { ratio: 0.1, mode: 'inverted' } },
  optimizer: { kind: 'momentum', lr: 0.05 },
  batchSize: 20,
  iterations: 60,
  evalInterval: 10,
  seed: 5,
  trainAccuracy: 'train-set',
  trainLimit: 400,
  testLimit: 200
}
const config = (extra: Partial<RunConfigInput> = {}): RunConfig => defineRunConfig({ ...BASE, ...extra })

function run(trainer: Trainer, until = trainer.config.iterations): StepResult[] {
  const out: StepResult[] = []
  while (!trainer.finished && trainer.iterationsDone < until) out.push(trainer.step())
  return out
}
const summary = (results: StepResult[]) =>
  results.map((r) => ({ loss: r.loss, ...(r.evaluation ? { train: r.evaluation.trainAcc, test: r.evaluation.testAcc, val: r.evaluation.valAcc } : {}) }))
const weights = (trainer: Trainer) => networkTensors(trainer.network).map((t) => Array.from(t.value))

describe('learning-rate schedules in a run', () => {
  it('a constant schedule, and a step schedule with gamma 1, give the run without one bit for bit', () => {
    const plain = run(new Trainer(config(), dataset))
    expect(summary(run(new Trainer(config({ lrSchedule: { kind: 'constant' } }), dataset)))).toEqual(summary(plain))
    expect(summary(run(new Trainer(config({ lrSchedule: { kind: 'step', every: 7, gamma: 1 } }), dataset)))).toEqual(summary(plain))
  })

  it('a step schedule changes the run only from its first step down', () => {
    const plain = summary(run(new Trainer(config(), dataset)))
    const stepped = summary(run(new Trainer(config({ lrSchedule: { kind: 'step', every: 25, gamma: 0.1 } }), dataset)))
    // Iteration 26's loss is measured before its update, with the weights of 25 full-rate steps.
    expect(stepped.slice(0, 26)).toEqual(plain.slice(0, 26))
    expect(stepped[26].loss).not.toBe(plain[26].loss)
  })
})

describe('the validation split in a run', () => {
  it('sets images aside, trains on the rest and reports valAcc at each evaluation', () => {
    const trainer = new Trainer(config({ validation: { fraction: 0.25 } }), dataset)
    expect(trainer.validation?.count).toBe(100)
    expect(trainer.train.count).toBe(300)
    const evaluations = run(trainer).flatMap((r) => (r.evaluation ? [r.evaluation] : []))
    expect(evaluations).toHaveLength(6)
    for (const e of evaluations) expect(e.valAcc).toBeGreaterThan(0)
    // Accuracy on 100 images is a multiple of 1/100.
    for (const e of evaluations) expect(Math.abs(e.valAcc! * 100 - Math.round(e.valAcc! * 100))).toBeLessThan(1e-9)
  })

  it('too large a split is refused, naming the field', () => {
    expect(() => new Trainer(config({ validation: { count: 400 } }), dataset)).toThrow(/validation: 400 images would leave none/)
  })
})

describe('early stopping in a run', () => {
  it('ends the run at the evaluation where patience ran out, with the reason and the best iteration', () => {
    // minDelta 0.99: nothing after the first evaluation counts as an improvement, so patience 2 stops at iteration 30.
    const trainer = new Trainer(config({ validation: { count: 50 }, earlyStopping: { patience: 2, minDelta: 0.99 } }), dataset)
    const results = run(trainer)
    expect(results).toHaveLength(30)
    expect(trainer.finished).toBe(true)
    expect(trainer.bestValidation?.iter).toBe(10)
    expect(trainer.stoppedEarly).toMatch(
      /^early stopping: validation accuracy did not improve by more than 0.99 for 2 evaluations; best 0\.\d{4} at iteration 10$/
    )
  })

  it('a run that keeps improving goes to its end', () => {
    const trainer = new Trainer(config({ validation: { count: 50 }, earlyStopping: { patience: 6 } }), dataset)
    expect(run(trainer)).toHaveLength(60)
    expect(trainer.stoppedEarly).toBeNull()
  })
})

describe('a checkpoint continues schedule, split and early stopping bit for bit', () => {
  it('resumed at 25 equals the unbroken run', () => {
    const settings = config({
      iterations: 80,
      lrSchedule: { kind: 'cosine', minLr: 0.001, warmup: { iterations: 15 } },
      validation: { fraction: 0.1 },
      earlyStopping: { patience: 3, minDelta: 0.02 },
      evalSubset: 30
    })
    const unbroken = new Trainer(settings, dataset)
    const expected = run(unbroken)

    const first = new Trainer(settings, dataset)
    const before = run(first, 25)
    const file = decodeModelFile(saveTrainer(first, { dataset: null, elapsedMs: 0, lastEvaluation: null, checkpoint: true }))
    const resumed = new Trainer(resumedConfig(file), dataset)
    restoreTrainer(resumed, file)
    const after = run(resumed)

    expect(summary([...before, ...after])).toEqual(summary(expected))
    expect(weights(resumed)).toEqual(weights(unbroken))
    expect(resumed.stoppedEarly).toBe(unbroken.stoppedEarly)
    expect(resumed.bestValidation).toEqual(unbroken.bestValidation)
    // It stops early after the checkpoint (at 60 of 80), so the saved state of early stopping mattered.
    expect(expected).toHaveLength(60)
    expect(unbroken.bestValidation!.iter).toBeGreaterThan(10)
  })
})
