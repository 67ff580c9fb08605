import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../src/cli/engine-connection'
import { checkRunConfig } from '../../src/engine/config/run-config'
import type { ImageDataset } from '../../src/engine/data/image-set'
import { decodeMnist } from '../../src/engine/data/mnist'
import { readIdxDirectory } from '../../src/engine/hosts/node/read-idx-dir'
import { PRESETS, findPreset } from '../../src/engine/presets'
import { PresetSummarySchema } from '../../src/engine/protocol/messages'
import { Trainer } from '../../src/engine/train/trainer'

let dataset: ImageDataset
beforeAll(async () => {
  dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
})

describe('the augmentation pair (aug-none, aug-shift-rotate)', () => {
  it('sits in the overfitting lesson, after its of-* presets, with valid settings the protocol carries', () => {
    const ids = PRESETS.map((p) => p.id)
    const lastOverfitting = Math.max(...ids.map((id, i) => (id.startsWith('of-') ? i : -1)))
    expect(ids.indexOf('aug-none')).toBe(lastOverfitting + 1)
    expect(ids.indexOf('aug-shift-rotate')).toBe(lastOverfitting + 2)
    for (const id of ['aug-none', 'aug-shift-rotate']) {
      const preset = findPreset(id)
      expect(preset.lesson).toBe('overfitting')
      expect(checkRunConfig(preset.config).ok, id).toBe(true)
      expect(PresetSummarySchema.safeParse(preset).success, id).toBe(true)
      expect(preset.config.trainLimit).toBe(300)
    }
  })

  it('differ only in the augmentation: shifts and rotations, no flip; aug-none has none and is of-none', () => {
    const none = findPreset('aug-none').config
    const augmented = findPreset('aug-shift-rotate').config
    expect('augment' in none).toBe(false)
    expect(augmented.augment).toEqual({ shift: 2, rotate: 10 })
    const { augment: _augment, ...rest } = augmented
    expect(rest).toEqual(none)
    expect(none).toEqual(findPreset('of-none').config)
  })

  it('quote the same measured test accuracies in English and Japanese', () => {
    const texts = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../src/renderer/src/locales/presets.ja.json'), 'utf8')).texts as Record<
      string,
      string
    >
    for (const id of ['aug-none', 'aug-shift-rotate']) {
      const { description } = findPreset(id)
      for (const figure of ['0.810 ± 0.006', '0.855 ± 0.007', '0.753 ± 0.010']) {
        expect(description, id).toContain(figure)
        expect(texts[description], id).toContain(figure)
      }
    }
  })

  it('augment every training batch, seeded: the same seed gives the same run, and it differs from aug-none', () => {
    const short = (id: string) => ({ ...findPreset(id).config, iterations: 20, evalInterval: 20 })
    const run = (id: string) => {
      const trainer = new Trainer(short(id), dataset)
      const losses: number[] = []
      while (!trainer.finished) losses.push(trainer.step().loss)
      return losses
    }
    const augmented = run('aug-shift-rotate')
    expect(run('aug-shift-rotate')).toEqual(augmented)
    const plain = run('aug-none')
    // The first batch is drawn before any augmentation draw, so it is the same images, changed.
    expect(augmented[0]).not.toBe(plain[0])
    expect(augmented).not.toEqual(plain)
  })
})
