import { decodeBmp } from './decode-bmp'
import { decodeJpeg } from './decode-jpeg'
import { decodePng } from './decode-png'
import { FORMAT_NAMES, type ImageHeader } from './image-header'
import type { InterleavedPixels } from './pixels'
import { decodeWebp } from './webp-codec'

/** Decodes an image whose header was read (and its size accepted) by readImageHeader. */
export async function decodeImage(bytes: Uint8Array, header: ImageHeader): Promise<InterleavedPixels> {
  try {
    switch (header.format) {
      case 'png':
        return decodePng(bytes)
      case 'jpeg':
        return decodeJpeg(bytes)
      case 'bmp':
        return decodeBmp(bytes)
      case 'webp':
        return await decodeWebp(bytes)
    }
  } catch (err) {
    throw new DecodeFailure(`${FORMAT_NAMES[header.format]}: ${describe(err)}`)
  }
}

/** A file that cannot be decoded: its message is the reason listed with the skipped file. */
export class DecodeFailure extends Error {}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : ''
  return (message || 'cannot be decoded') + cause
}
