/**
 * Text ⇄ value for the settings form. Numbers are typed as text (so the field shows exactly what was
 * typed, and a half-typed value is reported rather than silently dropped), then parsed here. Full-width
 * digits from a Japanese IME are accepted.
 */

const FULL_WIDTH: Record<string, string> = { '．': '.', '，': ',', '、': ',', '－': '-', ー: '-', '＋': '+', ｅ: 'e', Ｅ: 'E', '　': ' ' }

export function toHalfWidth(text: string): string {
  return text.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[．，、－ー＋ｅＥ　]/g, (c) => FULL_WIDTH[c] ?? c)
}

/** A number as typed; NaN when it is not one (empty, "1,5", "abc"), which the schema then reports. */
export function parseNumber(text: string): number {
  const t = toHalfWidth(text).trim()
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number.NaN
  return Number(t)
}

/** An optional count: empty means "not set" (undefined), anything else must be a number. */
export function parseOptionalNumber(text: string): number | undefined {
  return toHalfWidth(text).trim() === '' ? undefined : parseNumber(text)
}

/** Hidden layer sizes: "100, 50 25" → [100, 50, 25]; a bad entry becomes NaN, an empty text []. */
export function parseSizes(text: string): number[] {
  return toHalfWidth(text)
    .split(/[\s,]+/)
    .filter((part) => part !== '')
    .map(parseNumber)
}

export function formatNumber(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '' : String(value)
}

export function formatSizes(values: readonly number[]): string {
  return values.map(formatNumber).join(', ')
}

/** Value equality for form sync: NaN equals NaN, arrays element by element. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]))
  return Object.is(a, b) || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b))
}
