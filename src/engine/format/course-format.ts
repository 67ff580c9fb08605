/**
 * The course notebooks print accuracies with Python's str(float): the shortest text that reads back as
 * the same number, always with a decimal point ("1.0", "0.98"), and exponents as "1e-05".
 */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan'
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf'
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`
  const abs = Math.abs(x)
  if (abs >= 1e-4 && abs < 1e16) return String(x)
  // Python writes a two-digit, signed exponent where JavaScript writes e-5 or e+21.
  const [mantissa, exponent] = x.toExponential().split('e')
  const sign = exponent.startsWith('-') ? '-' : '+'
  const digits = exponent.replace(/^[+-]/, '').padStart(2, '0')
  return `${mantissa}e${sign}${digits}`
}

/** The two lines a notebook prints at an evaluation: `Generation: N. 正答率(トレーニング) = x` and the test line. */
export function generationLines(iter: number, trainAcc: number, testAcc: number): [string, string] {
  return [`Generation: ${iter}. 正答率(トレーニング) = ${pythonFloat(trainAcc)}`, `${' '.repeat(16)}: ${iter}. 正答率(テスト) = ${pythonFloat(testAcc)}`]
}
