/**
 * Two-variable functions for the optimizer-paths lesson: each with its gradient, a start point and the
 * window it is drawn in. The first is the book's figure 6-8 surface.
 */
export type SurfaceId = 'bowl' | 'saddle' | 'rosenbrock'

export interface Surface {
  readonly id: SurfaceId
  value(x: number, y: number): number
  gradient(x: number, y: number): [number, number]
  readonly start: readonly [number, number]
  /** Plot window: x from xRange[0] to xRange[1], y likewise. */
  readonly xRange: readonly [number, number]
  readonly yRange: readonly [number, number]
  /** Where the contour lines are drawn (levels of f); chosen per surface so they spread over the window. */
  readonly levels: readonly number[]
  /** The minimum (or, for the saddle, its stationary point), marked on the plot. */
  readonly target: readonly [number, number]
  /** Whether f has a minimum: on the saddle, a path that leaves the plot escaped downhill, it did not diverge. */
  readonly bounded: boolean
  /** Steps shown when the surface is picked. */
  readonly steps: number
}

/** f(x, y) = x²/20 + y², from (−7, 2): steep in y, shallow in x. */
export const BOWL: Surface = {
  id: 'bowl',
  value: (x, y) => (x * x) / 20 + y * y,
  gradient: (x, y) => [x / 10, 2 * y],
  start: [-7, 2],
  xRange: [-10, 10],
  yRange: [-5, 5],
  levels: [0.05, 0.2, 0.5, 1, 2, 3.5, 5, 7, 10, 14, 19, 25],
  target: [0, 0],
  bounded: true,
  steps: 30
}

/** f(x, y) = x² − y², from (−4, 0.01): plain SGD slides to the flat middle and barely leaves it. */
export const SADDLE: Surface = {
  id: 'saddle',
  value: (x, y) => x * x - y * y,
  gradient: (x, y) => [2 * x, -2 * y],
  start: [-4, 0.01],
  xRange: [-5, 5],
  yRange: [-5, 5],
  levels: [-20, -15, -10, -6, -3, -1, -0.25, 0.25, 1, 3, 6, 10, 15, 20],
  target: [0, 0],
  bounded: false,
  steps: 30
}

/** Rosenbrock's valley f = (1 − x)² + 100(y − x²)², from (−1.5, 2): a curved, narrow valley to (1, 1). */
export const ROSENBROCK: Surface = {
  id: 'rosenbrock',
  value: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  gradient: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  start: [-1.5, 2],
  xRange: [-2, 2],
  yRange: [-1, 3],
  levels: [0.5, 2, 5, 10, 25, 50, 100, 200, 400, 700, 1000],
  target: [1, 1],
  bounded: true,
  steps: 100
}

export const SURFACES: Record<SurfaceId, Surface> = { bowl: BOWL, saddle: SADDLE, rosenbrock: ROSENBROCK }

/** The surface sampled on an nx × ny grid over its window, row-major from the bottom row (y = yRange[0]). */
export function sampleSurface(surface: Surface, nx: number, ny: number): Float64Array {
  const out = new Float64Array(nx * ny)
  const [x0, x1] = surface.xRange
  const [y0, y1] = surface.yRange
  for (let j = 0; j < ny; j++) {
    const y = y0 + ((y1 - y0) * j) / (ny - 1)
    for (let i = 0; i < nx; i++) out[j * nx + i] = surface.value(x0 + ((x1 - x0) * i) / (nx - 1), y)
  }
  return out
}
