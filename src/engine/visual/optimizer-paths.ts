import type { OptimizerSpec } from '../config/run-config'
import { makeParam } from '../layers/layer'
import { createOptimizer } from '../optimizers/create'
import type { Surface } from './surfaces'

// The settings of the lesson (which optimizers, their rates) are pure data the view reads before the
// optimizers themselves, with their kernels, are loaded.
export * from './path-settings'

/**
 * The path an optimizer takes on a two-variable surface, computed by the engine's own optimizer classes
 * (the code that trains the networks): the point is a Param of length 2, its gradient the surface's.
 */
export interface OptimizerPath {
  /** The start point, then one point per step taken: [x, y]. */
  points: Array<[number, number]>
  /**
   * Why the path ended before `steps`: 'left' = it went outside the plot window (drawn up to the first
   * point outside), 'diverged' = a coordinate stopped being finite. null: it took every step.
   */
  stopped: null | 'left' | 'diverged'
}

/** How far outside its window a path may go before it counts as gone (in window widths). */
const OUTSIDE_MARGIN = 0.5

export function optimizerPath(spec: OptimizerSpec, surface: Surface, steps: number, start: readonly [number, number] = surface.start): OptimizerPath {
  const optimizer = createOptimizer(spec)
  // A 2-D toy surface, not a network: float64 keeps its paths the textbook's.
  const param = makeParam('point', [2], true, 'float64')
  param.value[0] = start[0]
  param.value[1] = start[1]
  const points: Array<[number, number]> = [[start[0], start[1]]]
  for (let k = 0; k < steps; k++) {
    const [gx, gy] = surface.gradient(param.value[0], param.value[1])
    param.grad[0] = gx
    param.grad[1] = gy
    optimizer.step([param])
    const x = param.value[0]
    const y = param.value[1]
    if (!Number.isFinite(x) || !Number.isFinite(y)) return { points, stopped: 'diverged' }
    points.push([x, y])
    if (outside(surface, x, y)) return { points, stopped: 'left' }
  }
  return { points, stopped: null }
}

function outside(surface: Surface, x: number, y: number): boolean {
  const [x0, x1] = surface.xRange
  const [y0, y1] = surface.yRange
  const mx = (x1 - x0) * OUTSIDE_MARGIN
  const my = (y1 - y0) * OUTSIDE_MARGIN
  return x < x0 - mx || x > x1 + mx || y < y0 - my || y > y1 + my
}
