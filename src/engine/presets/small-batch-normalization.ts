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

/**
 * Measured with `lab grid` over seeds 1–3 on the bundled data, float32 (the default precision):
 * `npx tsx src/cli/lab.ts grid --presets <the 16 norm-* ids> --seeds 3 --jobs 1 --threads 1 --json`. The batch-100 runs give
 * the figures the README's normalization lesson lists (measured in float64); at batch 2, over 6,000 steps, float32 ends elsewhere.
 */
const MEASURED: Record<string, string> = {
  'norm-mlp-none-b100': 'Measured (seeds 1–3, bundled data): test accuracy 0.908 ± 0.004; at the same batch batch norm 0.916, layer norm 0.916.',
  'norm-mlp-none-b2': 'Measured (seeds 1–3, bundled data): test accuracy 0.916 ± 0.006; at the same batch batch norm 0.675, layer norm 0.914.',
  'norm-mlp-bn-b100': 'Measured (seeds 1–3, bundled data): test accuracy 0.916 ± 0.003; at the same batch none 0.908, layer norm 0.916.',
  'norm-mlp-bn-b2': 'Measured (seeds 1–3, bundled data): test accuracy 0.675 ± 0.030; at the same batch none 0.916, layer norm 0.914.',
  'norm-mlp-ln-b100': 'Measured (seeds 1–3, bundled data): test accuracy 0.916 ± 0.002; at the same batch none 0.908, batch norm 0.916.',
  'norm-mlp-ln-b2': 'Measured (seeds 1–3, bundled data): test accuracy 0.914 ± 0.008; at the same batch none 0.916, batch norm 0.675.',
  'norm-conv-none-b100':
    'Measured (seeds 1–3, bundled data): test accuracy 0.887 ± 0.008; at the same batch batch norm 0.904, layer norm 0.914, instance norm 0.906, group norm 0.910.',
  'norm-conv-none-b2':
    'Measured (seeds 1–3, bundled data): test accuracy 0.951 ± 0.006; at the same batch batch norm 0.953, layer norm 0.947, instance norm 0.950, group norm 0.956.',
  'norm-conv-bn-b100':
    'Measured (seeds 1–3, bundled data): test accuracy 0.904 ± 0.013; at the same batch none 0.887, layer norm 0.914, instance norm 0.906, group norm 0.910.',
  'norm-conv-bn-b2':
    'Measured (seeds 1–3, bundled data): test accuracy 0.953 ± 0.009; at the same batch none 0.951, layer norm 0.947, instance norm 0.950, group norm 0.956.',
  'norm-conv-ln-b100':
    'Measured (seeds 1–3, bundled data): test accuracy 0.914 ± 0.014; at the same batch none 0.887, batch norm 0.904, instance norm 0.906, group norm 0.910.',
  'norm-conv-ln-b2':
    'Measured (seeds 1–3, bundled data): test accuracy 0.947 ± 0.003; at the same batch none 0.951, batch norm 0.953, instance norm 0.950, group norm 0.956.',
  'norm-conv-in-b100':
    'Measured (seeds 1–3, bundled data): test accuracy 0.906 ± 0.006; at the same batch none 0.887, batch norm 0.904, layer norm 0.914, group norm 0.910.',
  'norm-conv-in-b2':
    'Measured (seeds 1–3, bundled data): test accuracy 0.950 ± 0.009; at the same batch none 0.951, batch norm 0.953, layer norm 0.947, group norm 0.956.',
  'norm-conv-gn-b100':
    'Measured (seeds 1–3, bundled data): test accuracy 0.910 ± 0.010; at the same batch none 0.887, batch norm 0.904, layer norm 0.914, instance norm 0.906.',
  'norm-conv-gn-b2':
    'Measured (seeds 1–3, bundled data): test accuracy 0.956 ± 0.005; at the same batch none 0.951, batch norm 0.953, layer norm 0.947, instance norm 0.950.'
}

const MLP_WHY =
  'Measured over 3 seeds: at batch 2 batch norm falls to 0.675 test accuracy while layer norm (0.914) and no normalization (0.916) do not ' +
  "suffer; at batch 100 all three are near 0.91. The course's batch norm standardises each activation with the mean and variance of the " +
  'current batch. With 2 images those are the two values themselves: every activation becomes ±1 in training, while inference uses ' +
  'running averages of such noisy statistics. Layer norm standardises each image over its own activations, so the batch size does not ' +
  'matter to it.'
const CONV_WHY =
  'Measured over 3 seeds: at batch 2 every variant reaches about 0.95 (batch norm 0.953, group norm 0.956, none 0.951, layer norm 0.947, ' +
  'instance norm 0.950): batch norm per channel pools its statistics over the batch and every position of the map (2 images × 28 × 28 = ' +
  "1,568 values for the first layer), so even a batch of 2 gives it usable statistics, unlike the MLP's per-activation batch norm. Layer, " +
  'instance and group norm use one image at a time. At batch 100 the same 12,000 images are only 120 updates, so every variant ends lower ' +
  '(0.89–0.91).'

function mlpPreset(norm: MlpNorm, batch: number): Preset {
  const id = `norm-mlp-${SHORT[norm]}-b${batch}`
  return {
    id,
    lesson: LESSON,
    title: `MLP, ${NAMES[norm]}, batch ${batch}`,
    summary: `784-100-100-10 ReLU network with ${NAMES[norm]} at batch ${batch}. ${MEASURED[id] ?? ''}`.trim(),
    description:
      `A 784-100-100-10 ReLU network with He weights and Adam (lr 0.001), ${norm === 'none' ? 'without normalization' : `with ${NAMES[norm]} before each ReLU`}, ` +
      `trained at batch ${batch} for ${(IMAGES_SEEN / batch).toLocaleString('en')} iterations, so it sees ${IMAGES_SEEN.toLocaleString('en')} images like every run of this lesson. ${MLP_WHY}`,
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
      `He weights, Adam (lr 0.001), batch ${batch} for ${(IMAGES_SEEN / batch).toLocaleString('en')} iterations (${IMAGES_SEEN.toLocaleString('en')} images). ${CONV_WHY}`,
    quirks: ['Train accuracy is on the whole training set (intermediate evaluations on its first 1,000 images and 1,000 test images; the last on all).'],
    config: convConfig(norm, batch)
  }
}

export const SMALL_BATCH_PRESETS: Preset[] = [
  ...(['none', 'batchnorm', 'layernorm'] as const).flatMap((norm) => [mlpPreset(norm, 100), mlpPreset(norm, 2)]),
  ...(['none', 'batchnorm', 'layernorm', 'instancenorm', 'groupnorm'] as const).flatMap((norm) => [convPreset(norm, 100), convPreset(norm, 2)])
]
