import { encode as encodePng } from 'fast-png'
import { beforeAll, describe, expect, it } from 'vitest'
import { importImageSet } from '../../../../src/engine/data/import'
import { readImageHeader } from '../../../../src/engine/data/import/image-header'
import { useWebpWasmFromDisk } from '../../../../src/engine/hosts/node/read-image-files'
import { bmp, flatPng, imageOf, jpeg, memoryFiles, palettePng, png, webp } from './image-fixtures'

/*
 * Each format and colour type, decoded through the whole import: the class "probe" holds the file under
 * test, the class "plain" a grey filler so the set has two classes ("probe" has one image, so it is always
 * its class's training image). Images smaller than the engine's 8 pixels are imported at 8 times their
 * size, which repeats each pixel exactly (each output pixel lies inside one input pixel), and read back
 * at every 8th pixel.
 */

const UP = 8

async function importProbe(file: Uint8Array, options: { colour?: 'grey' | 'colour'; size?: { height: number; width: number } } = {}) {
  const header = readImageHeader(file)
  if (typeof header === 'string') throw new Error(header)
  const upscaled = header.width * UP <= 128 && header.height * UP <= 128
  const size = options.size ?? (upscaled ? { height: header.height * UP, width: header.width * UP } : header)
  const files = memoryFiles({ [`probe/x.${header.format}`]: file, 'plain/a.png': flatPng(2, 2, 9), 'plain/b.png': flatPng(2, 2, 9) })
  const { dataset, skipped } = await importImageSet('probe', files, { testSplit: 0.4, ...options, size: { height: size.height, width: size.width } })
  expect(skipped).toEqual([])
  const probeLabel = dataset.classes.indexOf('probe')
  const k = Array.from(dataset.train.labels).indexOf(probeLabel)
  const pixels = imageOf(dataset.train, k)
  const step = options.size === undefined && upscaled ? UP : 1
  return { split: dataset.train, pixels: step === 1 ? pixels : everyNth(pixels, dataset.train.channels, size.height, size.width, step) }
}

/** Every step-th pixel of each plane: the original grid of an image upscaled by an integer factor. */
function everyNth(pixels: number[], channels: number, rows: number, cols: number, step: number): number[] {
  const out: number[] = []
  for (let c = 0; c < channels; c++) for (let y = 0; y < rows; y += step) for (let x = 0; x < cols; x += step) out.push(pixels[c * rows * cols + y * cols + x])
  return out
}

