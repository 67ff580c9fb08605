import { decode } from 'fast-bmp'
import type { InterleavedPixels } from './pixels'

/*
 * BMP through fast-bmp, which reads 1-, 8-, 24- and 32-bit uncompressed files. Three things it leaves to
 * us: it returns 1- and 8-bit pixels as palette indices (the colour table is applied here), it cannot
 * read a top-down file (negative height; it decodes a copy with the height made positive and the rows
 * are flipped back), and it keeps a 32-bit file's fourth byte even when the file does not declare it as
 * alpha (used here only with an alpha mask, and not when every pixel's is 0, the "unused" convention).
 */

const FILE_HEADER = 14
const OS2_HEADER = 12
const ALPHA_MASK_END = 70 // the V3 header's alpha mask ends 70 bytes into the file

export function decodeBmp(bytes: Uint8Array): InterleavedPixels {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerSize = dv.getUint32(FILE_HEADER, true)
  if (headerSize === OS2_HEADER) throw new Error('OS/2 bitmaps (12-byte header) are not supported')
  const topDown = dv.getInt32(22, true) < 0
  const decoded = decode(topDown ? withPositiveHeight(bytes) : bytes)
  const { width, height, bitsPerPixel } = decoded
  const data = decoded.data as Uint8Array
  if (topDown) flipRows(data, height, width * decoded.channels)

  if (bitsPerPixel <= 8) return applyColourTable(bytes, dv, headerSize, data, width, height, bitsPerPixel)
  if (bitsPerPixel === 24) return { width, height, channels: 3, data }
  const alphaMask = headerSize + FILE_HEADER >= ALPHA_MASK_END ? dv.getUint32(66, true) : 0
  if (alphaMask !== 0 && someAlpha(data)) return { width, height, channels: 4, data }
  return { width, height, channels: 3, data: dropAlpha(data, width * height) }
}

function withPositiveHeight(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice()
  const dv = new DataView(copy.buffer)
  dv.setInt32(22, -dv.getInt32(22, true), true)
  return copy
}

function flipRows(data: Uint8Array, rows: number, rowBytes: number): void {
  const swap = new Uint8Array(rowBytes)
  for (let top = 0, bottom = rows - 1; top < bottom; top++, bottom--) {
    swap.set(data.subarray(top * rowBytes, (top + 1) * rowBytes))
    data.copyWithin(top * rowBytes, bottom * rowBytes, (bottom + 1) * rowBytes)
    data.set(swap, bottom * rowBytes)
  }
}

/** Palette entries are blue, green, red, unused; a file without a table is read as a grey ramp. */
function applyColourTable(
  bytes: Uint8Array,
  dv: DataView,
  headerSize: number,
  indices: Uint8Array,
  width: number,
  height: number,
  bitsPerPixel: number
): InterleavedPixels {
  const tableStart = FILE_HEADER + headerSize
  const pixelStart = dv.getUint32(10, true)
  const declared = dv.getUint32(46, true) || 2 ** bitsPerPixel
  const entries = Math.min(declared, Math.max(0, Math.floor((Math.min(pixelStart, bytes.length) - tableStart) / 4)))
  const area = width * height
  const out = new Uint8Array(3 * area)
  const maxIndex = 2 ** bitsPerPixel - 1
  for (let p = 0; p < area; p++) {
    const index = indices[p]
    if (entries === 0) {
      out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = Math.round((index * 255) / maxIndex)
      continue
    }
    if (index >= entries) throw new Error(`colour index ${index} is outside the ${entries}-colour table`)
    const at = tableStart + 4 * index
    out[3 * p] = bytes[at + 2]
    out[3 * p + 1] = bytes[at + 1]
    out[3 * p + 2] = bytes[at]
  }
  return { width, height, channels: 3, data: out }
}

function someAlpha(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 0) return true
  return false
}

function dropAlpha(rgba: Uint8Array, area: number): Uint8Array {
  const rgb = new Uint8Array(3 * area)
  for (let p = 0; p < area; p++) {
    rgb[3 * p] = rgba[4 * p]
    rgb[3 * p + 1] = rgba[4 * p + 1]
    rgb[3 * p + 2] = rgba[4 * p + 2]
  }
  return rgb
}
