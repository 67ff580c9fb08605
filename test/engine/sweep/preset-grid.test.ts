import { describe, expect, it } from 'vitest'
import { findPreset, PRESETS } from '../../../src/engine/presets'
import { expand, problemOf } from './expand'

describe('a grid over whole presets', () => {
  it('runs each preset as it is (its own settings and seed base), the other grid fields set on each', () => {
    const trials = expand({ base: { preset: 'opt-adam' }, grid: { preset: ['opt-sgd', 'cnn-simple'], iterations: [30] }, seeds: 2 })
    expect(trials.map((t) => [t.trial, t.presetId, t.seed, t.config.iterations])).toEqual([
      [1, 'opt-sgd', 1, 30],
      [2, 'opt-sgd', 2, 30],
      [3, 'cnn-simple', 1, 30],
      [4, 'cnn-simple', 2, 30]
    ])
    const cnn = findPreset('cnn-simple').config
    expect(trials[2].config).toEqual({ ...cnn, iterations: 30, seed: 1 })
    expect(trials[2].settings).toEqual({ preset: 'cnn-simple', iterations: 30 })
  })

  it('the ready-made scaling sweep: the 13 scale-* presets, one trial each', () => {
    const ids = PRESETS.filter((p) => p.id.startsWith('scale-')).map((p) => p.id)
    expect(ids).toHaveLength(13)
    const trials = expand({ base: { preset: 'scale-base' }, grid: { preset: ids }, seeds: 1 })
    expect(trials.map((t) => t.presetId)).toEqual(ids)
    for (const t of trials) expect(t.config).toEqual(findPreset(t.presetId!).config)
  })

  it('names an unknown preset or a value that is not an id, by its place in the grid', () => {
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: { preset: ['opt-sgd', 'no-such'] } })).toMatch(/^grid "preset"\[1\]: .*no-such/)
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: { preset: [3] } })).toBe('grid "preset"[0] = 3: must be a preset id')
  })
})