describe('decoding each format', () => {
  beforeAll(() => useWebpWasmFromDisk())

  it('PNG grey and RGB keep their values; an RGB image with colour makes the whole set colour', async () => {
    const grey = await importProbe(png(2, 2, 1, [0, 50, 100, 255]))
    expect(grey.split.channels).toBe(1)
    expect(grey.pixels).toEqual([0, 50, 100, 255])
    const rgb = await importProbe(png(2, 2, 3, [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]))
    expect(rgb.split.channels).toBe(3)
    expect(rgb.pixels).toEqual([255, 0, 0, 10, 0, 255, 0, 20, 0, 0, 255, 30])
  })

  it('PNG RGBA and grey + alpha are composited over white', async () => {
    const rgba = await importProbe(png(2, 1, 4, [0, 0, 0, 0, 200, 100, 0, 51]))
    // transparent → white; (200, 100, 0) at alpha 51 → (244, 224, 204)
    expect(rgba.pixels).toEqual([255, 244, 255, 224, 255, 204])
    const greyAlpha = await importProbe(png(2, 1, 2, [0, 255, 0, 128]))
    expect(greyAlpha.pixels).toEqual([0, 127])
  })

  it('PNG 16-bit rounds to 8 bits, and a palette PNG expands its colours (with tRNS alpha)', async () => {
    const deep = await importProbe(png(2, 2, 1, [0, 257 * 100, 257 * 100 + 128, 65535], 16))
    expect(deep.pixels).toEqual([0, 100, 100, 255])
    const deepRounding = await importProbe(png(1, 2, 1, [257 * 100 + 129, 257 * 100 + 127], 16))
    expect(deepRounding.pixels).toEqual([101, 100])
    // fast-png's encoder writes tRNS for the non-opaque entries from index 0 on, so the transparent entry comes first
    const indexed = await importProbe(
      palettePng(
        2,
        2,
        [1, 2, 0, 2],
        [
          [9, 9, 9, 0],
          [255, 0, 0, 255],
          [0, 0, 255, 255]
        ]
      )
    )
    expect(indexed.split.channels).toBe(3)
    // red, blue, transparent (white), blue
    expect(indexed.pixels).toEqual([255, 0, 255, 0, 0, 0, 255, 0, 0, 255, 255, 255])
  })

  it('JPEG decodes to nearly its pixels (lossy, quality 100)', async () => {
    const rgba = Array.from({ length: 16 * 16 }, (_, p) => [p % 16 < 8 ? 240 : 20, 128, 60, 255]).flat()
    const { split, pixels } = await importProbe(jpeg(16, 16, rgba))
    expect(split.channels).toBe(3)
    const area = 256
    expect(Math.abs(pixels[0] - 240)).toBeLessThan(6)
    expect(Math.abs(pixels[15] - 20)).toBeLessThan(6)
    expect(Math.abs(pixels[area + 100] - 128)).toBeLessThan(6)
    expect(Math.abs(pixels[2 * area + 200] - 60)).toBeLessThan(6)
  })

  it('BMP 24-bit and 8-bit grey decode exactly, bottom-up rows the right way round', async () => {
    const rgb = await importProbe(bmp(3, 2, 3, [255, 0, 0, 0, 255, 0, 0, 0, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
    expect(rgb.pixels).toEqual([255, 0, 0, 1, 4, 7, 0, 255, 0, 2, 5, 8, 0, 0, 255, 3, 6, 9])
    const grey = await importProbe(bmp(3, 2, 1, [0, 10, 20, 30, 40, 250]))
    expect(grey.split.channels).toBe(1)
    expect(grey.pixels).toEqual([0, 10, 20, 30, 40, 250])
  })

  it('BMP 32-bit uses its alpha mask: composited over white', async () => {
    const { pixels } = await importProbe(bmp(2, 1, 4, [0, 0, 0, 0, 100, 50, 25, 255]))
    expect(pixels).toEqual([255, 100, 255, 50, 255, 25])
  })

  it('BMP stored top-down, and an 8-bit BMP with a colour table, decode to their colours', async () => {
    // fast-bmp writes bottom-up rows; the top-down file is the same pixels with the rows reversed and the height negated
    const bottomUp = bmp(3, 2, 3, [255, 0, 0, 0, 255, 0, 0, 0, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    const topDown = bottomUp.slice()
    const dv = new DataView(topDown.buffer)
    const start = dv.getUint32(10, true)
    const rowBytes = 12 // 3 pixels · 3 bytes, padded to 4
    topDown.set(bottomUp.subarray(start + rowBytes, start + 2 * rowBytes), start)
    topDown.set(bottomUp.subarray(start, start + rowBytes), start + rowBytes)
    dv.setInt32(22, -2, true)
    expect((await importProbe(topDown)).pixels).toEqual([255, 0, 0, 1, 4, 7, 0, 255, 0, 2, 5, 8, 0, 0, 255, 3, 6, 9])

    const indexed = bmp(2, 1, 1, [0, 1])
    const table = 14 + new DataView(indexed.buffer).getUint32(14, true)
    indexed.set([0, 0, 255, 0], table) // entry 0: red (stored blue, green, red)
    indexed.set([255, 0, 0, 0], table + 4) // entry 1: blue
    const { split, pixels } = await importProbe(indexed)
    expect(split.channels).toBe(3)
    expect(pixels).toEqual([255, 0, 0, 0, 0, 255])
  })

  it('skips a truncated file of each format with a reason naming the format', async () => {
    const cut = (bytes: Uint8Array): Uint8Array => bytes.slice(0, Math.floor(bytes.length * 0.6))
    const noise = Array.from({ length: 16 * 16 * 4 }, (_, i) => (i * 97) % 256)
    const broken = {
      'a/x.png': cut(png(16, 16, 4, noise)),
      'a/x.jpg': cut(jpeg(16, 16, noise)),
      'a/x.bmp': cut(bmp(16, 16, 3, noise.slice(0, 16 * 16 * 3))),
      'a/x.webp': cut(await webp(16, 16, noise))
    }
    const files = memoryFiles({ ...broken, 'a/ok.png': flatPng(8, 8, 1), 'b/1.png': flatPng(8, 8, 1), 'b/2.png': flatPng(8, 8, 1) })
    const { skipped } = await importImageSet('t', files, { testSplit: 0.4 })
    expect(skipped.map((s) => s.file)).toEqual(['a/x.bmp', 'a/x.jpg', 'a/x.png', 'a/x.webp'])
    expect(skipped.map((s) => s.reason.split(':')[0])).toEqual(['BMP', 'JPEG', 'PNG', 'WebP'])
  })

  it('WebP (lossless) decodes exactly, alpha over white', async () => {
    const file = await webp(2, 2, [10, 20, 30, 255, 200, 0, 0, 255, 0, 0, 0, 0, 7, 7, 7, 255])
    expect(readImageHeader(file)).toEqual({ format: 'webp', width: 2, height: 2 })
    const { pixels } = await importProbe(file)
    expect(pixels).toEqual([10, 200, 255, 7, 20, 0, 255, 7, 30, 0, 255, 7])
  })

  it('grey output applies the luma formula to colour files, before resizing', async () => {
    const { split, pixels } = await importProbe(png(2, 1, 3, [255, 0, 0, 0, 0, 255]), { colour: 'grey' })
    expect(split.channels).toBe(1)
    expect(pixels).toEqual([76, 29])
    // columns alternating (2, 0, 0) and black, halved: grey first gives round((1 + 0) / 2) = 1, where
    // resizing first would give grey(round(1), 0, 0) = round(0.299) = 0
    const columns = Array.from({ length: 16 * 8 }, (_, p) => (p % 2 === 0 ? [2, 0, 0] : [0, 0, 0])).flat()
    const shrunk = await importProbe(png(16, 8, 3, columns), { colour: 'grey', size: { height: 8, width: 8 } })
    expect(shrunk.pixels).toEqual(new Array(64).fill(1))
  })
})

/** The chunk (header included) with this four-character code in a RIFF WebP file. */
function chunk(file: Uint8Array, code: string): Uint8Array {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength)
  for (let at = 12; at + 8 <= file.length;) {
    const size = dv.getUint32(at + 4, true)
    if (String.fromCharCode(...file.subarray(at, at + 4)) === code) return file.slice(at, at + 8 + size + (size % 2))
    at += 8 + size + (size % 2)
  }
  throw new Error(`no ${code} chunk`)
}

/** A simple-format WebP: the RIFF header around one VP8 or VP8L chunk. */
function simpleWebp(imageChunk: Uint8Array): Uint8Array {
  const file = new Uint8Array(12 + imageChunk.length)
  file.set([0x52, 0x49, 0x46, 0x46], 0)
  new DataView(file.buffer).setUint32(4, 4 + imageChunk.length, true)
  file.set([0x57, 0x45, 0x42, 0x50], 8)
  file.set(imageChunk, 12)
  return file
}

describe('image headers', () => {
  it('reads each format’s size without decoding', () => {
    expect(readImageHeader(png(5, 3, 1, new Array(15).fill(0)))).toEqual({ format: 'png', width: 5, height: 3 })
    expect(readImageHeader(jpeg(9, 4, new Array(36 * 4).fill(255)))).toEqual({ format: 'jpeg', width: 9, height: 4 })
    expect(readImageHeader(bmp(6, 2, 3, new Array(36).fill(0)))).toEqual({ format: 'bmp', width: 6, height: 2 })
    expect(readImageHeader(new TextEncoder().encode('hello'))).toBe('not a PNG, JPEG, BMP or WebP file')
  })

  it('reads lossy WebP (VP8) and extended WebP (VP8X) sizes', async () => {
    const { default: encode } = await import('@jsquash/webp/encode')
    await webp(1, 1, [0, 0, 0, 255]) // starts the encoder
    // The encoder writes an extended file (VP8X) even without alpha; its VP8 chunk alone makes the simple format
    const extendedOpaque = new Uint8Array(
      await encode({ data: new Uint8ClampedArray(20 * 12 * 4).fill(200), width: 20, height: 12, colorSpace: 'srgb' } as ImageData, { quality: 80 })
    )
    const lossy = simpleWebp(chunk(extendedOpaque, 'VP8 '))
    expect(readImageHeader(lossy)).toEqual({ format: 'webp', width: 20, height: 12 })
    const withAlpha = new Uint8ClampedArray(20 * 12 * 4).map((_, i) => (i % 4 === 3 ? (i % 7) * 30 : 100))
    const extended = new Uint8Array(await encode({ data: withAlpha, width: 20, height: 12, colorSpace: 'srgb' } as ImageData, { quality: 80 }))
    expect(String.fromCharCode(...extended.subarray(12, 16))).toBe('VP8X')
    expect(readImageHeader(extended)).toEqual({ format: 'webp', width: 20, height: 12 })
  })

  it('refuses an image over 50 megapixels from its header alone', () => {
    const header = encodePng({ width: 1, height: 1, channels: 1, depth: 8, data: new Uint8Array(1) }).slice(0, 33)
    new DataView(header.buffer).setUint32(16, 10000)
    new DataView(header.buffer).setUint32(20, 6000)
    expect(readImageHeader(header)).toBe('PNG: 10000x6000 is 60 megapixels, over the 50 megapixel limit')
  })
})
