import type { OptimizerSpec } from '../config/run-config'
import { AdaGrad } from './adagrad'
import { Adam } from './adam'
import { Momentum } from './momentum'
import { Nesterov } from './nesterov'
import type { Optimizer } from './optimizer'
import { RmsProp } from './rmsprop'
import { Sgd } from './sgd'

export function createOptimizer(spec: OptimizerSpec): Optimizer {
  switch (spec.kind) {
    case 'sgd':
      return new Sgd(spec.lr)
    case 'momentum':
      return new Momentum(spec.lr, spec.momentum)
    case 'nesterov':
      return new Nesterov(spec.lr, spec.momentum)
    case 'adagrad':
      return new AdaGrad(spec.lr, spec.variant, spec.initialH)
    case 'rmsprop':
      return new RmsProp(spec.lr, spec.decay)
    case 'adam':
      return new Adam(spec.lr, spec.beta1, spec.beta2)
  }
}
