/**
 * The geometry of L1 and L2 regularisation in two dimensions, for the Regularization view.
 *
 * The loss is a quadratic bowl L(w) = ½ (w − w*)ᵀ A (w − w*) with A = [[a, b], [b, c]] positive definite.
 * Weight decay with strength λ is equivalent to minimising L inside a ball ‖w‖ ≤ t (a larger λ, a smaller t):
 * the L1 ball is a diamond, the L2 ball a circle. The constrained optimum is where the smallest contour of L
 * touches the ball; the diamond's corners sit on the axes, so it is often touched there (one weight exactly
 * 0: sparsity), while the round circle is touched where both weights are non-zero.
 */

export type Vec2 = [number, number]

export interface Quadratic {
  /** The unconstrained optimum w*. */
  center: Vec2
  a: number
  b: number
  c: number
}

export function loss(q: Quadratic, w: Vec2): number {
  const dx = w[0] - q.center[0]
  const dy = w[1] - q.center[1]
  return 0.5 * (q.a * dx * dx + 2 * q.b * dx * dy + q.c * dy * dy)
}

export function gradient(q: Quadratic, w: Vec2): Vec2 {
  const dx = w[0] - q.center[0]
  const dy = w[1] - q.center[1]
  return [q.a * dx + q.b * dy, q.b * dx + q.c * dy]
}

/** Whether A is positive definite (the bowl has a single lowest point). */
export function isPositiveDefinite(q: Quadratic): boolean {
  return q.a > 0 && q.a * q.c - q.b * q.b > 0
}

/** The largest eigenvalue of A: 1/λmax is a safe gradient step. */
export function largestEigenvalue(q: Quadratic): number {
  const mean = (q.a + q.c) / 2
  return mean + Math.sqrt(((q.a - q.c) / 2) ** 2 + q.b * q.b)
}

/** Euclidean projection onto the L2 ball of radius t. */
export function projectL2(w: Vec2, t: number): Vec2 {
  const n = Math.hypot(w[0], w[1])
  return n <= t ? [w[0], w[1]] : [(w[0] * t) / n, (w[1] * t) / n]
}

/** Euclidean projection onto the L1 ball of radius t: soft-thresholding by the θ that lands on the diamond. */
export function projectL1(w: Vec2, t: number): Vec2 {
  const u0 = Math.abs(w[0])
  const u1 = Math.abs(w[1])
  if (u0 + u1 <= t) return [w[0], w[1]]
  const [big, small] = u0 >= u1 ? [u0, u1] : [u1, u0]
  let theta = (big + small - t) / 2
  if (small - theta <= 0) theta = big - t
  return [Math.sign(w[0]) * Math.max(u0 - theta, 0), Math.sign(w[1]) * Math.max(u1 - theta, 0)]
}

export type Norm = 'l1' | 'l2'

/**
 * The minimum of L inside the ball ‖w‖ ≤ t, by projected gradient descent (convex: it converges to the one
 * optimum). Values within 1e-9 of zero are reported as exactly 0.
 */
export function constrainedOptimum(q: Quadratic, norm: Norm, t: number, iterations = 20000): Vec2 {
  const project = norm === 'l1' ? projectL1 : projectL2
  const step = 1 / largestEigenvalue(q)
  let w = project([0, 0], t)
  for (let i = 0; i < iterations; i++) {
    const g = gradient(q, w)
    const next = project([w[0] - step * g[0], w[1] - step * g[1]], t)
    const moved = Math.abs(next[0] - w[0]) + Math.abs(next[1] - w[1])
    w = next
    if (moved < 1e-13) break
  }
  return [Math.abs(w[0]) < 1e-9 ? 0 : w[0], Math.abs(w[1]) < 1e-9 ? 0 : w[1]]
}

/** The points of the contour L(w) = level: w* + r(φ)·(cos φ, sin φ) with ½ r² dᵀAd = level. */
export function contour(q: Quadratic, level: number, steps = 120): Vec2[] {
  const out: Vec2[] = []
  for (let i = 0; i < steps; i++) {
    const phi = (2 * Math.PI * i) / steps
    const d: Vec2 = [Math.cos(phi), Math.sin(phi)]
    const curvature = q.a * d[0] * d[0] + 2 * q.b * d[0] * d[1] + q.c * d[1] * d[1]
    const r = Math.sqrt((2 * Math.max(level, 0)) / curvature)
    out.push([q.center[0] + r * d[0], q.center[1] + r * d[1]])
  }
  return out
}

/** Which weights are exactly zero: the sparsity the L1 corner gives. */
export function zeroWeights(w: Vec2): number[] {
  return [0, 1].filter((i) => w[i] === 0)
}

/** The view's starting point: an elongated, slightly tilted bowl whose L1 optimum lands on the w₁ axis. */
export const DEFAULT_QUADRATIC: Quadratic = { center: [2, 0.8], a: 2, b: 0.3, c: 1 }
export const DEFAULT_RADIUS = 1
