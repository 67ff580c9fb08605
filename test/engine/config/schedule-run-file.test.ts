import { describe, expect, it } from 'vitest'
import { parseRunFile } from '../../../src/engine/config/run-file'
import { findPreset } from '../../../src/engine/presets'

const base = findPreset('vg-relu-he').config
const file = (extra: Record<string, unknown>) => JSON.stringify({ ...base, ...extra })

describe('schedule settings in run files', () => {
  it('are read with their defaults', () => {
    const checked = parseRunFile(
      file({ lrSchedule: { kind: 'cosine', warmup: { iterations: 50 } }, validation: { count: 500 }, earlyStopping: { patience: 4 } })
    )
    expect(checked.ok && checked.config).toMatchObject({
      lrSchedule: { kind: 'cosine', minLr: 0, warmup: { iterations: 50 } },
      validation: { count: 500 },
      earlyStopping: { patience: 4, minDelta: 0 }
    })
  })

  it('name a typo or a bad value by its path', () => {
    const checked = parseRunFile(
      file({ lrSchedule: { kind: 'step', every: 10, gama: 0.5 }, validation: { fraction: 0.1, count: 5 }, earlyStopping: { patience: 2.5 } })
    )
    expect(checked.ok).toBe(false)
    if (checked.ok) return
    expect(checked.problems).toEqual(
      expect.arrayContaining([
        { field: 'lrSchedule.gamma', message: 'gamma must be a number' },
        { field: 'lrSchedule.gama', message: 'unknown field' },
        { field: 'validation', message: 'give either a fraction or a count of training images' },
        { field: 'earlyStopping.patience', message: 'patience must be a whole number' }
      ])
    )
  })

  it('refuse early stopping without a validation split', () => {
    const checked = parseRunFile(file({ earlyStopping: { patience: 3 } }))
    expect(checked).toEqual({
      ok: false,
      problems: [{ field: 'earlyStopping', message: 'needs a validation split to watch (validation.fraction or validation.count)' }]
    })
  })
})
