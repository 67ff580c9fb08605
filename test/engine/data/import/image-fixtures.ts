import { encode as encodePng } from 'fast-png'
import { encode as encodeBmp } from 'fast-bmp'
import { encode as encodeJpeg } from 'jpeg-js'
import encodeWebpImage, { init as initWebpEncoder } from '@jsquash/webp/encode'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { SourceFile } from '../../../../src/engine/data/import'
import { engineErrorOf } from '../idx-fixtures'

/* Real image files made with the codecs' own encoders, held in memory as the import's SourceFiles. */

/** In-memory SourceFiles; `reads` counts the reads of each path. */
export function memoryFiles(contents: Record<string, Uint8Array | string>): SourceFile[] & { reads: Map<string, number> } {
  const reads = new Map<string, number>()
  const files = Object.entries(contents).map(([path, content]) => {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content
    return {
      path,
      size: bytes.length,
      read: async () => {
        reads.set(path, (reads.get(path) ?? 0) + 1)
        return bytes
      }
    }
  })
  return Object.assign(files, { reads })
}

/** A PNG of `channels` interleaved samples (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA). */
export const png = (width: number, height: number, channels: number, data: ArrayLike<number>, depth: 8 | 16 = 8): Uint8Array =>
  encodePng({ width, height, channels, depth, data: depth === 16 ? Uint16Array.from(data) : Uint8Array.from(data) })

/** A palette PNG: `indices` into `palette` (entries [r, g, b] or [r, g, b, a]). */
export const palettePng = (width: number, height: number, indices: number[], palette: number[][]): Uint8Array =>
  encodePng({ width, height, channels: 1, depth: 8, data: Uint8Array.from(indices), palette })

/** A uniform grey PNG of one value. */
export const flatPng = (width: number, height: number, value: number): Uint8Array => png(width, height, 1, new Array(width * height).fill(value))

/** A uniform RGB PNG. */
export const flatRgbPng = (width: number, height: number, rgb: [number, number, number]): Uint8Array =>
  png(width, height, 3, Array.from({ length: width * height }, () => rgb).flat())

/** A JPEG (quality 100) of RGBA pixels, as jpeg-js wants them. */
export const jpeg = (width: number, height: number, rgba: ArrayLike<number>): Uint8Array =>
  new Uint8Array(encodeJpeg({ width, height, data: Buffer.from(Uint8Array.from(rgba)) }, 100).data)

/** A BMP with fast-bmp's encoder: 24-bit RGB or 8-bit grey. */
export const bmp = (width: number, height: number, channels: 1 | 3 | 4, data: ArrayLike<number>): Uint8Array =>
  encodeBmp({ width, height, channels, components: channels === 4 ? 3 : channels, bitsPerPixel: channels * 8, data: Uint8Array.from(data) })

let webpEncoderReady: Promise<unknown> | undefined

/** A lossless WebP, with @jsquash/webp's encoder (its wasm read from node_modules). */
export async function webp(width: number, height: number, rgba: ArrayLike<number>): Promise<Uint8Array> {
  webpEncoderReady ??= (async () => {
    const path = createRequire(import.meta.url).resolve('@jsquash/webp/codec/enc/webp_enc_simd.wasm')
    const initWithModule = initWebpEncoder as unknown as (module: WebAssembly.Module) => Promise<unknown>
    await initWithModule(await WebAssembly.compile(readFileSync(path)))
  })()
  await webpEncoderReady
  const image = { data: Uint8ClampedArray.from(rgba), width, height, colorSpace: 'srgb' } as ImageData
  return new Uint8Array(await encodeWebpImage(image, { lossless: 1, exact: 1 }))
}

/** The EngineError an async action throws (the test fails if it throws anything else or nothing). */
export const engineError = engineErrorOf

/** Pixel values of image k of a split, as plain numbers. */
export function imageOf(split: { channels: number; rows: number; cols: number; images: Uint8Array }, k: number): number[] {
  const size = split.channels * split.rows * split.cols
  return Array.from(split.images.subarray(k * size, (k + 1) * size))
}
