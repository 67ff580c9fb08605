import { jpegOrientation, orientedSize } from './exif-orientation'
/*
 * An image file's format and size from its first bytes, without decoding it. This is what lets the
 * import refuse an image over the pixel limit before a decoder allocates memory for it, and pick the
 * most common size of a folder before any image is decoded.
 */

export type ImageFormat = 'png' | 'jpeg' | 'bmp' | 'webp'

export interface ImageHeader {
  format: ImageFormat
  width: number
  height: number
}

/** The largest image the import decodes: 50 megapixels (a 200 MB RGBA buffer). */
export const MAX_IMAGE_PIXELS = 50_000_000

/** The header, or a reason (for the skipped list) why these bytes are not an image the import reads. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | string {
  const format = sniffFormat(bytes)
  if (format === undefined) return 'not a PNG, JPEG, BMP or WebP file'
  const size = SIZE_READERS[format](bytes)
  if (typeof size === 'string') return `${FORMAT_NAMES[format]}: ${size}`
  // A JPEG's size as displayed (its EXIF orientation may turn it by a quarter), which is what it imports as.
  return { format, ...(format === 'jpeg' ? orientedSize(size.width, size.height, jpegOrientation(bytes)) : size) }
}

export const FORMAT_NAMES: Record<ImageFormat, string> = { png: 'PNG', jpeg: 'JPEG', bmp: 'BMP', webp: 'WebP' }

/** By content, not extension: a PNG named .jpg is still read as the PNG it is. */
function sniffFormat(b: Uint8Array): ImageFormat | undefined {
  if (startsWith(b, 0, PNG_SIGNATURE)) return 'png'
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp'
  if (startsWith(b, 0, ascii('RIFF')) && startsWith(b, 8, ascii('WEBP'))) return 'webp'
  return undefined
}

type Size = { width: number; height: number }
type SizeReader = (bytes: Uint8Array) => Size | string

const SIZE_READERS: Record<ImageFormat, SizeReader> = { png: pngSize, jpeg: jpegSize, bmp: bmpSize, webp: webpSize }

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** The IHDR chunk must come first: signature (8), length (4), "IHDR" (4), width, height (big-endian). */
function pngSize(b: Uint8Array): Size | string {
  if (b.length < 24 || !startsWith(b, 12, ascii('IHDR'))) return 'truncated or missing IHDR header'
  return checked(view(b).getUint32(16, false), view(b).getUint32(20, false))
}

/** Walks the marker segments to the first start-of-frame (SOF0…SOF15 but DHT, JPG and DAC). */
function jpegSize(b: Uint8Array): Size | string {
  let at = 2
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return `corrupt marker at byte ${at}`
    const marker = b[at + 1]
    if (marker === 0xff) {
      at++ // fill byte
      continue
    }
    // Markers without a length: TEM, RST0-7 (and SOI again)
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2
      continue
    }
    if (marker === 0xd9 || marker === 0xda) return 'no frame header before the image data'
    const length = (b[at + 2] << 8) | b[at + 3]
    if (length < 2) return `corrupt segment length at byte ${at}`
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isFrame) {
      if (at + 9 > b.length) break
      return checked((b[at + 7] << 8) | b[at + 8], (b[at + 5] << 8) | b[at + 6])
    }
    at += 2 + length
  }
  return 'truncated before its frame header'
}

/** BITMAPCOREHEADER (12 bytes) stores 16-bit sizes; every later header 32-bit signed ones (height < 0: top-down). */
function bmpSize(b: Uint8Array): Size | string {
  if (b.length < 26) return 'truncated header'
  const dv = view(b)
  const headerSize = dv.getUint32(14, true)
  if (headerSize === 12) return checked(dv.getUint16(18, true), dv.getUint16(20, true))
  return checked(dv.getInt32(18, true), Math.abs(dv.getInt32(22, true)))
}

/** The first chunk says which kind: lossy (VP8), lossless (VP8L) or extended (VP8X, with a canvas size). */
function webpSize(b: Uint8Array): Size | string {
  if (b.length < 30) return 'truncated header'
  const dv = view(b)
  if (startsWith(b, 12, ascii('VP8 '))) {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return 'corrupt VP8 frame header'
    return checked(dv.getUint16(26, true) & 0x3fff, dv.getUint16(28, true) & 0x3fff)
  }
  if (startsWith(b, 12, ascii('VP8L'))) {
    if (b[20] !== 0x2f) return 'corrupt VP8L header'
    const bits = dv.getUint32(21, true)
    return checked((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1)
  }
  if (startsWith(b, 12, ascii('VP8X'))) {
    const width = 1 + (b[24] | (b[25] << 8) | (b[26] << 16))
    const height = 1 + (b[27] | (b[28] << 8) | (b[29] << 16))
    return checked(width, height)
  }
  return 'unknown WebP chunk'
}

function checked(width: number, height: number): Size | string {
  if (!(width > 0 && height > 0)) return `invalid size ${width}x${height}`
  if (width * height > MAX_IMAGE_PIXELS) {
    const megapixels = Math.round((width * height) / 100_000) / 10
    return `${width}x${height} is ${megapixels} megapixels, over the ${MAX_IMAGE_PIXELS / 1_000_000} megapixel limit`
  }
  return { width, height }
}

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength)

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0))

function startsWith(b: Uint8Array, at: number, expected: readonly number[]): boolean {
  if (b.length < at + expected.length) return false
  for (let i = 0; i < expected.length; i++) if (b[at + i] !== expected[i]) return false
  return true
}
