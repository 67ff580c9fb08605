/**
 * Formatting shared by the views. Kept free of Vue and i18n so the exact strings can be unit-tested.
 */

/**
 * A float the way Python's `str()` prints it, because the course's notebooks print with Python and
 * students compare the two outputs side by side: shortest round-trip digits (JavaScript already does
 * that), but `1.0` rather than `1`, and exponent form only below 1e-4 or from 1e16 (`1e-05`).
 */
export function pyFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan'
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf'
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0'
  const abs = Math.abs(value)
  if (abs < 1e-4 || abs >= 1e16) {
    // JavaScript gives e.g. "1e-5", "1.5e+16"; Python gives "1e-05", "1.5e+16".
    const [mantissa, exponent] = value.toExponential().split('e')
    const sign = exponent.startsWith('-') ? '-' : '+'
    const digits = exponent.replace(/^[+-]/, '').padStart(2, '0')
    return `${mantissa}e${sign}${digits}`
  }
  const text = String(value)
  return Number.isInteger(value) ? `${text}.0` : text
}

/** The course's notebooks indent the second line by exactly 16 spaces (not aligned with the first colon). */
const SECOND_LINE_INDENT = ' '.repeat(16)

/** The two lines the course prints after every evaluation, character for character. */
export function generationLines(iter: number, trainAcc: number, testAcc: number): [string, string] {
  const first = `Generation: ${iter}. 正答率(トレーニング) = ${pyFloat(trainAcc)}`
  const second = `${SECOND_LINE_INDENT}: ${iter}. 正答率(テスト) = ${pyFloat(testAcc)}`
  return [first, second]
}

/** Whole seconds split into minutes and seconds, for "time left". */
export function splitDuration(totalSeconds: number): { minutes: number; seconds: number } {
  const s = Math.max(0, Math.round(totalSeconds))
  return { minutes: Math.floor(s / 60), seconds: s % 60 }
}
