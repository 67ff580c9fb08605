/**
 * How a [C, H, W] attribution becomes one H×W map. 'absolute': Σ_c |a_c| — for gradients, whose sign
 * says which way a pixel would move the class, not whether it counts. 'signed': Σ_c a_c — for the
 * attributions that add up to a difference of scores (gradient × input, integrated gradients), where
 * negative is evidence against the class.
 */
export type ChannelReduction = 'absolute' | 'signed'

export function sumChannels(values: ArrayLike<number>, shape: readonly [number, number, number], reduction: ChannelReduction): Float64Array {
  const [channels, height, width] = shape
  const plane = height * width
  const map = new Float64Array(plane)
  for (let c = 0; c < channels; c++) {
    for (let p = 0; p < plane; p++) {
      const v = values[c * plane + p]
      map[p] += reduction === 'absolute' ? Math.abs(v) : v
    }
  }
  return map
}
