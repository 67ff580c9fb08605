import type { Split } from '../image-set'
import type { ImageSize } from './default-size'
import { resizePlanes } from './area-resize'
import { withChannels } from './pixels'

/*
 * A split already in the engine's layout (CIFAR's records, IDX images) brought to a chosen size and
 * channel count, image by image, with the same conversions as decoded files: grey first at the file's
 * resolution, then the area resize. Without a change the split is returned as it is.
 */
export function resampleSplit(split: Split, channels: 1 | 3, size: ImageSize, onImage?: () => void): Split {
  if (split.channels === channels && split.rows === size.height && split.cols === size.width) return split
  const inBytes = split.channels * split.rows * split.cols
  const outBytes = channels * size.height * size.width
  const images = new Uint8Array(split.count * outBytes)
  for (let i = 0; i < split.count; i++) {
    const planes = {
      channels: split.channels as 1 | 3,
      height: split.rows,
      width: split.cols,
      data: split.images.subarray(i * inBytes, (i + 1) * inBytes)
    }
    const grey = channels === 1 ? withChannels(planes, 1) : planes
    const resized = resizePlanes(grey, size.height, size.width)
    images.set(withChannels(resized, channels).data, i * outBytes)
    onImage?.()
  }
  return { count: split.count, channels, rows: size.height, cols: size.width, images, labels: split.labels }
}
