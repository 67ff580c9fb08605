/**
 * JSON with one line per row: arrays of numbers and flat objects stay on one line, anything nesting
 * arrays or objects opens one line per entry. A matrix then reads as a matrix, and the output is still plain JSON.
 */
export function prettyJson(value: unknown, indent = ''): string {
  const inner = indent + '  '
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'number')) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`
    return `[\n${value.map((v) => inner + prettyJson(v, inner)).join(',\n')}\n${indent}]`
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
    if (entries.every(([, v]) => v === null || typeof v !== 'object'))
      return JSON.stringify(Object.fromEntries(entries)).replace(/,"/g, ', "').replace(/":/g, '": ')
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${prettyJson(v, inner)}`).join(',\n')}\n${indent}}`
  }
  return JSON.stringify(value)
}
