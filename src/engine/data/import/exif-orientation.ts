import type { InterleavedPixels } from './pixels'

/*
 * Phone cameras store a photo as the sensor saw it and record in its EXIF data how to turn it for display
 * (the Orientation tag, 1–8). Viewers apply it, so the student's folder looks upright to them; the import
 * applies it too, or a portrait photo would become a sideways training image.
 */

/** A JPEG's EXIF orientation: 1 (as stored) to 8; 1 when the file has none or it cannot be read. */
export function jpegOrientation(b: Uint8Array): number {
  let at = 2
  while (at + 4 <= b.length && b[at] === 0xff) {
    const marker = b[at + 1]
    if (marker === 0xd9 || marker === 0xda) break // end of image, start of scan: no metadata after these
    const length = (b[at + 2] << 8) | b[at + 3]
    if (length < 2) break
    if (marker === 0xe1 && isExif(b, at + 4)) return tiffOrientation(b, at + 10, Math.min(b.length, at + 2 + length))
    at += 2 + length
  }
  return 1
}

/** The displayed width and height of a stored image: orientations 5–8 turn it by a quarter. */
export function orientedSize(width: number, height: number, orientation: number): { width: number; height: number } {
  return orientation >= 5 && orientation <= 8 ? { width: height, height: width } : { width, height }
}

/** The pixels as a viewer shows them: each output pixel (x, y) read from where the orientation puts it. */
export function applyOrientation(image: InterleavedPixels, orientation: number): InterleavedPixels {
  if (orientation < 2 || orientation > 8) return image
  const { width: w, height: h, channels, data } = image
  const { width, height } = orientedSize(w, h, orientation)
  const source = SOURCE[orientation]
  const out = new Uint8Array(width * height * channels)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = source(x, y, w, h)
      const from = (sy * w + sx) * channels
      const to = (y * width + x) * channels
      for (let c = 0; c < channels; c++) out[to + c] = data[from + c]
    }
  }
  return { width, height, channels, data: out }
}

/** For each orientation, the stored pixel that lands at displayed (x, y), the stored image being w × h. */
const SOURCE: Record<number, (x: number, y: number, w: number, h: number) => [number, number]> = {
  2: (x, y, w) => [w - 1 - x, y], // mirrored left–right
  3: (x, y, w, h) => [w - 1 - x, h - 1 - y], // turned 180°
  4: (x, y, _w, h) => [x, h - 1 - y], // mirrored top–bottom
  5: (x, y) => [y, x], // transposed
  6: (x, y, _w, h) => [y, h - 1 - x], // turn 90° clockwise to display
  7: (x, y, w, h) => [w - 1 - y, h - 1 - x], // transversed
  8: (x, y, w) => [w - 1 - y, x] // turn 90° counter-clockwise to display
}

const isExif = (b: Uint8Array, at: number): boolean =>
  at + 6 <= b.length && b[at] === 0x45 && b[at + 1] === 0x78 && b[at + 2] === 0x69 && b[at + 3] === 0x66 && b[at + 4] === 0 && b[at + 5] === 0

/** IFD0's Orientation (tag 0x0112) in the TIFF structure at `start`, bounded by `end`; 1 if absent or malformed. */
function tiffOrientation(b: Uint8Array, start: number, end: number): number {
  if (start + 8 > end) return 1
  const little = b[start] === 0x49 && b[start + 1] === 0x49
  if (!little && !(b[start] === 0x4d && b[start + 1] === 0x4d)) return 1
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const u16 = (at: number): number => view.getUint16(at, little)
  const ifd = start + view.getUint32(start + 4, little)
  if (ifd + 2 > end) return 1
  const entries = u16(ifd)
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + 12 * i
    if (entry + 12 > end) return 1
    if (u16(entry) === 0x0112 && u16(entry + 2) === 3) {
      const value = u16(entry + 8)
      return value >= 1 && value <= 8 ? value : 1
    }
  }
  return 1
}
