/** Mean and sample standard deviation (n − 1; 0 for a single value). */
export function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN }
  const mean = values.reduce((a, b) => a + b, 0) / n
  if (n === 1) return { mean, sd: 0 }
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)
  return { mean, sd: Math.sqrt(variance) }
}
