import type { RunConfig } from '@engine/config/run-config'

/** A setting a sweep can vary: its run-file path, its value in the base run, and whether it is a number. */
export interface SweepField {
  path: string
  value: number | string | boolean
  numeric: boolean
}

/** Settings that are not training choices (where the run is, what it records). */
const SKIP = /^(seed|evalInterval|evalSubset|trainAccuracy|embedding|record|freeze)(\.|$)/

/**
 * The base run's settings a sweep may vary, by field path as run files write them: every number, string
 * and true/false in it (optimizer.lr, batchSize, regularization.lambda, network.layers.2.filters, …).
 */
export function sweepFields(config: RunConfig): SweepField[] {
  const fields: SweepField[] = []
  const walk = (node: unknown, path: string): void => {
    if (path && SKIP.test(path)) return
    if (typeof node === 'number' || typeof node === 'string' || typeof node === 'boolean') {
      fields.push({ path, value: node, numeric: typeof node === 'number' })
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}.${i}`))
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) walk(item, path ? `${path}.${key}` : key)
    }
  }
  walk(config, '')
  return fields
}

/** Reads "0.1, 0.01" or "relu, tanh" as a grid's values: numbers where the field is a number. */
export function parseValues(text: string, numeric: boolean): Array<number | string | boolean> | null {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
  if (parts.length === 0) return null
  if (!numeric) return parts.map((p) => (p === 'true' ? true : p === 'false' ? false : p))
  const numbers = parts.map(Number)
  return numbers.every(Number.isFinite) ? numbers : null
}
