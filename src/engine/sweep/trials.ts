import { portableExp, portableLog } from '../core/portable-math'
import { Random } from '../core/random'
import { parseRunFile } from '../config/run-file'
import type { RunConfig } from '../config/run-config'
import { withoutValueAt, withValueAt, type JsonValue } from './field-paths'
import { MAX_TRIALS, resolveBase, SweepProblem, type Distribution, type SweepSpec } from './sweep-file'

/** One run of a sweep: a base run with some settings replaced, and a seed. */
export interface Trial {
  /** 1, 2, 3, … in expansion order: settings in grid (or draw) order, seeds innermost. */
  trial: number
  /** The varied settings only, by field path, in the sweep file's order. */
  settings: Record<string, JsonValue>
  seed: number
  /** The whole run, checked: what a run record stores and `lab train --config` takes. */
  config: RunConfig
  presetId: string | null
}

/**
 * The sweep's trials, every one a valid run. A value that does not fit its field is reported by the
 * sweep file's name for it (`grid "optimizer.lr"[2] = -1: …`), before anything runs.
 */
export function expandTrials(spec: SweepSpec): Trial[] {
  const { config: base, presetId } = resolveBase(spec.base)
  const settingsList = spec.grid ? gridSettings(base, spec.grid) : randomSettings(base, spec.random!)
  const seeds = Array.isArray(spec.seeds) ? spec.seeds : Array.from({ length: spec.seeds }, (_, i) => base.seed + i)
  if (seeds.some((s) => s > 0xffffffff)) throw new SweepProblem(`seeds: ${spec.seeds} seeds from the base's seed ${base.seed} go past 32 bits; give a list`)
  const count = settingsList.length * seeds.length
  if (count > MAX_TRIALS) throw new SweepProblem(`the sweep holds ${count} trials, more than ${MAX_TRIALS}; vary fewer values`)
  const trials: Trial[] = []
  for (const { settings, where } of settingsList) {
    // A grid over "preset" swaps the whole base run (the scaling sweep: one trial per scale-* preset).
    const { preset, ...rest } = settings
    const from = typeof preset === 'string' ? resolveBase({ preset }) : { config: base, presetId }
    for (const seed of seeds) {
      const config = applySettings(from.config, { ...rest, seed }, where)
      trials.push({ trial: trials.length + 1, settings, seed, config, presetId: from.presetId })
    }
  }
  if (spec.halving) checkHalving(spec.halving.minIterations, trials)
  return trials
}

type Settings = { settings: Record<string, JsonValue>; where: string }

/** The grid key that names whole presets rather than a field: `"grid": {"preset": ["scale-base", …]}`. */
export const PRESET_KEY = 'preset'

/** A preset id of a "preset" grid, checked: a string naming a preset (lab presets lists them). */
function presetValue(value: JsonValue, where: string): void {
  if (typeof value !== 'string') throw new SweepProblem(`${where} = ${JSON.stringify(value)}: must be a preset id`)
  try {
    resolveBase({ preset: value })
  } catch (error) {
    throw new SweepProblem(`${where}: ${(error as Error).message.replace(/^base\.preset: /, '')}`)
  }
}

/** Every combination, the first field varying slowest; each value is first checked on its own. */
function gridSettings(base: RunConfig, grid: Record<string, JsonValue[]>): Settings[] {
  for (const [path, values] of Object.entries(grid)) {
    if (path === PRESET_KEY) {
      values.forEach((value, i) => presetValue(value, `grid "preset"[${i}]`))
      continue
    }
    values.forEach((value, i) => applySettings(base, { [path]: value }, `grid "${path}"[${i}] = ${JSON.stringify(value)}`))
  }
  let combos: Record<string, JsonValue>[] = [{}]
  for (const [path, values] of Object.entries(grid)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [path]: v })))
  return combos.map((settings) => ({ settings, where: `grid ${JSON.stringify(settings)}` }))
}

