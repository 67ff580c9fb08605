/**
 * The most weights and biases one network may have, checked from shapes alone before any weight is made.
 * A module of its own (not in memory-budget.ts, which looks at built layers) so the pure planning modules
 * can check it without importing a layer.
 */

/** Weights and biases of the whole network. 20 M float64 values: 160 MB, ×4 with gradients and Adam's moments. */
export const MAX_PARAMETERS = 20_000_000

export function parameterLimitProblem(total: number): string | null {
  return total > MAX_PARAMETERS
    ? `the network would have ${total.toLocaleString('en-US')} weights and biases; at most ${MAX_PARAMETERS.toLocaleString('en-US')} fit in the engine's memory (use fewer or smaller layers)`
    : null
}
