import type { OptimizerSpec } from '../config/run-config'
import type { Optimizer } from './optimizer'
import { Sgd } from './sgd'

export function createOptimizer(spec: OptimizerSpec): Optimizer {
  switch (spec.kind) {
    case 'sgd':
      return new Sgd(spec.lr)
  }
}
