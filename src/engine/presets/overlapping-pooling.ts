import { defineRunConfig, type LayerSpec, type RunConfig } from '../config/run-config'
import type { Preset } from './preset'

/**
 * AlexNet's overlapping pooling (Krizhevsky et al. 2012, §3.4), which the course report names: windows of
 * 3×3 at stride 2 overlap by one pixel, where the usual 2×2 at stride 2 tile the map. The paper reports
 * 0.4 % lower top-1 error on ImageNet and "slightly" less overfitting. The pair keeps everything else of
 * SimpleConvNet's run (notebook 2_6) but He initialisation, so only the pooling differs.
 */
const LESSON = 'convolution'

function config(pool: LayerSpec): RunConfig {
  return defineRunConfig({
    network: {
      kind: 'layers',
      layers: [
        { kind: 'conv2d', filters: 30, size: 5, stride: 1, pad: 0 },
        { kind: 'relu' },
        pool,
        { kind: 'affine', units: 100 },
        { kind: 'relu' },
        { kind: 'affine', units: 10 }
      ],
      init: 'he'
    },
    optimizer: { kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999 },
    batchSize: 100,
    iterations: 1000,
    evalInterval: 50,
    seed: 1,
    trainAccuracy: 'train-set',
    trainLimit: 5000
  })
}

const QUIRKS = [
  'Test accuracy is on every test image (2,000 in the bundled set) and train accuracy on the 5,000 training images, every 50 iterations: the gap between them is the overfitting the paper speaks of.',
  'Not from the course: the notebooks pool 2×2 at stride 2 only. The network is SimpleConvNet (notebook 2_6) with He initialisation.'
]

// Measured on the bundled data, float32: npx tsx src/cli/lab.ts grid --presets pool-2x2-s2,pool-3x3-s2 --seeds 3 --jobs 1 --threads 1 --json
export const OVERLAPPING_POOLING_PRESETS: Preset[] = [
  {
    id: 'pool-2x2-s2',
    lesson: LESSON,
    title: 'Pooling 2×2, stride 2 (no overlap)',
    summary:
      'SimpleConvNet pooling 2×2 windows at stride 2, which tile the 24×24 maps into 12×12: the baseline for overlapping pooling. ' +
      'Measured on the bundled data, seeds 1–3: test accuracy 0.960 ± 0.002, training 1.000.',
    description:
      'Conv 30×5×5 (28 → 24) → ReLU → MaxPool 2×2 stride 2 (→ 12×12) → Affine 4,320 → 100 → ReLU → Affine 100 → 10; He initialisation, Adam lr 0.001, batch 100, ' +
      '1,000 iterations on the first 5,000 training images.',
    quirks: QUIRKS,
    config: config({ kind: 'maxpool', size: 2, stride: 2, pad: 0 })
  },
  {
    id: 'pool-3x3-s2',
    lesson: LESSON,
    title: 'Overlapping pooling 3×3, stride 2 (AlexNet)',
    summary:
      'The same network pooling 3×3 windows at stride 2, which overlap by one pixel (24×24 → 11×11), as AlexNet does. ' +
      'Measured on the bundled data, seeds 1–3: test accuracy 0.970 ± 0.004 against 0.960 ± 0.002 without overlap, training 1.000 for both: one point better on the same network.',
    description:
      'Conv 30×5×5 (28 → 24) → ReLU → MaxPool 3×3 stride 2 (→ 11×11) → Affine 3,630 → 100 → ReLU → Affine 100 → 10; He initialisation, Adam lr 0.001, batch 100, ' +
      '1,000 iterations on the first 5,000 training images.',
    quirks: QUIRKS,
    config: config({ kind: 'maxpool', size: 3, stride: 2, pad: 0 })
  }
]
