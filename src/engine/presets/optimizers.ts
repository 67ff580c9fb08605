import { defineRunConfig, type OptimizerSpec } from '../config/run-config'
import type { Preset } from './preset'

const LESSON = 'optimizers'

/**
 * Notebook 2_4: MultiLayerNet 784-40-20-10, sigmoid, Gaussian std 0.01 weights, no batch norm, batch 100,
 * 1,000 iterations; train accuracy on the batch after its update.
 */
function config(optimizer: OptimizerSpec) {
  return defineRunConfig({
    network: { kind: 'mlp', hidden: [40, 20], activation: 'sigmoid', init: 'gauss', initStd: 0.01 },
    optimizer,
    batchSize: 100,
    iterations: 1000,
    evalInterval: 10,
    seed: 1,
    trainAccuracy: 'batch-after-update'
  })
}

const SHARED = 'Notebook 2_4: a 784-40-20-10 sigmoid network with Gaussian (std 0.01) weights, batch 100, 1,000 iterations'
/**
 * Measured on the bundled data, seeds 1–3, float32 (test accuracy, mean ± sd):
 * `npx tsx src/cli/lab.ts grid --presets opt-sgd,opt-momentum,opt-adagrad,opt-rmsprop,opt-adam,opt-adam-bn --seeds 3 --jobs 1 --threads 1 --json`;
 * the curves: `npx tsx src/cli/lab.ts train --preset opt-adam[-bn] --seed S --eval-every 100 --threads 1 --json` for S = 1, 2, 3.
 */
const MEASURED = 'Measured on the bundled data, seeds 1–3: test accuracy'
const ADAM_BN_SUMMARY = `Adam with batch norm, ReLU and He weights learns far faster and ends higher than plain Adam. ${MEASURED} 0.939 ± 0.005 against 0.929 ± 0.004.`
const ADAM_BN_CURVES =
  'Measured (test accuracy, mean of seeds 1–3 on the bundled data), opt-adam-bn against opt-adam: after 100 iterations 0.910 against 0.392, ' +
  "after 200 0.925 against 0.683, after 400 0.936 against 0.903, after 1,000 0.939 against 0.929. Batch norm keeps every layer's inputs " +
  "standardised, so Adam's first steps already move the weights in a useful direction, where the sigmoid network with tiny Gaussian " +
  'weights spends its first few hundred iterations getting its gradient through.'

const SHARED_QUIRK = 'Train accuracy is on the current mini-batch after its update, as notebook 2_4 measures it.'

export const OPTIMIZER_PRESETS: Preset[] = [
  {
    id: 'opt-sgd',
    lesson: LESSON,
    title: 'SGD (lr 0.01)',
    summary: 'Plain SGD at the notebook default lr 0.01 does not learn this network in 1,000 iterations.',
    description: `${SHARED}, plain SGD with the notebook's lr 0.01. It fails, as the course shows: measured on the bundled data, seeds 1–3, test accuracy 0.1095 on every seed. It is the starting point the other optimisers improve on.`,
    quirks: [SHARED_QUIRK, "Kept: the notebook's lr 0.01, with which SGD does not learn here; raise lr to see it learn."],
    config: config({ kind: 'sgd', lr: 0.01 })
  },
  {
    id: 'opt-momentum',
    lesson: LESSON,
    title: 'Momentum (lr 0.3)',
    summary: `Momentum 0.9 with the course answer's lr 0.3 learns where SGD stalls. ${MEASURED} 0.924 ± 0.004.`,
    description: `${SHARED}, Momentum: v = 0.9·v − lr·g, p += v.`,
    quirks: [
      SHARED_QUIRK,
      // npx tsx src/cli/lab.ts grid --presets opt-momentum --lr 0.01 --seeds 3 --jobs 1 --threads 1 --json
      "Changed: lr 0.3 from the course's answer notebook; the notebook default lr 0.01 does not learn in 1,000 iterations (measured on the bundled data, seeds 1–3: test accuracy 0.109 ± 0.001)."
    ],
    config: config({ kind: 'momentum', lr: 0.3, momentum: 0.9 })
  },
  {
    id: 'opt-adagrad',
    lesson: LESSON,
    title: 'AdaGrad (lr 0.1)',
    summary: `AdaGrad as the course's answer writes it: h starts at θ = 1e-4, no ε. ${MEASURED} 0.910 ± 0.002.`,
    description: `${SHARED}, AdaGrad from the course answer notebook: on the first step h = θ = 1e-4, then h += g²; p −= lr·g/√h.`,
    quirks: [
      SHARED_QUIRK,
      'Changed: lr 0.1 from the answer notebook (students write AdaGrad themselves; a student version with lr 0.01 does not learn).',
      "Kept: the answer's h₀ = θ without adding g² on the first step and no ε (optimizer.variant 'course'); 'book' gives the book's h from 0 and ε 1e-7."
    ],
    config: config({ kind: 'adagrad', lr: 0.1, variant: 'course', initialH: 1e-4 })
  },
  {
    id: 'opt-rmsprop',
    lesson: LESSON,
    title: 'RMSProp (lr 0.01)',
    summary: `RMSProp with the notebook defaults learns quickly. ${MEASURED} 0.929 ± 0.004.`,
    description: `${SHARED}, RMSProp: h = 0.99·h + 0.01·g²; p −= lr·g/(√h + 1e-7).`,
    quirks: [SHARED_QUIRK],
    config: config({ kind: 'rmsprop', lr: 0.01, decay: 0.99 })
  },
  {
    id: 'opt-adam',
    lesson: LESSON,
    title: 'Adam (lr 0.01)',
    summary: `Adam with the notebook defaults. ${MEASURED} 0.929 ± 0.004.`,
    description: `${SHARED}, Adam: β1 0.9, β2 0.999, bias correction folded into the step size, ε = 1e-7 outside the square root.`,
    quirks: [SHARED_QUIRK, "Kept: ε is not rescaled by the bias correction (the course's and the book's form, not the paper's ε̂)."],
    config: config({ kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999 })
  },
  {
    id: 'opt-adam-bn',
    lesson: LESSON,
    title: 'Adam + batch norm, ReLU, He',
    summary: ADAM_BN_SUMMARY,
    description:
      `The course report's last optimizer experiment: notebook 2_4's 784-40-20-10 network with batch norm before each activation, ReLU and ` +
      `He weights, Adam (lr 0.01), batch 100, 1,000 iterations. Overlay it with opt-adam in Compare. ${ADAM_BN_CURVES}`,
    quirks: [
      SHARED_QUIRK,
      "Kept: as in notebook 2_4's hand-written loop, only W and b are updated, so batch norm's γ and β stay at 1 and 0 (freeze.normalization)."
    ],
    config: defineRunConfig({
      ...config({ kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999 }),
      network: { kind: 'mlp', hidden: [40, 20], activation: 'relu', init: 'he', normalization: 'batchnorm' },
      freeze: { normalization: true, outputLayer: false }
    })
  }
]
