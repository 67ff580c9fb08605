import { findPreset } from '../presets'
import { parseRunFile } from '../config/run-file'
import type { RunConfig } from '../config/run-config'
import { splitPath, type JsonValue } from './field-paths'

/*
 * SWEEP.json: a base run and the settings to vary.
 *
 *   {
 *     "base": {"preset": "opt-adam"}            or a whole run file (what `lab show --preset ID` prints),
 *     "grid": {"optimizer.lr": [0.1, 0.01], "batchSize": [50, 100]},               every combination, or
 *     "grid": {"preset": ["scale-base", "scale-depth-1"]},   whole presets in place of the base (trials.ts), or
 *     "random": {"trials": 20, "seed": 0, "space": {
 *        "optimizer.lr": {"log": [1e-4, 1e-1]},   log-uniform (bounds > 0)
 *        "optimizer.momentum": {"range": [0.5, 0.99]},   uniform
 *        "batchSize": {"int": [20, 200]},         a whole number, both bounds included
 *        "network.activation": {"choice": ["relu", "tanh"]}}},
 *     "seeds": 3,                                 the base's seed, +1, +2 (or a list: [1, 7, 42])
 *     "halving": {"minIterations": 100, "eta": 3} asynchronous successive halving (asha.ts); optional
 *   }
 *
 * Field paths are a run file's (run-config.ts): `optimizer.lr`, `network.hidden.0`, `network.layers.2.filters`.
 * Exactly one of "grid" and "random". Everything is read strictly: an unknown key is a problem, named.
 */

/** How a random trial draws one setting. */
export type Distribution = { log: [number, number] } | { range: [number, number] } | { int: [number, number] } | { choice: JsonValue[] }

export interface HalvingSpec {
  /** The first rung: trials are judged first after this many iterations. */
  minIterations: number
  /** Rungs at minIterations · eta^k; at each, the best 1/eta go on. */
  eta: number
}

/** A sweep as written, checked (defaults filled in): what a sweep's state file keeps to recognise it. */
export interface SweepSpec {
  base: { preset: string } | RunConfig
  grid?: Record<string, JsonValue[]>
  random?: { trials: number; seed: number; space: Record<string, Distribution> }
  seeds: number | number[]
  halving?: HalvingSpec
}

/** Most trials one sweep may hold: a typo such as 10 values in each of 6 fields should not start a million runs. */
export const MAX_TRIALS = 10_000

const TOP_KEYS = ['base', 'grid', 'random', 'seeds', 'halving']

/** A problem in a sweep file, one line naming the field (`halving.eta: …`, `grid "optimizer.lr" …`). */
export class SweepProblem extends Error {}

/** The base run: a preset's settings or a run file's, checked as a run file is. */
export function resolveBase(base: SweepSpec['base']): { config: RunConfig; presetId: string | null } {
  if ('preset' in base) {
    try {
      return { config: findPreset(base.preset).config, presetId: base.preset }
    } catch (error) {
      throw new SweepProblem(`base.preset: ${(error as Error).message}`)
    }
  }
  const checked = parseRunFile(JSON.stringify(base))
  if (!checked.ok) throw new SweepProblem(`base: ${checked.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`)
  return { config: checked.config, presetId: null }
}

/** Reads SWEEP.json's text; throws a SweepProblem naming the first problem. */
export function parseSweepText(text: string): SweepSpec {
  let input: unknown
  try {
    input = JSON.parse(text)
  } catch (error) {
    throw new SweepProblem(`not JSON: ${(error as Error).message}`)
  }
  return checkSweepSpec(input)
}

/** Checks the shape of a sweep (what each key holds); the values' fit to the run is trials.ts's check. */
export function checkSweepSpec(input: unknown): SweepSpec {
  const top = object(input, '(sweep)')
  unknownKeys(top, TOP_KEYS, '')
  if (top.base === undefined) throw new SweepProblem('base: required: {"preset": ID} or a run file')
  const baseObject = object(top.base, 'base')
  let base: SweepSpec['base']
  if ('preset' in baseObject) {
    unknownKeys(baseObject, ['preset'], 'base.')
    if (typeof baseObject.preset !== 'string') throw new SweepProblem('base.preset: must be a preset id (lab presets lists them)')
    base = { preset: baseObject.preset }
  } else {
    base = baseObject as unknown as RunConfig
  }
  resolveBase(base)

  if ((top.grid === undefined) === (top.random === undefined))
    throw new SweepProblem('give "grid" (values to combine) or "random" (trials drawn from ranges), one of the two')
  const spec: SweepSpec = { base, seeds: seeds(top.seeds) }
  if (top.grid !== undefined) spec.grid = grid(top.grid)
  if (top.random !== undefined) spec.random = random(top.random)
  if (top.halving !== undefined) spec.halving = halving(top.halving)
  return spec
}

