import { EngineError } from '../../protocol/error-codes'
import { resizePlanes } from './area-resize'
import { decodeImage } from './decode-image'
import { readImageHeader } from './image-header'
import { toPlanes, withChannels } from './pixels'

/**
 * One image file (PNG, JPEG, BMP, WebP) as a model takes it: decoded, alpha over white, converted to the
 * model's channels and area-resized to its height and width, exactly as an import would have stored it.
 * Returns the [C, H, W] bytes; a file that is not a readable image is INVALID_REQUEST naming why.
 */
export async function imageForModel(bytes: Uint8Array, [channels, height, width]: readonly number[]): Promise<Uint8Array> {
  const header = readImageHeader(bytes)
  if (typeof header === 'string') throw new EngineError('INVALID_REQUEST', `the file is not an image the lab reads: ${header}`)
  let decoded
  try {
    decoded = await decodeImage(bytes, header)
  } catch (error) {
    throw new EngineError('INVALID_REQUEST', `the image could not be decoded: ${error instanceof Error ? error.message : String(error)}`)
  }
  const planes = withChannels(toPlanes(decoded, channels === 1), channels === 1 ? 1 : 3)
  return resizePlanes(planes, height, width).data
}
