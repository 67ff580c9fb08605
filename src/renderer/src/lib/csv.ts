/**
 * CSV as RFC 4180 writes it: comma-separated, CRLF line ends, a field quoted when it holds a comma, a
 * quote or a line break (quotes doubled). Numbers keep full precision; a missing or non-finite number is
 * an empty field. The file starts with a byte-order mark so spreadsheet programs read Japanese labels as
 * UTF-8.
 */
export type CsvValue = string | number | boolean | null | undefined

const BOM = '\uFEFF'

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header.map(csvField).join(','), ...rows.map((row) => row.map(csvField).join(','))]
  return BOM + lines.join('\r\n') + '\r\n'
}
