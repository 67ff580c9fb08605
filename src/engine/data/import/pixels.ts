/*
 * From a decoder's pixels to the planes the data set stores. Every rule here is integer arithmetic with
 * one rounding, so each host gives the same bytes:
 *  - transparency is composited over white: image sets with alpha are mostly drawings, icons and cut-out
 *    objects made to be seen on a white page, and over white they look as their authors saw them (over
 *    black, dark strokes on a transparent background would vanish);
 *  - grey = round(0.299 R + 0.587 G + 0.114 B), the ITU-R BT.601 luma that PIL's convert('L') and
 *    OpenCV use, computed exactly as (299 R + 587 G + 114 B + 500) / 1000 rounded down.
 */

/** Decoded pixels, one byte a sample, interleaved: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
export interface InterleavedPixels {
  width: number
  height: number
  channels: 1 | 2 | 3 | 4
  data: Uint8Array | Uint8ClampedArray
}

/** An image as the import keeps it: 1 (grey) or 3 (R, G, B) planes of height × width bytes, one after the other. */
export interface Planes {
  channels: 1 | 3
  height: number
  width: number
  data: Uint8Array
}

/**
 * Planes of an image, alpha composited over white. An RGB image whose pixels are all grey (R = G = B)
 * comes back as one plane, so "has colour" means colour a viewer would see, not the file's colour type.
 */
export function toPlanes(image: InterleavedPixels, grey: boolean): Planes {
  const { width, height, channels, data } = image
  const area = width * height
  if (channels === 1) return { channels: 1, width, height, data: data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, area) }
  if (channels === 2) return { channels: 1, width, height, data: greyAlphaOverWhite(data, area) }

  const out = new Uint8Array(grey ? area : 3 * area)
  let colour = false
  const hasAlpha = channels === 4
  for (let p = 0, i = 0; p < area; p++, i += channels) {
    let r = data[i]
    let g = data[i + 1]
    let b = data[i + 2]
    if (hasAlpha) {
      const a = data[i + 3]
      if (a !== 255) {
        r = overWhite(r, a)
        g = overWhite(g, a)
        b = overWhite(b, a)
      }
    }
    if (grey) {
      out[p] = greyOf(r, g, b)
    } else {
      if (r !== g || g !== b) colour = true
      out[p] = r
      out[p + area] = g
      out[p + 2 * area] = b
    }
  }
  if (grey) return { channels: 1, width, height, data: out }
  // A copy of the first plane, so the two unused planes are not kept alive through a view.
  return colour ? { channels: 3, width, height, data: out } : { channels: 1, width, height, data: out.slice(0, area) }
}

/** round(0.299 R + 0.587 G + 0.114 B), exactly (no binary fraction is involved). */
export const greyOf = (r: number, g: number, b: number): number => Math.floor((299 * r + 587 * g + 114 * b + 500) / 1000)

/** round((v·a + 255·(255 − a)) / 255): the value over a white background. Never a tie (255 is odd). */
export const overWhite = (value: number, alpha: number): number => Math.round((value * alpha + 255 * (255 - alpha)) / 255)

/** A 3-plane copy of a grey image, or a grey image of an RGB one; planes of the right count are returned as they are. */
export function withChannels(planes: Planes, channels: 1 | 3): Planes {
  if (planes.channels === channels) return planes
  const { width, height, data } = planes
  const area = width * height
  if (channels === 3) {
    const out = new Uint8Array(3 * area)
    out.set(data, 0)
    out.set(data, area)
    out.set(data, 2 * area)
    return { channels: 3, width, height, data: out }
  }
  const out = new Uint8Array(area)
  for (let p = 0; p < area; p++) out[p] = greyOf(data[p], data[p + area], data[p + 2 * area])
  return { channels: 1, width, height, data: out }
}

function greyAlphaOverWhite(data: ArrayLike<number>, area: number): Uint8Array {
  const out = new Uint8Array(area)
  for (let p = 0; p < area; p++) out[p] = overWhite(data[2 * p], data[2 * p + 1])
  return out
}
