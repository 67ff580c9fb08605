import type { FloatArray } from '../core/dtype'
import type { ConvGeometry } from './conv-shape'

/**
 * The course's im2col: unrolls every FH×FW window of a zero-padded (N, C, H, W) input into one row of a
 * (N·OH·OW, C·FH·FW) matrix. Rows run over images, then output rows, then output columns; within a row
 * the columns run over channels, then filter rows, then filter columns — the order of numpy's
 * transpose(0, 4, 5, 1, 2, 3).reshape(N·OH·OW, −1), so a convolution is one matrix product with the
 * filters reshaped to (FN, C·FH·FW).
 *
 * The padding is never materialised: a window element outside the input reads as 0.
 */
export function im2col(x: FloatArray, g: ConvGeometry, col: FloatArray): void {
  const { n, c, h, w, fh, fw, stride, pad, oh, ow } = g
  const plane = h * w
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
              for (let kx = 0; kx < fw; kx++) col[k++] = 0
              continue
            }
            const rowBase = channelBase + y * w
            for (let kx = 0; kx < fw; kx++) {
              const xx = left + kx
              col[k++] = xx >= 0 && xx < w ? x[rowBase + xx] : 0
            }
          }
        }
      }
    }
  }
}
