import { Random } from '../core/random'
import type { Tensor } from '../core/tensor'
import { forgetPixelTerms, reuseKernelTensor } from '../kernels/backend'
import { augmentBatch, type AugmentOptions } from '../data/augment'
import { describeProblems, type Activation, type NetworkSpec, type RunConfig } from '../config/run-config'
import { firstImages, gatherBatch, gatherRange, sampleWithReplacement } from '../data/batch'
import { imageSize, sampleShape, type ImageDataset, type Split } from '../data/image-set'
import { buildNetwork } from '../model/build'
import { stepBytes, stepMemoryProblem } from '../model/memory-budget'
import { countCorrect, type Network } from '../model/network'
import { createOptimizer } from '../optimizers/create'
import type { Optimizer } from '../optimizers/optimizer'
import type { OptimizerState } from '../optimizers/state'
import { EngineError } from '../protocol/error-codes'
import { datasetProblems } from '../config/dataset-fit'
import { atInputSize } from '../data/input-size'
import { Affine } from '../layers/affine'
import { BatchNorm } from '../layers/batch-norm'
import { ChannelBatchNorm } from '../layers/channel-batch-norm'
import { GroupNorm } from '../layers/group-norm'
import type { Param } from '../layers/layer'
import { LayerNorm } from '../layers/layer-norm'
import { collectLayerStats } from './layer-stats'
import { EvaluationJob, tallyConfusion, type ChunkCounter, type EvaluationPart, type EvaluationResult } from './evaluation-job'
import { addRegularizationGradient, regularizationPenalty } from './regularization'
import { learningRateAt, setLearningRate } from './lr-schedule'
import { EarlyStopper, type StoppingState } from './early-stopping'
import { holdOut } from '../data/validation-split'

/** Where a run is, apart from its tensors: JSON-safe (the generator's spare normal is null when absent). */
export interface TrainerProgress {
  iteration: number
  random: (number | null)[]
  optimizer: Record<string, number>
  /** Present when the run stops early: the best validation accuracy so far and since when. */
  earlyStopping?: StoppingState
}

export interface StepResult {
  /** 1-based number of the iteration just done, as the course prints it. */
  iter: number
  /** Mini-batch loss before the update. */
  loss: number
  /**
   * Present on evaluation iterations (every evalInterval, and the last). `subset` says how many images
   * each accuracy used when an intermediate evaluation was cut to config.evalSubset.
   */
  evaluation: EvaluationResult | null
}

/** An iteration trained, its evaluation (on evaluation iterations) still to do, a chunk at a time. */
export interface TrainedStep {
  iter: number
  loss: number
  evaluation: EvaluationJob | null
}

/**
 * One training run's state: the network, the optimizer, the generator, and the data it may use. `step`
 * does exactly one course iteration; everything about time and messages lives in the run loop.
 */
export class Trainer {
  readonly network: Network
  /** One sample's shape: [C·H·W] for an MLP ([784] for MNIST), [C, H, W] maps for a layer-list (conv) network. */
  readonly inputShape: readonly number[]
  /** The data set's class names, index = label: the network gives one score per class. */
  readonly classes: readonly string[]
  readonly train: Split
  readonly test: Split
  /** Training images set aside (config.validation), never trained on; null without a split. */
  readonly validation: Split | null
  private readonly stopper: EarlyStopper | null
  /** What the optimizer updates: every parameter except those a course quirk freezes. */
  readonly trainable: readonly Param[]
  /** Weights that take weight decay: the trainable ones (the course's loops decay exactly what they update). */
  private readonly decayed: readonly Param[]
  private readonly optimizer: Optimizer
  private readonly random: Random
  private readonly batchX: Tensor
  private readonly batchLabels: Uint8Array
  private readonly batchIndices: Int32Array
  /**
   * Evaluation forwards batch-size chunks, the last one padded with stale rows that are not counted: the
   * layers then see one batch shape only and never reallocate when evaluation alternates with training.
   * Rows are independent in inference mode, so the chunking changes no prediction.
   */
  private readonly evalX: Tensor
  private readonly evalLabels: Uint8Array
  private completed = 0

