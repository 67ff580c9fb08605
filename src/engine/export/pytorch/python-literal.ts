/**
 * A JSON value written as a Python literal (True/False/None, dicts and lists), indented for reading: the
 * run's settings at the top of train.py are then Python a student can edit.
 */
export function pythonLiteral(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`pythonLiteral: ${value} has no JSON form`)
    return JSON.stringify(value)
  }
  if (typeof value === 'string') return JSON.stringify(value)
  const inner = indent + '    '
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return `[${value.map((v) => pythonLiteral(v)).join(', ')}]`
    return `[\n${value.map((v) => inner + pythonLiteral(v, inner)).join(',\n')},\n${indent}]`
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
  if (entries.length === 0) return '{}'
  const flat = entries.every(([, v]) => typeof v !== 'object' || v === null)
  if (flat && entries.length <= 4) return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`).join(', ')}}`
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pythonLiteral(v, inner)}`).join(',\n')},\n${indent}}`
}
