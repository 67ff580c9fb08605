/**
 * Checkpoints of a live run and runs continued from one. A checkpoint saved at iteration k and resumed
 * gives exactly the losses, accuracies and weights of the same run never interrupted
 * (test/engine/model-file/resume.test.ts).
 */
import type { RunConfig } from '../config/run-config'
import { EngineError } from '../protocol/error-codes'
import type { Evaluation } from '../protocol/messages'
import type { Trainer } from '../train/trainer'
import { sampleShape } from '../data/image-set'
import { encodeModelFile, loadNetworkTensors, loadOptimizerTensors, type DatasetRef, type ModelFile } from './model-file'

export interface SaveContext {
  presetId?: string | null
  dataset: DatasetRef | null
  elapsedMs: number
  lastEvaluation: Evaluation | null
  /** true: with optimizer and generator state, to continue training; false: the network only. */
  checkpoint: boolean
}

export function saveTrainer(trainer: Trainer, context: SaveContext): Uint8Array {
  const last = context.lastEvaluation
  const metrics = last ? { iter: last.iter, loss: last.loss, trainAcc: last.trainAcc, testAcc: last.testAcc } : null
  return encodeModelFile({
    network: trainer.network,
    imageShape: sampleShape(trainer.train),
    classes: trainer.classes,
    config: trainer.config,
    presetId: context.presetId,
    dataset: context.dataset,
    metrics,
    iteration: trainer.iterationsDone,
    checkpoint: context.checkpoint
      ? { info: { ...trainer.progressState(), elapsedMs: context.elapsedMs, lastEvaluation: last }, optimizer: trainer.optimizerState }
      : undefined
  })
}

/** Settings a resumed run may change: how long it goes on, and how often and on how much it evaluates. */
export type ResumeOverrides = Partial<Pick<RunConfig, 'iterations' | 'evalInterval' | 'evalSubset'>>

/** The settings a checkpoint continues with; refuses a total that does not go past where it stopped. */
export function resumedConfig(file: ModelFile, overrides: ResumeOverrides = {}): RunConfig {
  if (!file.checkpoint) {
    throw new EngineError('INVALID_MODEL', 'this file is a model without training state: save a checkpoint to continue training')
  }
  const config = { ...file.summary.config, ...definedOnly(overrides) }
  if (config.iterations <= file.summary.iteration) {
    throw new EngineError(
      'INVALID_CONFIG',
      `iterations: the checkpoint is at iteration ${file.summary.iteration}; the run's total must be larger (it is ${config.iterations})`,
      { problems: [{ field: 'iterations', message: `must be more than ${file.summary.iteration}, where the checkpoint stopped` }] }
    )
  }
  return config
}

/** Puts a checkpoint's state into a trainer built with `resumedConfig(file)` on the same kind of data. */
export function restoreTrainer(trainer: Trainer, file: ModelFile): void {
  const checkpoint = file.checkpoint
  if (!checkpoint) throw new EngineError('INVALID_MODEL', 'this file is a model without training state: save a checkpoint to continue training')
  loadNetworkTensors(file, trainer.network)
  loadOptimizerTensors(file, trainer.network, trainer.optimizerState)
  trainer.restoreProgress(checkpoint)
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
