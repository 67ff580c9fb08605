import { decode } from 'jpeg-js'
import { applyOrientation, jpegOrientation } from './exif-orientation'
import { MAX_IMAGE_PIXELS } from './image-header'
import type { InterleavedPixels } from './pixels'

/*
 * JPEG through jpeg-js, as RGB (a grey JPEG comes back with R = G = B, which the import stores as grey).
 * Strict decoding, so a truncated file is skipped with a reason instead of imported with grey blocks.
 * The size limits are a backstop to the header check: the pixel limit, and enough memory for a
 * limit-sized RGB image with its component buffers (about 4 bytes a pixel) and no more.
 */
const MAX_MEGAPIXELS = MAX_IMAGE_PIXELS / 1_000_000
const MAX_MEMORY_MB = 4 * MAX_MEGAPIXELS + 64

/** Decoded and turned as its EXIF orientation says, so a phone's portrait photo stays upright. */
export function decodeJpeg(bytes: Uint8Array): InterleavedPixels {
  const image = decode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    tolerantDecoding: false,
    maxResolutionInMP: MAX_MEGAPIXELS,
    maxMemoryUsageInMB: MAX_MEMORY_MB
  })
  return applyOrientation({ width: image.width, height: image.height, channels: 3, data: image.data }, jpegOrientation(bytes))
}