function grid(input: unknown): Record<string, JsonValue[]> {
  const fields = object(input, 'grid')
  checkPaths(Object.keys(fields), 'grid')
  for (const [path, values] of Object.entries(fields)) {
    if (!Array.isArray(values) || values.length === 0) throw new SweepProblem(`grid "${path}": must be a list of one or more values`)
  }
  return fields as Record<string, JsonValue[]>
}

function random(input: unknown): NonNullable<SweepSpec['random']> {
  const r = object(input, 'random')
  unknownKeys(r, ['trials', 'seed', 'space'], 'random.')
  const trials = wholeNumber(r.trials, 'random.trials', 1, MAX_TRIALS)
  const seed = r.seed === undefined ? 0 : wholeNumber(r.seed, 'random.seed', 0, 0xffffffff)
  const space = object(r.space, 'random.space')
  if (Object.keys(space).length === 0) throw new SweepProblem('random.space: name at least one field to draw')
  checkPaths(Object.keys(space), 'random.space')
  const checked: Record<string, Distribution> = {}
  for (const [path, entry] of Object.entries(space)) checked[path] = distribution(entry, `random.space "${path}"`)
  return { trials, seed, space: checked }
}

function distribution(input: unknown, where: string): Distribution {
  const d = object(input, where)
  const kinds = Object.keys(d)
  if (kinds.length !== 1 || !['log', 'range', 'int', 'choice'].includes(kinds[0])) {
    throw new SweepProblem(`${where}: must be one of {"log": [a, b]}, {"range": [a, b]}, {"int": [a, b]}, {"choice": [values]}`)
  }
  const kind = kinds[0]
  if (kind === 'choice') {
    if (!Array.isArray(d.choice) || d.choice.length === 0) throw new SweepProblem(`${where}: "choice" must be a list of one or more values`)
    return { choice: d.choice as JsonValue[] }
  }
  const bounds = d[kind]
  if (!Array.isArray(bounds) || bounds.length !== 2 || !bounds.every((b) => typeof b === 'number' && Number.isFinite(b))) {
    throw new SweepProblem(`${where}: "${kind}" must be two numbers [low, high]`)
  }
  const [low, high] = bounds as [number, number]
  if (!(low < high)) throw new SweepProblem(`${where}: the low bound ${low} must be below the high bound ${high}`)
  if (kind === 'log' && low <= 0) throw new SweepProblem(`${where}: a log scale needs bounds greater than 0, got ${low}`)
  if (kind === 'int' && !(Number.isInteger(low) && Number.isInteger(high))) throw new SweepProblem(`${where}: "int" bounds must be whole numbers`)
  return { [kind]: [low, high] } as Distribution
}

function seeds(input: unknown): number | number[] {
  if (input === undefined) return 1
  if (Array.isArray(input)) {
    if (input.length === 0) throw new SweepProblem('seeds: a list of seeds must not be empty')
    input.forEach((s, i) => wholeNumber(s, `seeds[${i}]`, 0, 0xffffffff))
    if (new Set(input).size !== input.length) throw new SweepProblem('seeds: the list repeats a seed')
    return input as number[]
  }
  return wholeNumber(input, 'seeds', 1, 1000)
}

function halving(input: unknown): HalvingSpec {
  const h = object(input, 'halving')
  unknownKeys(h, ['minIterations', 'eta'], 'halving.')
  return {
    minIterations: wholeNumber(h.minIterations, 'halving.minIterations', 1, 10_000_000),
    eta: h.eta === undefined ? 3 : wholeNumber(h.eta, 'halving.eta', 2, 100)
  }
}

/** Paths must be well formed, must not overlap (`optimizer` and `optimizer.lr`), and the seed has its own key. */
function checkPaths(paths: string[], where: string): void {
  for (const path of paths) {
    if (!splitPath(path)) throw new SweepProblem(`${where} "${path}": not a field path (segments joined by dots, e.g. optimizer.lr)`)
    if (path === 'seed') throw new SweepProblem(`${where} "seed": vary seeds with "seeds" (a count or a list)`)
    const inside = paths.find((other) => other !== path && other.startsWith(`${path}.`))
    if (inside) throw new SweepProblem(`${where} "${path}": overlaps "${inside}"; vary one or the other`)
  }
}

function object(input: unknown, where: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new SweepProblem(`${where}: must be an object`)
  return input as Record<string, unknown>
}

function unknownKeys(input: Record<string, unknown>, known: string[], prefix: string): void {
  const extra = Object.keys(input).find((key) => !known.includes(key))
  if (extra !== undefined) throw new SweepProblem(`${prefix}${extra}: unknown field (known: ${known.join(', ')})`)
}

function wholeNumber(input: unknown, where: string, min: number, max: number): number {
  if (typeof input !== 'number' || !Number.isInteger(input) || input < min || input > max) {
    throw new SweepProblem(`${where}: must be a whole number from ${min} to ${max}${input === undefined ? ' (missing)' : `, got ${JSON.stringify(input)}`}`)
  }
  return input
}
