import type { RunConfig } from '../config/run-config'

/** Settings beyond these are far outside what the course's experiments use, so they are named first. */
const LARGE_INIT_STD = 1
const LARGE_LAMBDA = 1

/** The message a run ends with when its loss stops being finite, naming the likely culprit. */
export function explainDivergence(iter: number, loss: number, config: RunConfig): string {
  const what = Number.isNaN(loss) ? 'NaN' : 'infinite'
  return `diverged at iteration ${iter}: the loss became ${what}. Likely cause: ${likelyCause(config)}`
}

function likelyCause(config: RunConfig): string {
  const { network, regularization, optimizer } = config
  if (network.init === 'gauss' && network.initStd >= LARGE_INIT_STD) {
    return `the initial weights' standard deviation (initStd = ${network.initStd}) is very large; try 0.01 or Xavier/He initialisation.`
  }
  if (regularization.kind !== 'none' && regularization.lambda >= LARGE_LAMBDA) {
    return `the weight decay (λ = ${regularization.lambda}) is very large; try 0.1 or less.`
  }
  return `the learning rate (lr = ${optimizer.lr}) is too high for this network; try a smaller one.`
}
