import { decode } from 'fast-png'
import type { DecodedPng } from 'fast-png'
import type { InterleavedPixels } from './pixels'

/*
 * PNG through fast-png (with its CRC checks on, so a corrupt chunk is reported rather than decoded into
 * noise), then to 8 bits a sample: 16-bit samples round to the nearest 8-bit value, 1/2/4-bit grey
 * stretches to 0…255, palettes expand to RGB(A), and a tRNS colour key becomes an alpha channel.
 */
export function decodePng(bytes: Uint8Array): InterleavedPixels {
  const png = decode(bytes, { checkCrc: true })
  const { width, height } = png
  const samples = unpackSamples(png)
  if (png.palette) return expandPalette(samples, png.palette, width, height)

  const channels = png.channels
  if (channels < 1 || channels > 4) throw new Error(`unsupported channel count ${channels}`)
  const key = png.transparency
  const keyed = key !== undefined && key.length === channels && (channels === 1 || channels === 3)
  const outChannels = (keyed ? channels + 1 : channels) as InterleavedPixels['channels']
  const scale = toEightBits(png.depth)
  if (!keyed && png.depth === 8) return { width, height, channels: outChannels, data: samples as Uint8Array }

  const area = width * height
  const out = new Uint8Array(area * outChannels)
  for (let p = 0; p < area; p++) {
    let transparent = keyed
    for (let c = 0; c < channels; c++) {
      const value = samples[p * channels + c]
      out[p * outChannels + c] = scale(value)
      if (keyed && value !== key[c]) transparent = false
    }
    if (keyed) out[p * outChannels + channels] = transparent ? 0 : 255
  }
  return { width, height, channels: outChannels, data: out }
}

/** round(v · 255 / max) for the file's bit depth: exact stretches for 1, 2, 4 bits, round(v / 257) for 16. */
function toEightBits(depth: number): (value: number) => number {
  if (depth === 16) return (value) => Math.round(value / 257)
  if (depth === 8) return (value) => value
  const factor = 255 / (2 ** depth - 1) // 255, 85 or 17: integers
  return (value) => value * factor
}

/** One array entry per sample: 1/2/4-bit rows (each padded to a whole byte) unpacked. */
function unpackSamples(png: DecodedPng): Uint8Array | Uint8ClampedArray | Uint16Array {
  const { width, height, channels, depth, data } = png
  if (depth >= 8) return data
  const perRow = width * channels
  const bytesPerRow = Math.ceil((perRow * depth) / 8)
  const mask = (1 << depth) - 1
  const out = new Uint8Array(perRow * height)
  for (let y = 0; y < height; y++) {
    for (let s = 0; s < perRow; s++) {
      const bit = s * depth
      const byte = data[y * bytesPerRow + (bit >> 3)]
      out[y * perRow + s] = (byte >> (8 - depth - (bit & 7))) & mask
    }
  }
  return out
}

function expandPalette(indices: ArrayLike<number>, palette: number[][], width: number, height: number): InterleavedPixels {
  const channels = palette.some((entry) => entry.length === 4) ? 4 : 3
  const area = width * height
  const out = new Uint8Array(area * channels)
  for (let p = 0; p < area; p++) {
    const entry = palette[indices[p]]
    if (entry === undefined) throw new Error(`palette index ${indices[p]} is outside the ${palette.length}-colour palette`)
    out[p * channels] = entry[0]
    out[p * channels + 1] = entry[1]
    out[p * channels + 2] = entry[2]
    if (channels === 4) out[p * channels + 3] = entry.length === 4 ? entry[3] : 255
  }
  return { width, height, channels, data: out }
}
