import type { Precision } from '../core/dtype'
import { GroupNorm } from './group-norm'

/** Instance normalisation: every channel of every sample normalised over its own pixels — group norm with one channel per group. */
export class InstanceNorm extends GroupNorm {
  constructor(name: string, channels: number, precision: Precision, epsilon = 1e-6) {
    super(name, channels, channels, precision, epsilon)
  }
}
