import { describe, expect, it } from 'vitest'
import { defineRunConfig, checkRunConfig } from '../../../src/engine/config/run-config'
import { atInputSize } from '../../../src/engine/data/input-size'
import { Trainer } from '../../../src/engine/train/trainer'
import { colourDataset } from '../../fixtures/colour-dataset'

const layers = [
  { kind: 'conv2d' as const, filters: 4, size: 3, stride: 1, pad: 1 },
  { kind: 'relu' as const },
  { kind: 'maxpool' as const, size: 2, stride: 2, pad: 0 },
  { kind: 'affine' as const, units: 4 }
]
const config = (inputSize?: number) =>
  defineRunConfig({
    network: { kind: 'layers', layers, init: 'he' },
    optimizer: { kind: 'sgd', lr: 0.05 },
    batchSize: 16,
    iterations: 6,
    evalInterval: 3,
    seed: 2,
    trainAccuracy: 'train-set',
    ...(inputSize === undefined ? {} : { inputSize })
  })

describe('inputSize: the resolution axis of model scaling', () => {
  it('resizes every image of a split by area averaging, keeping channels and labels; absent = the split itself', () => {
    const { train } = colourDataset({ train: 8, test: 4 })
    expect(atInputSize(train, undefined)).toBe(train)
    const small = atInputSize(train, 10)
    expect([small.count, small.channels, small.rows, small.cols]).toEqual([8, 3, 10, 10])
    expect(small.labels).toBe(train.labels)
    expect(small.images.length).toBe(8 * 3 * 10 * 10)
    // An even 2× reduction of a flat image stays flat: area averaging keeps the mean.
    const flat = { ...train, count: 1, rows: 4, cols: 4, channels: 1, images: new Uint8Array(16).fill(200), labels: new Uint8Array(1) }
    expect([...atInputSize(flat, 2).images]).toEqual([200, 200, 200, 200])
    expect(atInputSize(train, 10).images).toEqual(small.images)
  })

  it('a run builds its network for the resized images and trains on them, reproducibly', () => {
    const data = colourDataset({ train: 64, test: 32 })
    const trainer = new Trainer(config(12), data)
    expect(trainer.inputShape).toEqual([3, 12, 12])
    expect(trainer.train.rows).toBe(12)
    expect(trainer.test.cols).toBe(12)
    const losses = (t: Trainer) => Array.from({ length: 6 }, () => t.step().loss)
    expect(losses(new Trainer(config(12), data))).toEqual(losses(trainer))
    expect(new Trainer(config(), data).inputShape).toEqual([3, 20, 18])
  })

  it('an input size outside 8–128 pixels is refused naming the field', () => {
    for (const bad of [4, 129, 12.5]) {
      const checked = checkRunConfig({ ...config(), inputSize: bad })
      expect(checked.ok).toBe(false)
      if (!checked.ok) expect(checked.problems.map((p) => p.field)).toContain('inputSize')
    }
  })
})
