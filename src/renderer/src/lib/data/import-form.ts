import type { ImportSettings } from '@engine/protocol'

/*
 * The import form's fields as typed, and the settings they make. Each wrong field is named by its key
 * (an i18n key under data.import.problems), so the form can show it beside the field.
 */

export interface ImportFormValues {
  name: string
  /** 'auto' or "H×W" / "HxW" / a single side "32". */
  size: string
  colour: 'auto' | 'grey' | 'colour'
  /** Percent held out for testing, as typed. */
  testPercent: string
  seed: string
  strict: boolean
}

/** The last part of a folder path (either separator), trimmed to a set name's 100 characters. */
export function nameFromPath(path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean)
  return [...(parts.at(-1) ?? '')].slice(0, 100).join('')
}

export const DEFAULT_IMPORT_FORM: ImportFormValues = { name: '', size: 'auto', colour: 'auto', testPercent: '16.7', seed: '1', strict: false }

export type ImportFormProblem = 'name' | 'size' | 'testPercent' | 'seed'

export type ImportFormResult = { ok: true; name: string; settings: ImportSettings } | { ok: false; problems: ImportFormProblem[] }

const SIDE = { min: 8, max: 128 }

export function parseSize(text: string): { height: number; width: number } | 'auto' | null {
  const value = text.trim().toLowerCase()
  if (value === '' || value === 'auto') return 'auto'
  const match = /^(\d+)\s*(?:[x×*]\s*(\d+))?$/.exec(value)
  if (!match) return null
  const height = Number(match[1])
  const width = match[2] === undefined ? height : Number(match[2])
  const ok = (side: number): boolean => side >= SIDE.min && side <= SIDE.max
  return ok(height) && ok(width) ? { height, width } : null
}

/**
 * `nameLater`: the desktop app names an unnamed set after the folder its dialog returns, so an empty name
 * is allowed there (the browser knows the folder before the form is sent, and fills the name in).
 */
export function importSettings(form: ImportFormValues, nameLater = false): ImportFormResult {
  const problems: ImportFormProblem[] = []
  const name = form.name.trim()
  if ((name.length === 0 && !nameLater) || name.length > 100) problems.push('name')
  const size = parseSize(form.size)
  if (size === null) problems.push('size')
  const percent = Number(form.testPercent)
  if (form.testPercent.trim() === '' || !Number.isFinite(percent) || percent <= 0 || percent >= 100) problems.push('testPercent')
  const seed = Number(form.seed)
  if (form.seed.trim() === '' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) problems.push('seed')
  if (problems.length > 0) return { ok: false, problems }

  const settings: ImportSettings = { testSplit: percent / 100, seed, strict: form.strict }
  if (size !== 'auto' && size !== null) settings.size = size
  if (form.colour !== 'auto') settings.colour = form.colour
  return { ok: true, name, settings }
}
