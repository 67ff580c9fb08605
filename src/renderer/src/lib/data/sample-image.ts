/*
 * Images of a `datasetSamples` answer ([N, C, H, W] bytes) as RGBA for a canvas: grey sets as grey, RGB
 * sets in colour. MNIST-like grey sets are shown as stored (white ink on black), not inverted.
 */

export interface SampleBatch {
  channels: number
  rows: number
  cols: number
  pixels: Uint8Array
}

export function sampleRgba(batch: SampleBatch, index: number): Uint8ClampedArray<ArrayBuffer> {
  const { channels, rows, cols, pixels } = batch
  const plane = rows * cols
  const base = index * channels * plane
  const out = new Uint8ClampedArray(plane * 4)
  for (let p = 0; p < plane; p++) {
    const r = pixels[base + p]
    out[p * 4] = r
    out[p * 4 + 1] = channels === 3 ? pixels[base + plane + p] : r
    out[p * 4 + 2] = channels === 3 ? pixels[base + 2 * plane + p] : r
    out[p * 4 + 3] = 255
  }
  return out
}
