import type { PresetSummary } from '@engine/protocol'
import type { RunRequest } from '@renderer/stores/current-run'

/** Iterations of the Convolution view's quick run: enough for filters to take shape, in seconds. */
export const SHORT_CONV_ITERATIONS = 100

/**
 * cnn-simple with a short schedule: 100 iterations, evaluated at the end (and at 50 on a 200-image subset), so
 * the view has a trained network to show without the course's 6,000-image evaluation every 10 iterations.
 */
export function shortConvRequest(preset: PresetSummary): RunRequest {
  return {
    config: { ...preset.config, iterations: SHORT_CONV_ITERATIONS, evalInterval: 50, evalSubset: 200 },
    presetId: preset.id,
    custom: true
  }
}
