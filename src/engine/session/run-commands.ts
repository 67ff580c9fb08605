/**
 * The session's run commands: start a run (fresh or from a checkpoint), pause, resume, stop. At most one
 * run at a time; the last one stays, after it ends, for saving and for the visualisations.
 */
import { checkRunConfig, type RunConfig } from '../config/run-config'
import type { ImageDataset } from '../data/image-set'
import { RunInspector } from '../inspect/inspect-run'
import { describeLayers } from '../inspect/layer-info'
import { convFilterSnapshot } from '../inspect/weights'
import { WeightHistory } from '../landscape/weight-history'
import { restoreTrainer } from '../model-file/checkpoint'
import { decodeModelFile, type ModelFile } from '../model-file/model-file'
import { EngineError } from '../protocol/error-codes'
import type { Command } from '../protocol/messages'
import { RunLoop } from '../train/run-loop'
import { Trainer } from '../train/trainer'
import { datasetRef, toBytes, type SavableRun } from './model-commands'
import { runEmbeddings, type EmbeddingRecorder } from './run-embeddings'
import { invalidConfig, type SessionOutput } from './session-events'

type Of<T extends Command['type']> = Extract<Command, { type: T }>

/** About this many filter snapshots per run at most, spread over its iterations (the records thin them further). */
const FILTER_SNAPSHOTS = 200

export interface RunCommandsContext extends SessionOutput {
  dataset(): ImageDataset | null
  /** A new run replaces a loaded model as what saves and visualisations act on. */
  forgetLoadedModel(): void
  /** Makes the run's network what the visualisation requests look at. */
  lookAt(inspector: RunInspector, history: WeightHistory): void
}

export class RunCommands {
  private active: { runId: string; loop: RunLoop } | null = null
  /** The active run, or the last one after it ended: what `saveModel` saves. */
  private last: SavableRun | null = null

  constructor(private readonly context: RunCommandsContext) {}

  get activeRunId(): string | null {
    return this.active?.runId ?? null
  }

  get lastRun(): SavableRun | null {
    return this.last
  }

  start(command: Of<'startRun'>): void {
    const { runId } = command
    const { emit, emitError } = this.context
    const dataset = this.context.dataset()
    if (this.active) return emitError(new EngineError('RUN_BUSY', `run "${this.active.runId}" is still in progress; stop it first`), { runId })
    if (!dataset) return emitError(new EngineError('NO_DATASET', 'no dataset is loaded yet'), { runId })
    const checked = checkRunConfig(command.config)
    if (!checked.ok) return emit(invalidConfig(checked.problems, runId))
    let trainer: Trainer
    let checkpoint: ModelFile | null = null
    let recordEmbedding: EmbeddingRecorder | null
    try {
      if (command.resumeFrom) {
        checkpoint = decodeModelFile(toBytes(command.resumeFrom))
        checkSameRun(checkpoint, checked.config)
      }
      trainer = new Trainer(checked.config, dataset)
      if (checkpoint) restoreTrainer(trainer, checkpoint)
      recordEmbedding = runEmbeddings(runId, trainer, checked.config, this.context)
    } catch (error) {
      return emitError(error, { runId })
    }
    const resumed = checkpoint?.checkpoint ? { elapsedMs: checkpoint.checkpoint.elapsedMs, last: checkpoint.checkpoint.lastEvaluation } : undefined
    const history = new WeightHistory(trainer.network.params)
    const recordSnapshots = this.snapshotRecorder(runId, trainer, history, checked.config.iterations)
    const loop = new RunLoop(
      trainer,
      {
        progress: (p) => emit({ type: 'progress', runId, ...p }),
        evaluation: (evaluation) => {
          emit({ type: 'evaluation', runId, evaluation })
          recordSnapshots(evaluation.iter)
          recordEmbedding?.(evaluation.iter)
        },
        paused: (iter) => emit({ type: 'runPaused', runId, iter }),
        resumed: (iter) => emit({ type: 'runResumed', runId, iter }),
        finished: (finish) => {
          this.active = null
          emit({ type: 'runFinished', runId, ...finish })
        }
      },
      undefined,
      resumed
    )
    this.active = { runId, loop }
    this.last = { runId, presetId: command.presetId ?? checkpoint?.summary.presetId ?? undefined, trainer, loop, dataset: datasetRef(dataset) }
    this.context.forgetLoadedModel()
    this.context.lookAt(new RunInspector(runId, trainer), history)
    emit({ type: 'runStarted', runId, presetId: command.presetId, config: checked.config, dataset: dataset.name, layers: describeLayers(trainer.network) })
    recordSnapshots(trainer.iterationsDone)
    recordEmbedding?.(trainer.iterationsDone)
    void loop.run()
  }

  control(command: Of<'pauseRun' | 'resumeRun' | 'stopRun'>): void {
    const active = this.active
    if (!active || active.runId !== command.runId) {
      return this.context.emitError(new EngineError('UNKNOWN_RUN', `no active run "${command.runId}"`), { runId: command.runId })
    }
    if (command.type === 'pauseRun') active.loop.pause()
    else if (command.type === 'resumeRun') active.loop.resume()
    else active.loop.stop()
  }

  /** The weights at the start and at evaluations: all of them for the path plane, the conv filters (thinned) for the timeline. */
  private snapshotRecorder(runId: string, trainer: Trainer, history: WeightHistory, iterations: number): (iter: number) => void {
    const gap = Math.max(1, Math.floor(iterations / FILTER_SNAPSHOTS))
    let lastSnapshot = 0
    return (iter) => {
      history.record(iter)
      if (iter !== 0 && iter !== iterations && iter - lastSnapshot < gap) return
      lastSnapshot = iter
      const layers = convFilterSnapshot(trainer.network)
      if (layers.length > 0) this.context.emit({ type: 'filterSnapshot', runId, iter, layers })
    }
  }
}

/** A checkpoint continues its own run: only the total, the evaluation interval and the subset may change. */
function checkSameRun(file: ModelFile, config: RunConfig): void {
  if (!file.checkpoint) throw new EngineError('INVALID_MODEL', 'this file is a model without training state: save a checkpoint to continue training')
  // Compared by value, whatever order the fields arrived in.
  const fixed = (c: RunConfig) => canonicalJson({ ...c, iterations: 0, evalInterval: 0, evalSubset: 0 })
  if (fixed(file.summary.config) !== fixed(config)) {
    throw new EngineError('INVALID_CONFIG', "a resumed run keeps its checkpoint's settings; only iterations, the evaluation interval and the subset may change")
  }
  if (config.iterations <= file.summary.iteration) {
    throw new EngineError(
      'INVALID_CONFIG',
      `iterations: the checkpoint is at iteration ${file.summary.iteration}; the run's total must be larger (it is ${config.iterations})`,
      {
        problems: [{ field: 'iterations', message: `must be more than ${file.summary.iteration}, where the checkpoint stopped` }]
      }
    )
  }
}

/** JSON with every object's keys sorted, so equal settings compare equal as text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v
  )
}
