/** Ranks 1…n with ties given their mean rank. */
export function ranks(values: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b])
  const result = new Float64Array(values.length)
  for (let start = 0; start < order.length;) {
    let end = start
    while (end + 1 < order.length && values[order[end + 1]] === values[order[start]]) end++
    const rank = (start + end) / 2 + 1
    for (let k = start; k <= end; k++) result[order[k]] = rank
    start = end + 1
  }
  return result
}

/** Spearman's ρ: Pearson's correlation of the ranks (ties averaged). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = ranks(a)
  const rb = ranks(b)
  const n = ra.length
  const mean = (n + 1) / 2
  let cov = 0
  let va = 0
  let vb = 0
  for (let i = 0; i < n; i++) {
    cov += (ra[i] - mean) * (rb[i] - mean)
    va += (ra[i] - mean) ** 2
    vb += (rb[i] - mean) ** 2
  }
  return cov / Math.sqrt(va * vb)
}
