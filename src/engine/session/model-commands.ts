/**
 * The session's model commands: save the run's network, load a file, evaluate, predict a drawn digit,
 * export. Kept apart from session.ts, which only routes the commands here.
 */
import type { RunConfig } from '../config/run-config'
import { yieldToEventLoop } from '../core/yield'
import { datasetFingerprint } from '../data/fingerprint'
import { sampleShape, type ImageDataset } from '../data/image-set'
import { RunInspector } from '../inspect/inspect-run'
import { describeLayers } from '../inspect/layer-info'
import type { Network } from '../model/network'
import { exportOnnx } from '../onnx/export-onnx'
import { EngineError } from '../protocol/error-codes'
import type { Command, EngineEvent } from '../protocol/messages'
import type { RunLoop } from '../train/run-loop'
import { Trainer } from '../train/trainer'
import { saveTrainer } from '../model-file/checkpoint'
import { imageForModel } from '../data/import/image-for-model'
import { evaluateNetwork, predictPixels } from '../model-file/evaluate-model'
import { decodeModelFile, loadNetworkTensors, readModelSummary, type DatasetRef, type ModelSummary } from '../model-file/model-file'

type Of<T extends Command['type']> = Extract<Command, { type: T }>

/** The network a model command acts on, with the settings it was trained with and the images it takes ([C, H, W]). */
export interface Target {
  network: Network
  config: RunConfig
  trainedOn: DatasetRef | null
  images: number[]
}

/** The run a save reads: the active one (between slices) or the last one. */
export interface SavableRun {
  runId: string
  presetId?: string
  trainer: Trainer
  loop: RunLoop
  dataset: DatasetRef
}

export interface ModelCommandsContext {
  emit(event: EngineEvent): void
  emitError(error: unknown, context?: { requestId?: string; runId?: string }): void
  dataset(): ImageDataset | null
  lastRun(): SavableRun | null
  isTraining(): boolean
  /** Makes a loaded model what the visualisation requests look at. */
  inspect(inspector: RunInspector): void
}

export function datasetRef(dataset: ImageDataset): DatasetRef {
  return { name: dataset.name, fingerprint: datasetFingerprint(dataset) }
}

export const toBytes = (bytes: ArrayBuffer | Uint8Array): Uint8Array => (bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))

export class ModelCommands {
  private loaded: { summary: ModelSummary; trainer: Trainer; runId: string } | null = null
  private evaluation: { requestId: string; cancelled: boolean } | null = null

  constructor(private readonly context: ModelCommandsContext) {}

  /** A new run takes over from a loaded model. */
  forgetLoaded(): void {
    this.loaded = null
  }

  save({ requestId, checkpoint }: Of<'saveModel'>): void {
    const run = this.context.lastRun()
    if (!run) return this.context.emitError(new EngineError('NO_NETWORK', 'no run to save yet: train one first'), { requestId })
    try {
      // A save during an evaluation waits for it: the file holds a whole iteration, evaluation included.
      run.loop.completeEvaluation()
      const bytes = saveTrainer(run.trainer, {
        presetId: run.presetId ?? null,
        dataset: run.dataset,
        elapsedMs: run.loop.elapsedMs,
        lastEvaluation: run.loop.lastEvaluation,
        checkpoint
      })
      this.context.emit({ type: 'modelSaved', requestId, runId: run.runId, bytes, summary: readModelSummary(bytes) })
    } catch (error) {
      this.context.emitError(error, { requestId, runId: run.runId })
    }
  }

  load({ requestId, bytes }: Of<'loadModel'>): void {
    const dataset = this.context.dataset()
    if (!dataset) return this.context.emitError(new EngineError('NO_DATASET', 'load a dataset before opening a model'), { requestId })
    try {
      const file = decodeModelFile(toBytes(bytes))
      checkModelFitsData(file.summary, dataset)
      // A trainer for the model's network on the loaded data, so every visualisation works on it too.
      const config: RunConfig = { ...file.summary.config, trainLimit: undefined, testLimit: undefined, evalSubset: undefined }
      const trainer = new Trainer(config, dataset)
      loadNetworkTensors(file, trainer.network)
      const runId = `model-${requestId}`.slice(0, 200)
      this.loaded = { summary: file.summary, trainer, runId }
      this.context.inspect(new RunInspector(runId, trainer))
      this.context.emit({ type: 'modelLoaded', requestId, summary: file.summary, layers: describeLayers(trainer.network) })
    } catch (error) {
      this.context.emitError(error, { requestId })
    }
  }