/**
 * N draws from the space, seeded by random.seed: the same file gives the same trials on every host.
 * Each field draws once per trial, in the file's order. The bounds are checked as values first.
 */
function randomSettings(base: RunConfig, random: NonNullable<SweepSpec['random']>): Settings[] {
  for (const [path, d] of Object.entries(random.space)) {
    const ends = 'choice' in d ? d.choice : Object.values(d)[0]
    ends.forEach((value, i) =>
      applySettings(
        base,
        { [path]: value },
        `random.space "${path}" ${'choice' in d ? `choice[${i}]` : i === 0 ? 'low bound' : 'high bound'} ${JSON.stringify(value)}`
      )
    )
  }
  const generator = new Random(random.seed)
  return Array.from({ length: random.trials }, (_, t) => {
    const settings: Record<string, JsonValue> = {}
    for (const [path, d] of Object.entries(random.space)) settings[path] = draw(d, generator)
    return { settings, where: `random trial ${t + 1} ${JSON.stringify(settings)}` }
  })
}

/** One value of a distribution; log: uniform in log space, so each decade is as likely as the next. */
export function draw(d: Distribution, random: Random): JsonValue {
  if ('log' in d) {
    const [low, high] = d.log.map(portableLog)
    return portableExp(low + random.uniform() * (high - low))
  }
  if ('range' in d) return d.range[0] + random.uniform() * (d.range[1] - d.range[0])
  if ('int' in d) return d.int[0] + random.int(d.int[1] - d.int[0] + 1)
  return structuredClone(d.choice[random.int(d.choice.length)])
}

/** The base with `settings` set, checked as a run file; a problem names `where` and the field. */
export function applySettings(base: RunConfig, settings: Record<string, JsonValue>, where: string): RunConfig {
  let run = base as unknown as JsonValue
  for (const [path, value] of Object.entries(settings)) {
    const next = withValueAt(run, path, value)
    if (!next.ok) throw new SweepProblem(`${where}: ${path}: ${next.problem}`)
    run = next.value
  }
  let checked = parseRunFile(JSON.stringify(run))
  // A setting that switches a kind (optimizer.kind adam → sgd) leaves the old kind's fields behind: drop
  // those the base had and the new kind does not know. An unknown field the sweep itself names stays an error.
  const leftovers = checked.ok ? [] : checked.problems.filter((p) => p.message === 'unknown field' && !namedBy(settings, p.field)).map((p) => p.field)
  if (leftovers.length > 0) {
    for (const field of leftovers) run = withoutValueAt(run, field)
    checked = parseRunFile(JSON.stringify(run))
  }
  if (checked.ok) return checked.config
  const problem = checked.problems[0]
  const hint = problem.message === 'unknown field' ? ' (the fields a run has: lab show --preset ID)' : ''
  throw new SweepProblem(`${where}: ${problem.field}: ${problem.message}${hint}`)
}

/** Rungs are judged on evaluations: each must be one of every trial that has it. */
function checkHalving(minIterations: number, trials: Trial[]): void {
  const judged = trials.filter((t) => minIterations < t.config.iterations)
  if (judged.length === 0) {
    throw new SweepProblem(
      `halving.minIterations: ${minIterations} is not below the trials' iterations (${trials[0].config.iterations}): there is no rung to judge them at`
    )
  }
  const off = judged.find((t) => minIterations % t.config.evalInterval !== 0)
  if (off) {
    throw new SweepProblem(
      `halving.minIterations: ${minIterations} is not a multiple of trial ${off.trial}'s evaluation interval (evalInterval ${off.config.evalInterval}); the rungs must fall on evaluations`
    )
  }
}

/** True when `field` is one of the settings' paths or lies inside one. */
function namedBy(settings: Record<string, JsonValue>, field: string): boolean {
  return Object.keys(settings).some((path) => field === path || field.startsWith(`${path}.`))
}
