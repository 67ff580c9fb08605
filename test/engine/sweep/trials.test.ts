import { describe, expect, it } from 'vitest'
import { withValueAt } from '../../../src/engine/sweep'
import { findPreset } from '../../../src/engine/presets'
import { expand, problemOf } from './expand'

describe('sweep trials', () => {
  it('a grid is every combination, the first field slowest, seeds innermost from the base seed', () => {
    const base = findPreset('opt-adam').config
    const trials = expand({ base: { preset: 'opt-adam' }, grid: { 'optimizer.lr': [0.1, 0.01], batchSize: [50, 100, 200] }, seeds: 2 })
    expect(trials).toHaveLength(12)
    expect(trials.map((t) => t.trial)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    expect(trials.slice(0, 4).map((t) => [t.settings, t.seed])).toEqual([
      [{ 'optimizer.lr': 0.1, batchSize: 50 }, base.seed],
      [{ 'optimizer.lr': 0.1, batchSize: 50 }, base.seed + 1],
      [{ 'optimizer.lr': 0.1, batchSize: 100 }, base.seed],
      [{ 'optimizer.lr': 0.1, batchSize: 100 }, base.seed + 1]
    ])
    // Each trial is the whole base run with its settings and seed replaced, and nothing else.
    const last = trials[11]
    expect(last.config).toEqual({ ...base, optimizer: { ...base.optimizer, lr: 0.01 }, batchSize: 200, seed: base.seed + 1 })
    expect(last.presetId).toBe('opt-adam')
  })

  it('takes a list of seeds as given, and fills the defaults of a group a setting switches (sgd → momentum)', () => {
    const trials = expand({ base: { preset: 'opt-sgd' }, grid: { 'optimizer.kind': ['momentum'] }, seeds: [7, 42] })
    expect(trials.map((t) => t.seed)).toEqual([7, 42])
    expect(trials[0].config.optimizer).toEqual({ kind: 'momentum', lr: findPreset('opt-sgd').config.optimizer.lr, momentum: 0.9 })
    expect(trials[0].presetId).toBe('opt-sgd')
  })

  it('switching a kind drops the fields only the old kind had (adam → sgd), but never a field the sweep names', () => {
    const [trial] = expand({ base: { preset: 'opt-adam' }, grid: { 'optimizer.kind': ['sgd'] } })
    expect(trial.config.optimizer).toEqual({ kind: 'sgd', lr: findPreset('opt-adam').config.optimizer.lr })
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: { 'optimizer.kind': ['sgd'], 'optimizer.beta1': [0.5] } })).toMatch(/optimizer.beta1: unknown field/)
  })

  it('sets list items and creates an optional group that the base lacks', () => {
    const [trial] = expand({ base: { preset: 'vg-relu-he' }, grid: { 'network.hidden.1': [64], 'augment.shift': [2] } })
    expect(trial.config.network).toMatchObject({ kind: 'mlp', hidden: [40, 64] })
    expect(trial.config.augment).toMatchObject({ shift: 2 })
    expect(findPreset('vg-relu-he').config.augment).toBeUndefined()
  })

  it('names the field, the value and what is wrong with it before anything runs', () => {
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: { 'optimizer.lr': [0.1, -1] } })).toBe(
      'grid "optimizer.lr"[1] = -1: optimizer.lr: must be greater than 0'
    )
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: { 'optimizer.lrr': [0.1] } })).toMatch(
      /^grid "optimizer.lrr"\[0\] = 0.1: optimizer.lrr: unknown field/
    )
    expect(problemOf({ base: { preset: 'opt-sgd' }, grid: { 'optimizer.momentum': [0.5] } })).toMatch(
      /^grid "optimizer.momentum"\[0\] = 0.5: optimizer.momentum: unknown field/
    )
    expect(problemOf({ base: { preset: 'vg-relu-he' }, grid: { 'network.hidden.2': [10] } })).toBe(
      'grid "network.hidden.2"[0] = 10: network.hidden.2: unknown field (network.hidden has 2 items)'
    )
    expect(problemOf({ base: { preset: 'vg-relu-he' }, grid: { 'batchSize.x': [10] } })).toBe(
      'grid "batchSize.x"[0] = 10: batchSize.x: unknown field: batchSize is a value, not a group of fields'
    )
    expect(problemOf({ base: { preset: 'opt-adam' }, random: { trials: 2, space: { batchSize: { range: [10, 20] } } } })).toMatch(
      /^random trial 1 \{"batchSize":1\d\.\d+\}: batchSize: batch size must be a whole number/
    )
    expect(problemOf({ base: { preset: 'opt-adam' }, random: { trials: 2, space: { 'optimizer.lr': { log: [1e-3, 1e4] } } } })).toBe(
      'random.space "optimizer.lr" high bound 10000: optimizer.lr: must be at most 1000'
    )
    expect(
      problemOf({
        base: { preset: 'opt-adam' },
        grid: { 'optimizer.lr': [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], batchSize: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
        seeds: 101
      })
    ).toBe('the sweep holds 10100 trials, more than 10000; vary fewer values')
  })

  it('random trials are the same for the same seed and differ for another; int bounds are both reached', () => {
    const spec = (seed: number) => ({
      base: { preset: 'opt-adam' },
      random: { trials: 200, seed, space: { 'optimizer.lr': { log: [1e-4, 1e-1] }, batchSize: { int: [20, 22] }, 'optimizer.beta1': { range: [0.8, 0.95] } } }
    })
    const a = expand(spec(5))
    expect(expand(spec(5)).map((t) => t.settings)).toEqual(a.map((t) => t.settings))
    expect(expand(spec(6)).map((t) => t.settings)).not.toEqual(a.map((t) => t.settings))
    expect(new Set(a.map((t) => t.settings.batchSize))).toEqual(new Set([20, 21, 22]))
    for (const t of a) {
      expect(t.config.optimizer.lr).toBe(t.settings['optimizer.lr'])
      const beta1 = t.settings['optimizer.beta1'] as number
      expect(beta1).toBeGreaterThanOrEqual(0.8)
      expect(beta1).toBeLessThan(0.95)
    }
  })

  it('a log scale is uniform in the exponent: each decade of [1e-4, 1e-1] gets about a third of the draws', () => {
    const trials = expand({ base: { preset: 'opt-adam' }, random: { trials: 3000, seed: 1, space: { 'optimizer.lr': { log: [1e-4, 1e-1] } } } })
    const decades = [0, 0, 0]
    for (const t of trials) {
      const lr = t.settings['optimizer.lr'] as number
      expect(lr).toBeGreaterThanOrEqual(1e-4)
      expect(lr).toBeLessThan(1e-1)
      decades[Math.floor(Math.log10(lr) + 4)]++
    }
    // 1,000 expected per decade; sd ≈ 26, so ±100 is about 4 sd. A uniform (not log) draw puts ~90 % in the last decade.
    for (const count of decades) expect(Math.abs(count - 1000)).toBeLessThan(100)
  })

  it('halving: the rungs must fall on every judged trial’s evaluations, and below its length', () => {
    const base = { preset: 'vg-relu-he' } // evalInterval 10, 2000 iterations
    expect(expand({ base, grid: {}, halving: { minIterations: 100, eta: 3 } })).toHaveLength(1)
    expect(problemOf({ base, grid: {}, halving: { minIterations: 15 } })).toBe(
      "halving.minIterations: 15 is not a multiple of trial 1's evaluation interval (evalInterval 10); the rungs must fall on evaluations"
    )
    expect(problemOf({ base, grid: {}, halving: { minIterations: 2000 } })).toMatch(/^halving.minIterations: 2000 is not below the trials' iterations \(2000\)/)
  })

  it('withValueAt copies: the target is never changed', () => {
    const target = { a: { b: [1, 2] } }
    const next = withValueAt(target, 'a.b.0', 9)
    expect(next).toEqual({ ok: true, value: { a: { b: [9, 2] } } })
    expect(target).toEqual({ a: { b: [1, 2] } })
  })
})
