import { UsageError } from './args'

/**
 * Reads a rectangular nested array of finite numbers of the given rank (e.g. N×C×H×W for rank 4) into
 * its shape and row-major values. Anything else is a UsageError naming the first offending entry.
 */
export function parseNestedArray(value: unknown, rank: number, name: string, axes: string): { shape: number[]; data: Float64Array } {
  const shape: number[] = []
  let first = value
  for (let d = 0; d < rank; d++) {
    const path = name + '[0]'.repeat(d)
    if (!Array.isArray(first)) throw new UsageError(`${path} is ${describe(first)}, not an array: the input must be an ${axes} nested array of numbers`)
    if (first.length === 0) throw new UsageError(`${path} is empty: every axis of the ${axes} input needs at least one entry`)
    shape.push(first.length)
    first = first[0]
  }
  const data = new Float64Array(shape.reduce((a, b) => a * b, 1))
  let k = 0
  const walk = (v: unknown, d: number, path: string): void => {
    if (d === rank) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new UsageError(`${path} is ${describe(v)}, not a finite number`)
      data[k++] = v
      return
    }
    if (!Array.isArray(v)) throw new UsageError(`${path} is ${describe(v)}, not an array: the input must be an ${axes} nested array of numbers`)
    if (v.length !== shape[d]) {
      throw new UsageError(`${path} has ${v.length} entries but ${name}${'[0]'.repeat(d)} has ${shape[d]}: the ${axes} input is not rectangular`)
    }
    v.forEach((entry, i) => walk(entry, d + 1, `${path}[${i}]`))
  }
  walk(value, 0, name)
  return { shape, data }
}

/** Row-major values back into nested arrays of `shape`. */
export function toNestedArray(data: ArrayLike<number>, shape: readonly number[]): unknown[] {
  const build = (offset: number, d: number): unknown[] => {
    const stride = shape.slice(d + 1).reduce((a, b) => a * b, 1)
    return Array.from({ length: shape[d] }, (_, i) => (d === shape.length - 1 ? data[offset + i] : build(offset + i * stride, d + 1)))
  }
  return build(0, 0)
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array'
  if (v === null) return 'null'
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? v.slice(0, 20) + '…' : v)
  if (typeof v === 'object') return 'an object'
  return `${typeof v === 'number' ? '' : typeof v + ' '}${String(v)}`
}
