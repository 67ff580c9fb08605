/**
 * A .zip archive of files, stored without compression (the format's method 0): the app hands an exported
 * project over as one file, which a browser can download and every system unpacks. Names are UTF-8
 * (general-purpose flag bit 11); sizes stay under 4 GiB (no ZIP64), far above any project.
 */
export interface ZipEntry {
  path: string
  contents: string | Uint8Array
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** MS-DOS time and date fields of `when` (local time, 2-second resolution, from 1980). */
function dosTime(when: Date): { time: number; date: number } {
  const year = Math.max(1980, when.getFullYear())
  return {
    time: (when.getHours() << 11) | (when.getMinutes() << 5) | Math.floor(when.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate()
  }
}

export function zipFiles(entries: readonly ZipEntry[], when = new Date()): Uint8Array {
  const encoder = new TextEncoder()
  const { time, date } = dosTime(when)
  const records = entries.map((entry) => {
    const name = encoder.encode(entry.path)
    const data = typeof entry.contents === 'string' ? encoder.encode(entry.contents) : entry.contents
    return { name, data, crc: crc32(data) }
  })
  const localSize = records.reduce((sum, r) => sum + 30 + r.name.length + r.data.length, 0)
  const centralSize = records.reduce((sum, r) => sum + 46 + r.name.length, 0)
  const out = new Uint8Array(localSize + centralSize + 22)
  const view = new DataView(out.buffer)
  let at = 0
  const offsets: number[] = []
  const common = (r: (typeof records)[number], field: number): void => {
    view.setUint16(field, 20, true) // version needed: 2.0
    view.setUint16(field + 2, 0x0800, true) // UTF-8 names
    view.setUint16(field + 4, 0, true) // stored
    view.setUint16(field + 6, time, true)
    view.setUint16(field + 8, date, true)
    view.setUint32(field + 10, r.crc, true)
    view.setUint32(field + 14, r.data.length, true)
    view.setUint32(field + 18, r.data.length, true)
    view.setUint16(field + 22, r.name.length, true)
    view.setUint16(field + 24, 0, true) // no extra field
  }
  for (const r of records) {
    offsets.push(at)
    view.setUint32(at, 0x04034b50, true)
    common(r, at + 4)
    out.set(r.name, at + 30)
    out.set(r.data, at + 30 + r.name.length)
    at += 30 + r.name.length + r.data.length
  }
  const centralStart = at
  records.forEach((r, i) => {
    view.setUint32(at, 0x02014b50, true)
    view.setUint16(at + 4, (3 << 8) | 20, true) // made by: Unix, 2.0
    common(r, at + 6)
    view.setUint16(at + 32, 0, true) // no comment
    view.setUint16(at + 34, 0, true) // disk 0
    view.setUint16(at + 36, 0, true) // internal attributes
    view.setUint32(at + 38, (0o100644 << 16) >>> 0, true) // a regular file, rw-r--r--
    view.setUint32(at + 42, offsets[i], true)
    out.set(r.name, at + 46)
    at += 46 + r.name.length
  })
  view.setUint32(at, 0x06054b50, true)
  view.setUint16(at + 8, records.length, true)
  view.setUint16(at + 10, records.length, true)
  view.setUint32(at + 12, centralSize, true)
  view.setUint32(at + 16, centralStart, true)
  return out
}
