import type { OptimizerSpec } from '../config/run-config'
import { makeParam } from '../layers/layer'
import { createOptimizer } from '../optimizers/create'
import type { Surface, SurfaceId } from './surfaces'

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

export type PathOptimizer = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam'
export const PATH_OPTIMIZERS: readonly PathOptimizer[] = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']

/**
 * The book's learning rates for figure 6-8 (SGD 0.95, Momentum 0.1, AdaGrad 1.5, Adam 0.3); Nesterov as
 * Momentum, RMSProp small enough that its first step (about 10·lr per coordinate) stays in the window.
 */
export const DEFAULT_PATH_LR: Record<PathOptimizer, number> = {
  sgd: 0.95,
  momentum: 0.1,
  nesterov: 0.1,
  adagrad: 1.5,
  rmsprop: 0.15,
  adam: 0.3
}

/**
 * Learning rates per surface. The bowl's are the book's; the others were chosen so that the lesson shows
 * in the default number of steps: on the saddle SGD stalls near (0, 0) while the adaptive methods escape
 * downhill; in Rosenbrock's valley (gradients in the hundreds) every method needs a far smaller rate.
 */
export const SURFACE_PATH_LR: Record<SurfaceId, Record<PathOptimizer, number>> = {
  bowl: DEFAULT_PATH_LR,
  saddle: { sgd: 0.05, momentum: 0.02, nesterov: 0.02, adagrad: 0.5, rmsprop: 0.05, adam: 0.1 },
  rosenbrock: { sgd: 0.002, momentum: 0.001, nesterov: 0.0005, adagrad: 1, rmsprop: 0.05, adam: 0.2 }
}

/** The optimizer's full settings for a path: the book's constants (momentum 0.9, decay 0.99, β 0.9/0.999). */
export function pathOptimizerSpec(kind: PathOptimizer, lr: number): OptimizerSpec {
  switch (kind) {
    case 'sgd':
      return { kind, lr }
    case 'momentum':
    case 'nesterov':
      return { kind, lr, momentum: 0.9 }
    case 'adagrad':
      return { kind, lr, variant: 'book', initialH: 1e-4 }
    case 'rmsprop':
      return { kind, lr, decay: 0.99 }
    case 'adam':
      return { kind, lr, beta1: 0.9, beta2: 0.999 }
  }
}
