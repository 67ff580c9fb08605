import type { FloatArray } from '../core/dtype'
import type { ConvGeometry } from './conv-shape'

/**
 * The course's col2im: the adjoint of im2col, not its inverse. Every entry of the (N·OH·OW, C·FH·FW)
 * matrix is added back to the input pixel it was read from, so a pixel covered by k windows receives
 * the sum of k entries; entries that came from the zero padding are dropped (the course crops them).
 * This is exactly how a convolution's gradient flows back to its input.
 */
export function col2im(col: FloatArray, g: ConvGeometry, x: FloatArray): void {
  const { n, c, h, w, fh, fw, stride, pad, oh, ow } = g
  const plane = h * w
  x.fill(0, 0, n * c * plane)
  let k = 0
  for (let img = 0; img < n; img++) {
    const imageBase = img * c * plane
    for (let oy = 0; oy < oh; oy++) {
      const top = oy * stride - pad
      for (let ox = 0; ox < ow; ox++) {
        const left = ox * stride - pad
        for (let ch = 0; ch < c; ch++) {
          const channelBase = imageBase + ch * plane
          for (let ky = 0; ky < fh; ky++) {
            const y = top + ky
            if (y < 0 || y >= h) {
              k += fw
              continue
            }
            const rowBase = channelBase + y * w
            for (let kx = 0; kx < fw; kx++) {
              const xx = left + kx
              if (xx >= 0 && xx < w) x[rowBase + xx] += col[k]
              k++
            }
          }
        }
      }
    }
  }
}
