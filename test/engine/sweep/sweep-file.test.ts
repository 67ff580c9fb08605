import { describe, expect, it } from 'vitest'
import { checkSweepSpec, parseSweepText, SweepProblem } from '../../../src/engine/sweep'
import { findPreset } from '../../../src/engine/presets'

/** The one line a bad sweep file gives (the CLI prints it, exit 2). */
function problemOf(input: unknown): string {
  try {
    checkSweepSpec(input)
  } catch (error) {
    expect(error).toBeInstanceOf(SweepProblem)
    return (error as Error).message
  }
  throw new Error('expected a problem')
}

describe('sweep files', () => {
  it('reads a preset base with a grid, seeds and halving (eta defaults to 3)', () => {
    const spec = parseSweepText(
      JSON.stringify({ base: { preset: 'opt-adam' }, grid: { 'optimizer.lr': [0.1, 0.01] }, seeds: 2, halving: { minIterations: 100 } })
    )
    expect(spec).toEqual({ base: { preset: 'opt-adam' }, grid: { 'optimizer.lr': [0.1, 0.01] }, seeds: 2, halving: { minIterations: 100, eta: 3 } })
  })

  it('reads a whole run file as the base, and a random search with its draws seeded (seed 0 by default)', () => {
    const base = findPreset('cnn-simple').config
    const spec = checkSweepSpec({
      base,
      random: { trials: 5, space: { 'optimizer.lr': { log: [1e-4, 1e-1] }, batchSize: { int: [20, 200] }, 'network.init': { choice: ['he', 'xavier'] } } }
    })
    expect(spec.random).toEqual({
      trials: 5,
      seed: 0,
      space: { 'optimizer.lr': { log: [1e-4, 1e-1] }, batchSize: { int: [20, 200] }, 'network.init': { choice: ['he', 'xavier'] } }
    })
    expect(spec.seeds).toBe(1)
  })

  it('names each problem: the field, and what was wrong', () => {
    expect(() => parseSweepText('{"base": ')).toThrow(/^not JSON/)
    expect(problemOf({ grid: { 'optimizer.lr': [1] } })).toMatch(/^base: required/)
    expect(problemOf({ base: { preset: 'nope' }, grid: {} })).toMatch(/^base.preset: unknown preset "nope"/)
    expect(problemOf({ base: { preset: 'opt-adam', seed: 3 }, grid: {} })).toBe('base.seed: unknown field (known: preset)')
    expect(problemOf({ base: { ...findPreset('opt-adam').config, batchSize: 0 }, grid: {} })).toBe('base: batchSize: batch size must be at least 1')
    expect(problemOf({ base: { preset: 'opt-adam' } })).toMatch(/give "grid" .* or "random"/)
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: {}, random: { trials: 1, space: { x: { range: [0, 1] } } } })).toMatch(/one of the two/)
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: {}, sede: 1 })).toBe('sede: unknown field (known: base, grid, random, seeds, halving)')
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: { 'optimizer.lr': 0.1 } })).toBe('grid "optimizer.lr": must be a list of one or more values')
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: { 'optimizer..lr': [1] } })).toMatch(/^grid "optimizer..lr": not a field path/)
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: { seed: [1, 2] } })).toMatch(/^grid "seed": vary seeds with "seeds"/)
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: { optimizer: [{ kind: 'sgd', lr: 1 }], 'optimizer.lr': [1] } })).toBe(
      'grid "optimizer": overlaps "optimizer.lr"; vary one or the other'
    )
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: {}, seeds: 0 })).toBe('seeds: must be a whole number from 1 to 1000, got 0')
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: {}, seeds: [1, 1] })).toBe('seeds: the list repeats a seed')
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: {}, halving: { minIterations: 10, eta: 1 } })).toBe(
      'halving.eta: must be a whole number from 2 to 100, got 1'
    )
    expect(problemOf({ base: { preset: 'opt-adam' }, grid: {}, halving: { eta: 3 } })).toBe(
      'halving.minIterations: must be a whole number from 1 to 10000000 (missing)'
    )
  })

  it('checks each random distribution: one kind, ordered bounds, positive for a log scale, whole numbers for int', () => {
    const space = (d: unknown) => problemOf({ base: { preset: 'opt-adam' }, random: { trials: 3, space: { 'optimizer.lr': d } } })
    expect(space({ log: [0, 1] })).toBe('random.space "optimizer.lr": a log scale needs bounds greater than 0, got 0')
    expect(space({ range: [1, 0.5] })).toBe('random.space "optimizer.lr": the low bound 1 must be below the high bound 0.5')
    expect(space({ int: [1.5, 3] })).toBe('random.space "optimizer.lr": "int" bounds must be whole numbers')
    expect(space({ log: [1e-3] })).toBe('random.space "optimizer.lr": "log" must be two numbers [low, high]')
    expect(space({ uniform: [0, 1] })).toMatch(/^random.space "optimizer.lr": must be one of/)
    expect(space({ choice: [] })).toBe('random.space "optimizer.lr": "choice" must be a list of one or more values')
    expect(problemOf({ base: { preset: 'opt-adam' }, random: { trials: 0, space: { 'optimizer.lr': { log: [1e-3, 1] } } } })).toMatch(
      /^random.trials: must be a whole number from 1/
    )
    expect(problemOf({ base: { preset: 'opt-adam' }, random: { trials: 2, space: {} } })).toBe('random.space: name at least one field to draw')
  })
})
