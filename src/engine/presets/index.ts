import { EngineError } from '../protocol/error-codes'
import { CONVOLUTION_PRESETS } from './convolution'
import { MODEL_SCALING_PRESETS } from './model-scaling'
import { NORMALIZATION_PRESETS } from './normalization'
import { OPTIMIZER_PRESETS } from './optimizers'
import { OVERFITTING_PRESETS } from './overfitting'
import { OVERLAPPING_POOLING_PRESETS } from './overlapping-pooling'
import { SMALL_BATCH_PRESETS } from './small-batch-normalization'
import type { Preset } from './preset'
import { VANISHING_GRADIENT_PRESETS } from './vanishing-gradient'

export type { Preset } from './preset'

/** Every preset, in the order the gallery shows them (the course's lesson order). */
export const PRESETS: readonly Preset[] = [
  ...VANISHING_GRADIENT_PRESETS,
  ...NORMALIZATION_PRESETS,
  ...OPTIMIZER_PRESETS,
  ...OVERFITTING_PRESETS,
  ...CONVOLUTION_PRESETS,
  ...OVERLAPPING_POOLING_PRESETS,
  ...SMALL_BATCH_PRESETS,
  ...MODEL_SCALING_PRESETS
]

export function findPreset(id: string): Preset {
  const preset = PRESETS.find((p) => p.id === id)
  if (!preset) throw new EngineError('UNKNOWN_PRESET', `unknown preset "${id}"; known presets: ${PRESETS.map((p) => p.id).join(', ')}`)
  return preset
}