  constructor(
    readonly config: RunConfig,
    dataset: ImageDataset
  ) {
    this.test = atInputSize(firstImages(dataset.test, config.testLimit), config.inputSize)
    checkFitsData(config, dataset)
    const trainImages = atInputSize(firstImages(dataset.train, config.trainLimit), config.inputSize)
    const held = config.validation ? holdOut(trainImages, config.validation, config.seed) : null
    this.train = held?.train ?? trainImages
    this.validation = held?.validation ?? null
    this.stopper = config.earlyStopping ? new EarlyStopper(config.earlyStopping) : null
    this.random = new Random(config.seed)
    this.classes = dataset.classes
    const inputShape = config.network.kind === 'layers' ? sampleShape(this.train) : [imageSize(this.train)]
    this.inputShape = inputShape
    this.network = buildNetwork(config.network, inputShape, this.random, config.precision, this.classes.length)
    const tooBig = stepMemoryProblem(stepBytes(this.network, config.batchSize), config.batchSize)
    if (tooBig) throw new EngineError('INVALID_CONFIG', `batchSize: ${tooBig}`, { problems: [{ field: 'batchSize', message: tooBig }] })
    this.trainable = trainableParams(this.network, config)
    this.decayed = this.trainable.filter((p) => p.isWeight)
    this.optimizer = createOptimizer(config.optimizer)
    this.batchX = reuseKernelTensor(undefined, [config.batchSize, ...inputShape], config.precision)
    this.batchLabels = new Uint8Array(config.batchSize)
    this.batchIndices = new Int32Array(config.batchSize)
    this.evalX = reuseKernelTensor(undefined, [config.batchSize, ...inputShape], config.precision)
    this.evalLabels = new Uint8Array(config.batchSize)
  }

  get iterationsDone(): number {
    return this.completed
  }

  /** The optimizer's buffers and counters, live (a checkpoint saves them). */
  get optimizerState(): OptimizerState {
    return this.optimizer.state()
  }

  /** The counters a checkpoint needs to continue exactly where this run is. */
  progressState(): TrainerProgress {
    const progress = {
      iteration: this.completed,
      random: this.random.saveState().map((v) => (Number.isNaN(v) ? null : v)),
      optimizer: this.optimizer.state().counters
    }
    return this.stopper ? { ...progress, earlyStopping: this.stopper.save() } : progress
  }

  /**
   * Continues from a checkpoint: the caller has put the parameters, buffers and optimizer buffers back
   * (model-file/checkpoint.ts); this restores the iteration, the generator and the optimizer's counters.
   */
  restoreProgress(progress: TrainerProgress): void {
    this.completed = progress.iteration
    this.random.restoreState(progress.random.map((v) => (v === null ? Number.NaN : v)))
    this.optimizer.restoreCounters(progress.optimizer)
    if (this.stopper && progress.earlyStopping) this.stopper.restore(progress.earlyStopping)
  }

  get finished(): boolean {
    return this.completed >= this.config.iterations || this.stoppedEarly !== null
  }

  /** Why the run stopped before its last iteration (early stopping), or null. */
  get stoppedEarly(): string | null {
    return this.stopper?.shouldStop ? this.stopper.reason() : null
  }

  /** The best validation accuracy so far and its iteration, when the run stops early on it. */
  get bestValidation(): { iter: number; valAcc: number } | null {
    return this.stopper?.best ?? null
  }

  /** One course iteration, its evaluation included. */
  step(): StepResult {
    const { iter, loss, evaluation } = this.trainStep()
    return { iter, loss, evaluation: evaluation ? evaluation.finish() : null }
  }

  /**
   * One course iteration's training. On an evaluation iteration the accuracies are left to the returned
   * job, for a caller that reports progress while it runs (the run loop): nothing may train until it is
   * finished, or it would measure other weights.
   */
  trainStep(): TrainedStep {
    const { config, network } = this
    const iter = this.completed + 1
    const evaluating = iter % config.evalInterval === 0 || iter === config.iterations

    sampleWithReplacement(this.random, this.train.count, this.batchIndices)
    gatherBatch(this.train, this.batchIndices, this.batchX, this.batchLabels)
    if (config.augment) this.augment(config.augment)
    const loss = network.loss(this.batchX, this.batchLabels, 'train') + regularizationPenalty(config.regularization, this.decayed)
    const accBefore = evaluating && config.trainAccuracy === 'batch-before-update' ? this.batchAccuracy('train') : 0
    network.backward()
    addRegularizationGradient(config.regularization, this.decayed)
    // Statistics of this batch's forward and backward pass, taken before the update changes the weights.
    const layers = evaluating ? collectLayerStats(network, statsActivation(config.network)) : []
    if (config.lrSchedule) setLearningRate(this.optimizer, learningRateAt(config.lrSchedule, config.optimizer.lr, iter, config.iterations))
    this.optimizer.step(this.trainable)
    this.completed = iter

    if (!evaluating) return { iter, loss, evaluation: null }
    // The faster schedule: intermediate evaluations on the first evalSubset images, the last on all.
    const limit = iter === config.iterations ? undefined : config.evalSubset
    const trainImages = Math.min(this.train.count, limit ?? Infinity)
    const testImages = Math.min(this.test.count, limit ?? Infinity)
    const trainSet = config.trainAccuracy === 'train-set'
    const batchTrainAcc =
      config.trainAccuracy === 'batch-before-update' ? accBefore : config.trainAccuracy === 'batch-after-update' ? this.batchAccuracy('test') : 0
    const cut = trainImages < this.train.count || testImages < this.test.count
    const parts: EvaluationPart[] = [
      ...(trainSet ? [{ role: 'train' as const, split: this.train, count: trainImages }] : []),
      { role: 'test', split: this.test, count: testImages },
      ...(this.validation ? [{ role: 'validation' as const, split: this.validation, count: Math.min(this.validation.count, limit ?? Infinity) }] : [])
    ]
    const evaluation = new EvaluationJob(this.countChunk, config.batchSize, parts, this.classes.length, (accuracies, confusion) => ({
      trainAcc: trainSet ? accuracies.train! : batchTrainAcc,
      testAcc: accuracies.test!,
      layers,
      ...(cut ? { subset: { train: trainSet ? trainImages : config.batchSize, test: testImages } } : {}),
      ...(accuracies.validation !== undefined ? this.validated(iter, accuracies.validation, limit) : {}),
      confusion
    }))
    return { iter, loss, evaluation }
  }

