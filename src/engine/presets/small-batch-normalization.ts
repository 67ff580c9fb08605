import { defineRunConfig, type LayerSpec, type RunConfig } from '../config/run-config'
import type { Preset } from './preset'

/*
 * The normalization lesson: where batch norm breaks and why. The course's report says batch norm needs a
 * batch of about 16 or more; layer, instance and group norm compute their statistics per image instead,
 * so a batch of 2 does not hurt them. Each network runs at batch 100 and at batch 2 with the same number
 * of images seen (12,000: 120 iterations of 100, 6,000 of 2).
 */
const LESSON = 'normalization'
const IMAGES_SEEN = 12_000

type MlpNorm = 'none' | 'batchnorm' | 'layernorm'
type ConvNorm = 'none' | 'batchnorm' | 'layernorm' | 'instancenorm' | 'groupnorm'

function schedule(batch: number): Pick<RunConfig, 'batchSize' | 'iterations' | 'evalInterval'> {
  const iterations = IMAGES_SEEN / batch
  return { batchSize: batch, iterations, evalInterval: iterations / 10 }
}

function mlpConfig(norm: MlpNorm, batch: number): RunConfig {
  return defineRunConfig({
    network: { kind: 'mlp', hidden: [100, 100], activation: 'relu', init: 'he', normalization: norm },
    optimizer: { kind: 'adam', lr: 0.001 },
    ...schedule(batch),
    seed: 1,
    trainAccuracy: 'train-set',
    evalSubset: 1000
  })
}

function normLayer(norm: ConvNorm): LayerSpec[] {
  switch (norm) {
    case 'none':
      return []
    case 'batchnorm':
      return [{ kind: 'batchnorm', mode: 'channel' }]
    case 'groupnorm':
      return [{ kind: 'groupnorm', groups: 4 }]
    default:
      return [{ kind: norm }]
  }
}

function convConfig(norm: ConvNorm, batch: number): RunConfig {
  const block = (filters: number): LayerSpec[] => [
    { kind: 'conv2d', filters, size: 3, pad: 1, stride: 1 },
    ...normLayer(norm),
    { kind: 'relu' },
    { kind: 'maxpool', size: 2, stride: 2, pad: 0 }
  ]
  return defineRunConfig({
    network: { kind: 'layers', init: 'he', layers: [...block(8), ...block(16), { kind: 'affine', units: 10 }] },
    optimizer: { kind: 'adam', lr: 0.001 },
    ...schedule(batch),
    seed: 1,
    trainAccuracy: 'train-set',
    evalSubset: 1000
  })
}

const NAMES: Record<ConvNorm, string> = {
  none: 'no normalization',
  batchnorm: 'batch norm',
  layernorm: 'layer norm',
  instancenorm: 'instance norm',
  groupnorm: 'group norm (4 groups)'
}
const SHORT: Record<ConvNorm, string> = { none: 'none', batchnorm: 'bn', layernorm: 'ln', instancenorm: 'in', groupnorm: 'gn' }

/** Measured with `lab grid` over seeds 1–3 on the bundled data (see the README's normalization lesson). */
const MEASURED: Record<string, string> = {}

const MLP_WHY =
  'The course\'s batch norm standardises each activation with the mean and variance of the current batch. With 2 images those are ' +
  'the two values themselves: every activation becomes ±1 in training, while inference uses running averages of such noisy statistics. ' +
  'Layer norm standardises each image over its own activations, so the batch size does not matter to it.'
const CONV_WHY =
  'Batch norm per channel pools its statistics over the batch and every position of the map (2 images × 28 × 28 = 1,568 values for the ' +
  'first layer), so even a batch of 2 gives it usable statistics; layer, instance and group norm use one image at a time.'

function mlpPreset(norm: MlpNorm, batch: number): Preset {
  const id = `norm-mlp-${SHORT[norm]}-b${batch}`
  return {
    id,
    lesson: LESSON,
    title: `MLP, ${NAMES[norm]}, batch ${batch}`,
    summary: `784-100-100-10 ReLU network with ${NAMES[norm]} at batch ${batch}. ${MEASURED[id] ?? ''}`.trim(),
    description:
      `A 784-100-100-10 ReLU network with He weights and Adam (lr 0.001), ${norm === 'none' ? 'without normalization' : `with ${NAMES[norm]} before each ReLU`}, ` +
      `trained at batch ${batch} for ${IMAGES_SEEN / batch} iterations, so it sees ${IMAGES_SEEN.toLocaleString('en')} images like every run of this lesson. ${MLP_WHY}`,
    quirks: [
      'Train accuracy is on the whole training set (intermediate evaluations on its first 1,000 images and 1,000 test images; the last on all).',
      "Batch norm here is the course's: statistics per activation over the batch only, running statistics from zero with momentum 0.9, ε 1e-6; γ and β are trained."
    ],
    config: mlpConfig(norm, batch)
  }
}

function convPreset(norm: ConvNorm, batch: number): Preset {
  const id = `norm-conv-${SHORT[norm]}-b${batch}`
  return {
    id,
    lesson: LESSON,
    title: `Conv net, ${NAMES[norm]}, batch ${batch}`,
    summary: `Small conv net with ${NAMES[norm]} at batch ${batch}. ${MEASURED[id] ?? ''}`.trim(),
    description:
      `conv 8 3×3 pad 1 → ${norm === 'none' ? '' : `${NAMES[norm]} → `}ReLU → max pool 2 → conv 16 3×3 pad 1 → ${norm === 'none' ? '' : `${NAMES[norm]} → `}ReLU → max pool 2 → affine 10, ` +
      `He weights, Adam (lr 0.001), batch ${batch} for ${IMAGES_SEEN / batch} iterations (${IMAGES_SEEN.toLocaleString('en')} images). ${CONV_WHY}`,
    quirks: ['Train accuracy is on the whole training set (intermediate evaluations on its first 1,000 images and 1,000 test images; the last on all).'],
    config: convConfig(norm, batch)
  }
}

export const SMALL_BATCH_PRESETS: Preset[] = [
  ...(['none', 'batchnorm', 'layernorm'] as const).flatMap((norm) => [mlpPreset(norm, 100), mlpPreset(norm, 2)]),
  ...(['none', 'batchnorm', 'layernorm', 'instancenorm', 'groupnorm'] as const).flatMap((norm) => [convPreset(norm, 100), convPreset(norm, 2)])
]
