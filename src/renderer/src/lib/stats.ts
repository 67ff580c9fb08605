/**
 * Mean and sample standard deviation (n − 1; 0 for a single value), the same definition as the CLI's
 * `lab grid` table (src/cli/stats.ts), so the app and the CLI report the same figures.
 */
export function meanAndSd(values: readonly number[]): { mean: number; sd: number; n: number } {
  const n = values.length
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN, n }
  const mean = values.reduce((a, b) => a + b, 0) / n
  if (n === 1) return { mean, sd: 0, n }
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)
  return { mean, sd: Math.sqrt(variance), n }
}
