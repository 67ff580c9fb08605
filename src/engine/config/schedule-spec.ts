import type { EarlyStoppingInput, LrScheduleInput, ValidationInput } from './schedule'

/*
 * The command line's short forms of the schedule settings (lab train, lab grid), parsed into the run
 * file's objects; the schema then checks the values (config/schedule.ts). A malformed spec is refused
 * here in one line that quotes it.
 *
 *   --lr-schedule  constant | step:every=1000,gamma=0.5 | cosine[:min-lr=1e-4] | warmup=200[,cosine…]
 *   --validation   0.1 (a fraction of the training images) | 500 (a count)
 *   --early-stop   patience=5[,min-delta=0.001]
 */

export class SpecError extends Error {}

type Entries = Map<string, string>

/** `key=value` pairs separated by commas; every key known, none twice, every value a number. */
function entries(spec: string, what: string, known: readonly string[]): Entries {
  const out: Entries = new Map()
  for (const raw of spec.split(',')) {
    const entry = raw.trim()
    if (entry === '') throw new SpecError(`${what}: an empty entry in "${spec}" (entries are separated by single commas)`)
    const [key, value, ...more] = entry.split('=').map((s) => s.trim())
    if (!known.includes(key)) throw new SpecError(`${what}: unknown setting "${key}" (known: ${known.join(', ')})`)
    if (value === undefined || value === '' || more.length > 0) throw new SpecError(`${what}: ${key} needs one value, as ${key}=N`)
    if (!Number.isFinite(Number(value))) throw new SpecError(`${what}: ${key}=${value} is not a number`)
    if (out.has(key)) throw new SpecError(`${what}: ${key} is given twice`)
    out.set(key, value)
  }
  return out
}

const number = (e: Entries, key: string): number | undefined => (e.has(key) ? Number(e.get(key)) : undefined)

const KINDS = ['constant', 'step', 'cosine'] as const
type Kind = (typeof KINDS)[number]
const PARAMS: Record<Kind, string[]> = { constant: [], step: ['every', 'gamma'], cosine: ['min-lr'] }
const isKind = (name: string): name is Kind => (KINDS as readonly string[]).includes(name)

export function parseLrScheduleSpec(spec: string): LrScheduleInput {
  const what = '--lr-schedule'
  let warmup: number | undefined
  let kind: Kind | undefined
  const params: string[] = []
  // Entries in order: warmup=N anywhere, the schedule's name (with its first parameter after a colon), its parameters.
  for (const raw of spec.split(',')) {
    const entry = raw.trim()
    const [name, first] = entry.split(/:(.*)/s)
    if (name.startsWith('warmup')) {
      if (warmup !== undefined) throw new SpecError(`${what}: warmup is given twice`)
      warmup = number(entries(entry, what, ['warmup']), 'warmup')
    } else if (isKind(name)) {
      if (kind) throw new SpecError(`${what}: two schedules in "${spec}" (${kind} and ${name})`)
      kind = name
      if (first) params.push(first)
    } else if (kind && entry.includes('=')) {
      params.push(entry)
    } else {
      throw new SpecError(`${what}: "${entry}" is not a schedule (constant, step:every=N,gamma=G, cosine[:min-lr=X], warmup=N)`)
    }
  }
  kind ??= 'constant'
  const e = params.length > 0 ? entries(params.join(','), `${what} ${kind}`, PARAMS[kind]) : new Map<string, string>()
  const withWarmup = warmup === undefined ? {} : { warmup: { iterations: warmup } }
  if (kind === 'step') {
    if (!e.has('every') || !e.has('gamma')) throw new SpecError(`${what}: step needs every=N and gamma=G, as step:every=1000,gamma=0.5`)
    return { kind, every: number(e, 'every')!, gamma: number(e, 'gamma')!, ...withWarmup }
  }
  if (kind === 'cosine') return { kind, ...(e.has('min-lr') ? { minLr: number(e, 'min-lr') } : {}), ...withWarmup }
  return { kind, ...withWarmup }
}

export function parseValidationSpec(spec: string): ValidationInput {
  const value = spec.trim()
  const n = value === '' ? Number.NaN : Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new SpecError(`--validation must be a fraction below 1 (0.1) or a count of images (500), got "${spec}"`)
  return n < 1 ? { fraction: n } : Number.isInteger(n) ? { count: n } : { fraction: n }
}

export function parseEarlyStopSpec(spec: string): EarlyStoppingInput {
  const e = entries(spec, '--early-stop', ['patience', 'min-delta'])
  if (!e.has('patience')) throw new SpecError('--early-stop needs patience=N (evaluations without improvement), as patience=5,min-delta=0.001')
  return { patience: number(e, 'patience')!, ...(e.has('min-delta') ? { minDelta: number(e, 'min-delta') } : {}) }
}
