import { defineRunConfig, type Activation, type InitKind, type RunConfig } from '../config/run-config'
import type { Preset } from './preset'

/**
 * Notebook 2_2_2 (vanishing_gradient_modified): MultiLayerNet 784-40-20-10, SGD lr 0.1, batch 100,
 * 2,000 iterations, evaluated every 10; train accuracy on the current batch after its update.
 */
function vanishingGradientConfig(activation: Activation, init: InitKind): RunConfig {
  return defineRunConfig({
    network: { kind: 'mlp', hidden: [40, 20], activation, init, initStd: 0.01 },
    optimizer: { kind: 'sgd', lr: 0.1 },
    batchSize: 100,
    iterations: 2000,
    evalInterval: 10,
    seed: 1,
    trainAccuracy: 'batch-after-update'
  })
}

const INIT_NAMES: Record<InitKind, string> = { gauss: 'Gaussian (std 0.01)', xavier: 'Xavier', he: 'He' }
const ACTIVATION_NAMES: Record<Activation, string> = { relu: 'ReLU', sigmoid: 'sigmoid', tanh: 'tanh' }

const SHARED_QUIRKS = [
  'Train accuracy is measured on the current mini-batch of 100 after its update, as notebook 2_2_2 does, so it moves in steps of 0.01 and is noisy.',
  'Mini-batches are drawn with replacement every iteration (no epochs), as the course does; the run is seeded, the course is not.'
]

function vanishingGradientPreset(id: string, activation: Activation, init: InitKind, lesson: string, outcome: string, courseTry = false): Preset {
  const name = `${ACTIVATION_NAMES[activation]} + ${INIT_NAMES[init]}`
  return {
    id,
    lesson,
    title: name,
    summary: outcome,
    description:
      `Notebook 2_2_2${courseTry ? ' ("[try]" cell)' : ''}: a 784-40-20-10 network with ${ACTIVATION_NAMES[activation]} hidden layers and ` +
      `${INIT_NAMES[init]} initial weights, trained with SGD (lr 0.1, batch 100) for 2,000 iterations. ${outcome}`,
    quirks: [...SHARED_QUIRKS],
    config: vanishingGradientConfig(activation, init)
  }
}

const LESSON = 'vanishing-gradient'

/**
 * Measured on the bundled data (8,000 / 2,000 images), seeds 1–3, float32 (the default precision):
 * `npx tsx src/cli/lab.ts grid --presets vg-sigmoid-gauss,vg-relu-gauss,vg-sigmoid-xavier,vg-relu-he,vg-relu-xavier,vg-sigmoid-he --seeds 3 --jobs 1 --threads 1 --json`
 * (test accuracy, mean ± sd over the seeds).
 */
const MEASURED = 'Measured on the bundled data, seeds 1–3: test accuracy'

export const VANISHING_GRADIENT_PRESETS: Preset[] = [
  vanishingGradientPreset(
    'vg-sigmoid-gauss',
    'sigmoid',
    'gauss',
    LESSON,
    `The gradient vanishes before it reaches the first layer: the network predicts one class for every image. ${MEASURED} 0.106 ± 0.005.`
  ),
  vanishingGradientPreset(
    'vg-relu-gauss',
    'relu',
    'gauss',
    LESSON,
    `ReLU keeps the gradient alive even with tiny initial weights; it learns, a little slower than with He. ${MEASURED} 0.910 ± 0.002 (He: 0.932 ± 0.006).`
  ),
  vanishingGradientPreset(
    'vg-sigmoid-xavier',
    'sigmoid',
    'xavier',
    LESSON,
    `Xavier scaling lets sigmoid learn, but more slowly than ReLU. ${MEASURED} 0.877 ± 0.009.`
  ),
  vanishingGradientPreset('vg-relu-he', 'relu', 'he', LESSON, `The combination that works: ReLU with He initialisation. ${MEASURED} 0.932 ± 0.006.`),
  vanishingGradientPreset(
    'vg-relu-xavier',
    'relu',
    'xavier',
    LESSON,
    `ReLU with Xavier initialisation: close to He (the course printed 0.9502). ${MEASURED} 0.930 ± 0.007 (He: 0.932 ± 0.006).`,
    true
  ),
  vanishingGradientPreset(
    'vg-sigmoid-he',
    'sigmoid',
    'he',
    LESSON,
    `Sigmoid with He initialisation: larger weights than Xavier for a saturating activation. ${MEASURED} 0.898 ± 0.002 (Xavier: 0.877 ± 0.009).`,
    true
  )
]