  evaluate({ requestId }: Of<'evaluateModel'>): void {
    const dataset = this.context.dataset()
    if (!dataset) return this.context.emitError(new EngineError('NO_DATASET', 'no dataset is loaded to evaluate on'), { requestId })
    const target = this.target(requestId, 'evaluate')
    if (!target) return
    if (this.evaluation) {
      this.evaluation.cancelled = true
      this.context.emit({ type: 'modelEvaluationCancelled', requestId: this.evaluation.requestId })
    }
    const state = { requestId, cancelled: false }
    this.evaluation = state
    const datasetNote = this.datasetNote(target.trainedOn, dataset)
    evaluateNetwork(target.network, dataset.test, {
      progress: (done, total) => this.context.emit({ type: 'modelEvaluationProgress', requestId, done, total }),
      cancelled: () => state.cancelled,
      pause: yieldToEventLoop
    })
      .then(
        (result) => {
          if (result && !state.cancelled) this.context.emit({ type: 'modelEvaluation', requestId, ...result, ...(datasetNote ? { datasetNote } : {}) })
        },
        (error) => this.context.emitError(error, { requestId })
      )
      .finally(() => {
        if (this.evaluation === state) this.evaluation = null
      })
  }

  cancelEvaluation({ requestId }: Of<'cancelEvaluation'>): void {
    if (!this.evaluation || this.evaluation.requestId !== requestId) return
    this.evaluation.cancelled = true
    this.evaluation = null
    this.context.emit({ type: 'modelEvaluationCancelled', requestId })
  }

  predict({ requestId, pixels }: Of<'predictDigit'>): void {
    const target = this.target(requestId, 'predict')
    if (!target) return
    try {
      const size = target.network.inputShape.reduce((a, b) => a * b, 1)
      if (size !== pixels.length) {
        throw new EngineError(
          'INVALID_REQUEST',
          `the model takes ${size} values per image, a drawing gives ${pixels.length} (28×28 grey): draw with a model trained on 28×28 grey images`
        )
      }
      this.context.emit({ type: 'digitPrediction', requestId, ...predictPixels(target.network, pixels) })
    } catch (error) {
      this.context.emitError(error, { requestId })
    }
  }

  async classify({ requestId, bytes }: Of<'classifyImage'>): Promise<void> {
    const target = this.target(requestId, 'classify with')
    if (!target) return
    try {
      const pixels = await imageForModel(toBytes(bytes), target.images)
      const prediction = predictPixels(
        target.network,
        Array.from(pixels, (v) => v / 255)
      )
      const [channels, rows, cols] = target.images
      this.context.emit({ type: 'imagePrediction', requestId, ...prediction, channels, rows, cols, pixels })
    } catch (error) {
      this.context.emitError(error, { requestId })
    }
  }

  export({ requestId, format }: Of<'exportModel'>): void {
    const target = this.target(requestId, 'export')
    if (!target) return
    try {
      this.context.emit({ type: 'modelExported', requestId, format, bytes: exportOnnx(target.network, target.config) })
    } catch (error) {
      this.context.emitError(error, { requestId })
    }
  }

  /** The loaded model, else the last run's network once it has ended (explanations ask it too, see explain-commands.ts). */
  target(requestId: string, what: string): Target | null {
    if (this.loaded) {
      const { trainer, summary } = this.loaded
      return { network: trainer.network, config: summary.config, trainedOn: summary.dataset, images: sampleShape(trainer.train) }
    }
    const run = this.context.lastRun()
    if (run && !this.context.isTraining())
      return { network: run.trainer.network, config: run.trainer.config, trainedOn: run.dataset, images: sampleShape(run.trainer.train) }
    const message = run ? `a run is training: open a saved model to ${what} it meanwhile` : `no model to ${what}: open one or train a run first`
    this.context.emitError(new EngineError('NO_NETWORK', message), { requestId })
    return null
  }

  private datasetNote(trainedOn: DatasetRef | null, dataset: ImageDataset): string | undefined {
    if (!trainedOn) return undefined
    if (trainedOn.fingerprint === datasetFingerprint(dataset)) return undefined
    return `The model was trained on "${trainedOn.name}"; it is evaluated on "${dataset.name}", which holds different images.`
  }
}

/** A model opens on the loaded data only if it takes their images and gives a score per class of theirs. */
export function checkModelFitsData(summary: ModelSummary, dataset: ImageDataset): void {
  const data = sampleShape(dataset.train)
  const sameImages = summary.imageShape.length === data.length && summary.imageShape.every((d, i) => d === data[i])
  if (sameImages && summary.classes.length === dataset.classes.length) return
  const describe = (shape: readonly number[], classes: number): string => `${shape.join('×')} images in ${classes} classes`
  throw new EngineError(
    'INVALID_MODEL',
    `the model takes ${describe(summary.imageShape, summary.classes.length)}; the loaded data "${dataset.name}" have ${describe(data, dataset.classes.length)}: load the data it was trained on first`
  )
}
