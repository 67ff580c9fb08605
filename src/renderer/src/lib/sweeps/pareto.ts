/** A point of the accuracy-against-cost scatter. */
export interface CostPoint {
  x: number
  y: number
}

/**
 * The Pareto front of "less cost, more accuracy": the points no other point beats on both (lower or equal
 * x and higher or equal y, better on one). Sorted by x, so it draws as a rising staircase.
 */
export function paretoFront<T extends CostPoint>(points: readonly T[]): T[] {
  const finite = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
  const sorted = [...finite].sort((a, b) => a.x - b.x || b.y - a.y)
  const front: T[] = []
  let best = -Infinity
  for (const p of sorted) {
    if (p.y > best) {
      front.push(p)
      best = p.y
    }
  }
  return front
}