  /** An evaluation's validation accuracy, taken by early stopping; the images it used when cut to evalSubset. */
  private validated(iter: number, valAcc: number, limit: number | undefined): { valAcc: number; valImages?: number } {
    this.stopper?.observe(iter, valAcc)
    const used = Math.min(this.validation!.count, limit ?? Infinity)
    return used < this.validation!.count ? { valAcc, valImages: used } : { valAcc }
  }

  /** Changes the batch just formed as the run's augmentation says, drawing from the run's generator. */
  private augment(options: AugmentOptions): void {
    const { channels, rows, cols } = this.train
    augmentBatch(this.batchX.data, this.config.batchSize, channels, rows, cols, options, this.random)
    // The batch's listed non-zero pixels (float32 first-layer products) describe the unchanged images.
    forgetPixelTerms(this.batchX.data)
  }

  /** Accuracy on the first `count` images of a split (all by default), in inference mode. */
  accuracy(split: Split, count = split.count): number {
    let correct = 0
    for (let start = 0; start < count; start += this.config.batchSize) {
      correct += this.countChunk(split, start, Math.min(this.config.batchSize, count - start), null)
    }
    return correct / count
  }

  /**
   * Right answers among `count` (at most one batch) images of a split from `start`, in inference mode;
   * tallies every prediction into `confusion` (row = true class) when given. An arrow: evaluation jobs call it.
   */
  private readonly countChunk: ChunkCounter = (split, start, count, confusion) => {
    gatherRange(split, start, this.evalX, this.evalLabels)
    const scores = this.network.infer(this.evalX)
    return confusion ? tallyConfusion(scores, this.evalLabels, count, confusion) : countCorrect(scores, this.evalLabels, count)
  }

  /** Accuracy on the current mini-batch; 'train' reuses the scores of the forward pass just done. */
  private batchAccuracy(mode: 'train' | 'test'): number {
    const scores = mode === 'train' ? this.network.lastScores : this.network.infer(this.batchX)
    return countCorrect(scores, this.batchLabels) / this.config.batchSize
  }
}

function trainableParams(network: Network, config: RunConfig): Param[] {
  const frozen = new Set<Param>()
  if (config.freeze.outputLayer) {
    const output = [...network.layers].reverse().find((l) => l instanceof Affine)
    output?.params.forEach((p) => frozen.add(p))
  }
  if (config.freeze.normalization) {
    for (const layer of network.layers) {
      if (layer instanceof BatchNorm || layer instanceof LayerNorm || layer instanceof ChannelBatchNorm || layer instanceof GroupNorm) {
        layer.params.forEach((p) => frozen.add(p))
      }
    }
  }
  return network.params.filter((p) => !frozen.has(p))
}

/**
 * The activation whose fixed range the layer histograms use: the MLP's, or a layer list's first one
 * (every course conv net uses ReLU throughout).
 */
function statsActivation(spec: NetworkSpec): Activation {
  if (spec.kind === 'mlp') return spec.activation
  const first = spec.layers.find((l) => l.kind === 'relu' || l.kind === 'sigmoid' || l.kind === 'tanh')
  return (first?.kind as Activation | undefined) ?? 'relu'
}

/** Refuses, before anything is built, a config that does not fit this dataset. */
function checkFitsData(config: RunConfig, dataset: ImageDataset): void {
  const problems = datasetProblems(config, dataset)
  if (problems.length > 0) throw new EngineError('INVALID_CONFIG', describeProblems(problems), { problems })
}
