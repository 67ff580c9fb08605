/**
 * The optimizer-paths lesson's settings: which optimizers it draws and with what learning rates. Pure data,
 * apart from optimizer-paths.ts (which runs the engine's optimizers), so the view has them at once.
 */
import type { OptimizerSpec } from '../config/run-config'
import type { SurfaceId } from './surfaces'

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
