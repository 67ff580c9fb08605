import type { RunConfig } from '../config/run-config'

/** The message a run ends with when its loss stops being finite, naming the likely culprit. */
export function explainDivergence(iter: number, loss: number, config: RunConfig): string {
  const what = Number.isNaN(loss) ? 'NaN' : 'infinite'
  return `diverged at iteration ${iter}: the loss became ${what}. Likely cause: the learning rate (lr = ${config.optimizer.lr}) is too high for this network; try a smaller one.`
}
