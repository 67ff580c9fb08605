import type { TrialResult } from '@engine/sweep'
import { toCsv, type CsvValue } from '@renderer/lib/csv'

/** The results table as CSV: a column per varied setting, then what `lab sweep --json` reports. */
export function sweepCsv(results: readonly TrialResult[], fields: readonly string[]): string {
  const header = ['trial', ...fields, 'seed', 'iter', 'testAcc', 'valAcc', 'params', 'macs', 'elapsedMs', 'stoppedEarly', 'status']
  const rows = [...results]
    .sort((a, b) => a.trial - b.trial)
    .map((r): CsvValue[] => [
      r.trial,
      ...fields.map((f) => cell(r.settings[f])),
      r.seed,
      r.iter,
      r.testAcc,
      r.valAcc,
      r.params,
      r.macs,
      Math.round(r.elapsedMs),
      r.stoppedEarly,
      r.status
    ])
  return toCsv(header, rows)
}

function cell(value: unknown): CsvValue {
  if (value === undefined || value === null) return null
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value
  return JSON.stringify(value)
}
