import { allocateFloats, precisionOf, type FloatArray } from '../core/dtype'
import type { Random } from '../core/random'
import type { Param } from '../layers/layer'

/*
 * Filter-normalized random directions (Li, Xu, Taylor, Studer & Goldstein 2018, "Visualizing the loss
 * landscape of neural nets", §4): a Gaussian direction d with the weights' shape, rescaled filter by
 * filter so that ‖d_f‖ = ‖w_f‖. Without it, the plot's scale would depend on the weights' scale (which
 * batch norm and weight decay change freely) rather than on the loss's shape. Biases and normalisation
 * parameters get a zero direction, as in the paper's default.
 *
 * A "filter" is one conv filter (all C·FH·FW weights of output channel f of a [F, C, FH, FW] weight), and
 * for an affine weight [in, out] the weights into one unit (a column), a conv filter of size 1×1.
 */

/** Which filter value k of a weight of this shape belongs to. */
export function filterOf(shape: readonly number[], k: number): number {
  if (shape.length === 4) return Math.floor(k / (shape[1] * shape[2] * shape[3]))
  if (shape.length === 2) return k % shape[1]
  return 0
}

export function filterCount(shape: readonly number[]): number {
  if (shape.length === 4) return shape[0]
  if (shape.length === 2) return shape[1]
  return 1
}

/** The Euclidean norm of every filter of a weight. */
export function filterNorms(shape: readonly number[], values: ArrayLike<number>): Float64Array {
  const sums = new Float64Array(filterCount(shape))
  for (let k = 0; k < values.length; k++) sums[filterOf(shape, k)] += values[k] * values[k]
  return sums.map(Math.sqrt)
}

/** One direction per parameter, in `params` order. */
export function filterNormalizedDirection(params: readonly Param[], random: Random): FloatArray[] {
  return params.map((param) => {
    const d = allocateFloats(precisionOf(param.value), param.value.length)
    if (!param.isWeight) return d
    for (let k = 0; k < d.length; k++) d[k] = random.normal()
    const dNorms = filterNorms(param.shape, d)
    const wNorms = filterNorms(param.shape, param.value)
    for (let k = 0; k < d.length; k++) {
      const f = filterOf(param.shape, k)
      // A filter of all zeros (e.g. pruned by L1) stays where it is: its direction is zero too.
      d[k] = dNorms[f] > 0 ? (d[k] * wNorms[f]) / dNorms[f] : 0
    }
    return d
  })
}
