/**
 * How well a 2-D layout keeps labels together: the share of points whose k nearest other points (in the
 * layout) mostly carry their own label, and the share of all their neighbours that do.
 */
export function neighbourAgreement(points: Float64Array, labels: ArrayLike<number>, k = 5): { majority: number; share: number } {
  const n = points.length / 2
  let majority = 0
  let same = 0
  for (let i = 0; i < n; i++) {
    const nearest = nearestOthers(points, i, k)
    const agreeing = nearest.filter((j) => labels[j] === labels[i]).length
    same += agreeing
    if (agreeing * 2 > k) majority++
  }
  return { majority: majority / n, share: same / (n * k) }
}

export function nearestOthers(points: Float64Array, i: number, k: number): number[] {
  const n = points.length / 2
  const distances: Array<[number, number]> = []
  for (let j = 0; j < n; j++) if (j !== i) distances.push([(points[2 * i] - points[2 * j]) ** 2 + (points[2 * i + 1] - points[2 * j + 1]) ** 2, j])
  return distances
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .slice(0, k)
    .map(([, j]) => j)
}

/** Points in `dimensions` dimensions around `clusters` centres `gap` apart on the axes, unit Gaussian noise. */
export function gaussianClusters(random: { normal(): number }, clusters: number, perCluster: number, dimensions: number, gap: number) {
  const count = clusters * perCluster
  const rows = new Float64Array(count * dimensions)
  const labels = new Int32Array(count)
  for (let i = 0; i < count; i++) {
    labels[i] = i % clusters
    for (let j = 0; j < dimensions; j++) rows[i * dimensions + j] = random.normal() + (j === labels[i] ? gap : 0)
  }
  return { rows, count, dimensions, labels }
}
