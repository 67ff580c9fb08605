import { defineRunConfig, type LayerSpec, type RunConfig } from '../config/run-config'
import type { Preset } from './preset'

const LESSON = 'convolution'

/**
 * Notebooks 2_6–2_8: the first 5,000 training and 1,000 test images as (1, 28, 28) maps, Adam with the
 * book's defaults (lr 0.001, β1 0.9, β2 0.999), batch 100, accuracy every 10 iterations on both whole
 * subsets.
 */
function config(layers: LayerSpec[], init: { init: 'gauss' | 'he'; initStd?: number }, iterations: number): RunConfig {
  return defineRunConfig({
    network: { kind: 'layers', layers, ...init },
    optimizer: { kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999 },
    batchSize: 100,
    iterations,
    evalInterval: 10,
    seed: 1,
    trainAccuracy: 'train-set',
    trainLimit: 5000,
    testLimit: 1000
  })
}

const conv = (filters: number, size: number, pad: number): LayerSpec => ({ kind: 'conv2d', filters, size, stride: 1, pad })
const relu: LayerSpec = { kind: 'relu' }
const pool: LayerSpec = { kind: 'maxpool', size: 2, stride: 2, pad: 0 }
const affine = (units: number): LayerSpec => ({ kind: 'affine', units })
const courseDropout: LayerSpec = { kind: 'dropout', ratio: 0.5, mode: 'course' }

const SUBSET_QUIRK =
  'Train accuracy is on all 5,000 training images and test accuracy on the first 1,000 test images, both every 10 iterations, as the notebook measures them ' +
  '(most of its time goes there; evalSubset or a larger evaluation interval makes it faster).'
const GAUSS_QUIRK = 'Kept: every weight, conv filters included, starts as 0.01 · N(0, 1) (weight_init_std=0.01), not He.'
const NO_EXTRA_LOSS =
  'Not kept: the notebook recomputes the loss after every update only to print it; the reported loss is the mini-batch loss before the update.'

export const CONVOLUTION_PRESETS: Preset[] = [
  {
    id: 'cnn-simple',
    lesson: LESSON,
    title: 'SimpleConvNet',
    // npx tsx src/cli/lab.ts grid --presets cnn-simple --seeds 3 --jobs 1 --threads 1 --json
    summary:
      'One convolution (30 filters 5×5), max pooling and two affine layers, 1,000 iterations. Measured on the bundled data, seeds 1–3: ' +
      'test accuracy 0.942 ± 0.005 (on the first 1,000 test images), training 0.989 ± 0.004 (on the 5,000 training images).',
    description:
      'Notebook 2_6: Conv 30×5×5 (stride 1, pad 0, 28 → 24) → ReLU → MaxPool 2×2 stride 2 (→ 12) → Affine 4,320 → 100 → ReLU → Affine 100 → 10, ' +
      'Adam lr 0.001, batch 100, 1,000 iterations on the first 5,000 training images.',
    quirks: [SUBSET_QUIRK, GAUSS_QUIRK, NO_EXTRA_LOSS],
    config: config([conv(30, 5, 0), relu, pool, affine(100), relu, affine(10)], { init: 'gauss', initStd: 0.01 }, 1000)
  },
  {
    id: 'cnn-double',
    lesson: LESSON,
    title: 'DoubleConvNet',
    summary: 'Two convolutions, each followed by pooling; 100 iterations as the notebook runs it.',
    description:
      'Notebook 2_7: Conv 10×7×7 pad 1 (28 → 24) → ReLU → MaxPool 2 (→ 12) → Conv 20×3×3 pad 1 (→ 12) → ReLU → MaxPool 2 (→ 6) → ' +
      'Affine 720 → 100 → ReLU → Affine 100 → 10, Adam lr 0.001, batch 100.',
    quirks: [
      SUBSET_QUIRK,
      GAUSS_QUIRK,
      'Kept: 100 iterations, as the notebook sets them "because it takes time"; its commented-out value is 1,000 (use --iters 1000).',
      NO_EXTRA_LOSS
    ],
    config: config([conv(10, 7, 1), relu, pool, conv(20, 3, 1), relu, pool, affine(100), relu, affine(10)], { init: 'gauss', initStd: 0.01 }, 100)
  },
  {
    id: 'cnn-double-nopool',
    lesson: LESSON,
    title: 'DoubleConvNet without the first pooling',
    summary: "The notebook's answer: conv − ReLU − conv − ReLU − pool, hidden layer of 50.",
    description:
      'Notebook 2_7, answer to its "[try]": the first pooling removed — Conv 10×7×7 pad 1 (28 → 24) → ReLU → Conv 20×3×3 pad 1 (→ 24) → ReLU → ' +
      'MaxPool 2 (→ 12) → Affine 2,880 → 50 → ReLU → Affine 50 → 10, Adam lr 0.001, batch 100.',
    quirks: [
      SUBSET_QUIRK,
      GAUSS_QUIRK,
      'Kept: 100 iterations and hidden_size=50, as in the answer notebook (use --iters 1000 for the longer run).',
      NO_EXTRA_LOSS
    ],
    config: config([conv(10, 7, 1), relu, conv(20, 3, 1), relu, pool, affine(50), relu, affine(10)], { init: 'gauss', initStd: 0.01 }, 100)
  },
  {
    id: 'cnn-deep',
    lesson: LESSON,
    title: 'DeepConvNet',
    // npx tsx src/cli/lab.ts grid --presets cnn-deep --seeds 3 --jobs 1 --threads 1 --json (about 9 minutes a seed on one thread)
    summary:
      "Six 3×3 convolutions, three poolings, dropout: the course report's best result (the course printed 0.982 test accuracy). " +
      'Measured on the bundled data, seeds 1–3: test accuracy 0.979 ± 0.001 (on the first 1,000 test images), training 0.996 ± 0.001 (on the 5,000 training images).',
    description:
      "Notebook 2_8 (the book's ch08 DeepConvNet): Conv 16 → Conv 16 → Pool → Conv 32 → Conv 32 (pad 2) → Pool → Conv 64 → Conv 64 → Pool, " +
      'all 3×3 stride 1 with ReLU after each, then Affine 1,024 → 50 → ReLU → Dropout 0.5 → Affine 50 → 10 → Dropout 0.5; ' +
      'He initialisation per layer, Adam lr 0.001, batch 100, 1,000 iterations.',
    quirks: [
      SUBSET_QUIRK,
      "Kept: a dropout after the final Affine, on the class scores themselves, as the book's DeepConvNet has it.",
      "Kept: the course's dropout — no rescaling in training, outputs × 0.5 at test time (dropout mode 'course').",
      'Kept: the fourth convolution pads by 2 (14 → 16), so the maps are 8×8 and then 4×4 after the last pooling (64·4·4 = 1,024 inputs to the Affine).',
      "He weights per layer with fan_in = C·3·3 for the convolutions and 1,024, 50 for the affine layers (the book's pre_node_nums).",
      'The reported loss is the mini-batch loss with dropout on (training mode), as the notebook computes it.'
    ],
    config: config(
      // prettier-ignore
      [
        conv(16, 3, 1), relu, conv(16, 3, 1), relu, pool,
        conv(32, 3, 1), relu, conv(32, 3, 2), relu, pool,
        conv(64, 3, 1), relu, conv(64, 3, 1), relu, pool,
        affine(50), relu, courseDropout, affine(10), courseDropout
      ],
      { init: 'he' },
      1000
    )
  }
]
