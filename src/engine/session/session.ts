import { checkRunConfig, describeProblems, type FieldProblem } from '../config/run-config'
import { decodeMnist, describeDataset } from '../data/mnist'
import type { ImageDataset } from '../data/image-set'
import { DataCommands } from './data-commands'
import type { DataLibrary } from '../data/data-library'
import type { EnginePort } from '../hosts/port'
import { RunInspector } from '../inspect/inspect-run'
import { describeLayers } from '../inspect/layer-info'
import { gemmBackend, kernelThreads, setKernelThreads } from '../kernels/gemm'
import type { KernelThreadHost } from '../kernels/threads/kernel-pool'
import { PRESETS } from '../presets'
import { EngineError, type ErrorCode } from '../protocol/error-codes'
import { CommandSchema, type Command, type DatasetFiles, type EngineEvent, type EngineEventOf, type ThreadsInfo } from '../protocol/messages'
import { PROTOCOL_VERSION } from '../protocol/version'
import { RunLoop } from '../train/run-loop'
import { LandscapeJob } from '../landscape/landscape'
import { WeightHistory } from '../landscape/weight-history'
import { convFilterSnapshot } from '../inspect/weights'
import { yieldToEventLoop } from '../core/yield'
import { Trainer } from '../train/trainer'
import { restoreTrainer } from '../model-file/checkpoint'
import { decodeModelFile, type ModelFile } from '../model-file/model-file'
import { datasetRef, ModelCommands, toBytes, type SavableRun } from './model-commands'
import { ExplainCommands } from './explain-commands'
import type { RunConfig } from '../config/run-config'

/** What a host holds: ports to attach, and the dataset it loads on the user's behalf. */
export interface EngineSession {
  /** Connects a client; every event from now on also goes to it. */
  attach(port: EnginePort): void
  /** Decodes and installs a dataset; on failure the previous one stays and an `error` event names the problem. */
  loadDataset(name: string, files: DatasetFiles, requestId?: string): Promise<void>
  /** Makes an already decoded set the loaded one (the CLI's `--data NAME`, a folder read without importing). */
  installDataset(dataset: ImageDataset): void
  /** Reports a host-side problem (for example an unreadable directory) to every client. */
  reportError(code: ErrorCode, message: string, requestId?: string): void
}

interface ActiveRun {
  runId: string
  loop: RunLoop
}

/** About this many filter snapshots per run at most, spread over its iterations (the records thin them further). */
const FILTER_SNAPSHOTS = 200

const PRESET_SUMMARIES = PRESETS.map(({ id, lesson, title, summary, description, quirks, config }) => ({
  id,
  lesson,
  title,
  summary,
  description,
  quirks,
  config
}))

/** The engine's message loop: validated commands in, events out, at most one run at a time. */
export interface EngineSessionOptions {
  /** How this host starts kernel threads; absent = products on the engine's own thread only. */
  threads?: KernelThreadHost
  /** Where this host keeps imported data sets; absent = no data library (only IDX data). */
  library?: DataLibrary
}

export function createEngineSession(options: EngineSessionOptions = {}): EngineSession {
  const threadHost = options.threads ?? null
  const maxThreads = Math.max(1, threadHost?.cores ?? 1)
  // All cores by default; a client may ask for fewer (setThreads).
  setKernelThreads(threadHost, maxThreads)
  const threadsInfo = (): ThreadsInfo => {
    const { wanted, shared } = kernelThreads()
    return { wanted: Math.min(wanted, maxThreads), max: maxThreads, available: shared && threadHost !== null }
  }

  const ports = new Set<EnginePort>()
  let dataset: ImageDataset | null = null
  let active: ActiveRun | null = null
  /** The network visualisation requests look at: the active run's, or the last run's after it ended. */
  let inspected: RunInspector | null = null
  /** Weight snapshots of the inspected run (start and evaluations, thinned): the landscape's path plane. */
  let history: WeightHistory | null = null
  /** The active run, or the last one after it ended: what `saveModel` saves. */
  let lastRun: SavableRun | null = null
  /** The landscape being computed, if any: one at a time, a new request cancels it. */
  let landscape: { requestId: string; cancelled: boolean } | null = null

  const emit = (event: EngineEvent): void => {
    for (const port of ports) port.postMessage(event)
  }
  const emitError = (error: unknown, context: { requestId?: string; runId?: string } = {}): void => {
    emit(toErrorEvent(error, context))
  }

  const models = new ModelCommands({
    emit,
    emitError,
    dataset: () => dataset,
    lastRun: () => lastRun,
    isTraining: () => active !== null,
    inspect: (inspector) => {
      inspected = inspector
      history = null
    }
  })

  const explanations = new ExplainCommands({ emit, emitError, dataset: () => dataset, target: (requestId, what) => models.target(requestId, what) })

  function installDataset(decoded: ImageDataset, requestId?: string): void {
    dataset = decoded
    emit({ type: 'datasetLoaded', requestId, dataset: describeDataset(decoded) })
  }

  const data = new DataCommands({ emit, emitError, dataset: () => dataset, install: installDataset, library: options.library ?? null })

  async function loadDataset(name: string, files: DatasetFiles, requestId?: string): Promise<void> {
    emit({ type: 'datasetLoading', requestId, name })
    try {
      const decoded = await decodeMnist(name, files)
      data.rememberIdxSet(decoded)
      installDataset(decoded, requestId)
    } catch (error) {
      emitError(error, { requestId })
    }
  }

  function startRun(command: Extract<Command, { type: 'startRun' }>): void {
    const { runId } = command
    if (active) return emitError(new EngineError('RUN_BUSY', `run "${active.runId}" is still in progress; stop it first`), { runId })
    if (!dataset) return emitError(new EngineError('NO_DATASET', 'no dataset is loaded yet'), { runId })
    const checked = checkRunConfig(command.config)
    if (!checked.ok) return emit(invalidConfig(checked.problems, runId))
    let trainer: Trainer
    let checkpoint: ModelFile | null = null
    try {
      if (command.resumeFrom) {
        checkpoint = decodeModelFile(toBytes(command.resumeFrom))
        checkSameRun(checkpoint, checked.config)
      }
      trainer = new Trainer(checked.config, dataset)
      if (checkpoint) restoreTrainer(trainer, checkpoint)
    } catch (error) {
      return emitError(error, { runId })
    }
    const resumed = checkpoint?.checkpoint ? { elapsedMs: checkpoint.checkpoint.elapsedMs, last: checkpoint.checkpoint.lastEvaluation } : undefined
    const loop = new RunLoop(trainer, {
      progress: (p) => emit({ type: 'progress', runId, ...p }),
      evaluation: (evaluation) => {
        emit({ type: 'evaluation', runId, evaluation })
        recordSnapshots(evaluation.iter)
      },
      paused: (iter) => emit({ type: 'runPaused', runId, iter }),
      resumed: (iter) => emit({ type: 'runResumed', runId, iter }),
      finished: (finish) => {
        active = null
        emit({ type: 'runFinished', runId, ...finish })
      }
    }, undefined, resumed)
    active = { runId, loop }
    lastRun = { runId, presetId: command.presetId ?? checkpoint?.summary.presetId ?? undefined, trainer, loop, dataset: datasetRef(dataset) }
    models.forgetLoaded()
    inspected = new RunInspector(runId, trainer)
    history = new WeightHistory(trainer.network.params)
    const snapshotGap = Math.max(1, Math.floor(checked.config.iterations / FILTER_SNAPSHOTS))
    let lastSnapshot = 0
    /** The weights at the start and at evaluations: all of them for the path plane, the conv filters for the timeline. */
    const recordSnapshots = (iter: number): void => {
      history?.record(iter)
      if (iter !== 0 && iter !== checked.config.iterations && iter - lastSnapshot < snapshotGap) return
      lastSnapshot = iter
      const layers = convFilterSnapshot(trainer.network)
      if (layers.length > 0) emit({ type: 'filterSnapshot', runId, iter, layers })
    }
    emit({ type: 'runStarted', runId, presetId: command.presetId, config: checked.config, dataset: dataset.name, layers: describeLayers(trainer.network) })
    recordSnapshots(trainer.iterationsDone)
    void loop.run()
  }

  function controlRun(command: Extract<Command, { type: 'pauseRun' | 'resumeRun' | 'stopRun' }>): void {
    if (!active || active.runId !== command.runId) {
      return emitError(new EngineError('UNKNOWN_RUN', `no active run "${command.runId}"`), { runId: command.runId })
    }
    if (command.type === 'pauseRun') active.loop.pause()
    else if (command.type === 'resumeRun') active.loop.resume()
    else active.loop.stop()
  }

  /** Answered to every client, like other events; runs between training slices, never during one. */
  function inspect(command: Extract<Command, { type: 'getFilters' | 'getFeatureMaps' | 'getIm2col' }>): void {
    const { requestId } = command
    if (!inspected) return emitError(new EngineError('NO_NETWORK', 'no run has built a network yet; start one first'), { requestId })
    try {
      emit(inspected.answer(command))
    } catch (error) {
      emitError(error, { requestId, runId: inspected.runId })
    }
  }

  function weights(command: Extract<Command, { type: 'getWeights' }>): void {
    const { requestId } = command
    if (!inspected) return emitError(new EngineError('NO_NETWORK', 'no run has built a network yet; start one first'), { requestId })
    try {
      emit(inspected.weights(requestId, command.units))
    } catch (error) {
      emitError(error, { requestId, runId: inspected.runId })
    }
  }

  /** Runs between training slices (or while idle), in slices of its own; progress, then the result. */
  function computeLandscape(command: Extract<Command, { type: 'computeLandscape' }>): void {
    const { requestId } = command
    if (!inspected) return emitError(new EngineError('NO_NETWORK', 'no run has built a network yet; train one or load a model first'), { requestId })
    const source = inspected
    const runId = source.runId
    let job: LandscapeJob
    try {
      job = new LandscapeJob(source.landscapeSource(history), command)
    } catch (error) {
      return emitError(error, { requestId, runId })
    }
    const iter = source.iterationsDone
    if (command.estimateOnly) {
      // One point, timed: the whole grid costs about as much per point. The first pass allocates the copy's
      // buffers and warms the code up (measured ~30% slower, bench/landscape.ts), so the second is timed.
      job.evaluate(0, 0)
      const started = performance.now()
      job.evaluate(0, 0)
      const msPerPoint = Math.max(0.001, performance.now() - started)
      return emit({ type: 'landscapeEstimate', requestId, runId, points: job.points, msPerPoint, estimatedMs: msPerPoint * job.points })
    }
    if (landscape) {
      landscape.cancelled = true
      emit({ type: 'landscapeCancelled', requestId: landscape.requestId })
    }
    const state = { requestId, cancelled: false }
    landscape = state
    job
      .run(
        (done, total) => emit({ type: 'landscapeProgress', requestId, runId, done, total }),
        () => state.cancelled,
        yieldToEventLoop
      )
      .then(
        (result) => {
          if (result && !state.cancelled) emit({ type: 'landscape', requestId, runId, iter, result })
        },
        (error) => emitError(error, { requestId, runId })
      )
      .finally(() => {
        if (landscape === state) landscape = null
      })
  }

  function cancelLandscape(command: Extract<Command, { type: 'cancelLandscape' }>): void {
    if (!landscape || landscape.requestId !== command.requestId) return
    landscape.cancelled = true
    landscape = null
    emit({ type: 'landscapeCancelled', requestId: command.requestId })
  }

  function handle(raw: unknown, from: EnginePort): void {
    const parsed = CommandSchema.safeParse(raw)
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ')
      from.postMessage({ type: 'error', code: 'INVALID_MESSAGE', message: `invalid message (${where})` } satisfies EngineEvent)
      return
    }
    const command = parsed.data
    switch (command.type) {
      case 'setThreads':
        setKernelThreads(threadHost, Math.min(command.threads, maxThreads))
        return emit({ type: 'threads', threads: threadsInfo() })
      case 'hello':
        if (command.protocolVersion !== PROTOCOL_VERSION) {
          from.postMessage(
            toErrorEvent(
              new EngineError('PROTOCOL_MISMATCH', `client speaks protocol ${command.protocolVersion}, engine speaks ${PROTOCOL_VERSION}`)
            )
          )
          return
        }
        from.postMessage(readyEvent())
        return
      case 'loadDataset':
        void loadDataset(command.name, command.files, command.requestId)
        return
      case 'startRun':
        return startRun(command)
      case 'pauseRun':
      case 'resumeRun':
      case 'stopRun':
        return controlRun(command)
      case 'getFilters':
      case 'getFeatureMaps':
      case 'getIm2col':
        return inspect(command)
      case 'getWeights':
        return weights(command)
      case 'computeLandscape':
        return computeLandscape(command)
      case 'cancelLandscape':
        return cancelLandscape(command)
      case 'saveModel':
        return models.save(command)
      case 'loadModel':
        return models.load(command)
      case 'evaluateModel':
        return models.evaluate(command)
      case 'cancelEvaluation':
        return models.cancelEvaluation(command)
      case 'predictDigit':
        return models.predict(command)
      case 'exportModel':
        return models.export(command)
      case 'classifyImage':
        return void models.classify(command)
      case 'explainImage':
        return explanations.explain(command)
      case 'listDatasets':
        return void data.list(command)
      case 'importDataset':
        return void data.import(command)
      case 'cancelImport':
        return data.cancelImport(command)
      case 'useDataset':
        return void data.use(command)
      case 'removeDataset':
        return void data.remove(command)
      case 'renameDataset':
        return void data.rename(command)
      case 'getDatasetSamples':
        return data.samples(command)
    }
  }

  function readyEvent(): EngineEventOf<'ready'> {
    return {
      type: 'ready',
      protocolVersion: PROTOCOL_VERSION,
      presets: PRESET_SUMMARIES,
      dataset: dataset ? describeDataset(dataset) : null,
      activeRunId: active?.runId ?? null,
      kernels: gemmBackend(),
      threads: threadsInfo()
    }
  }

  return {
    attach(port) {
      ports.add(port)
      port.onMessage((message) => {
        try {
          handle(message, port)
        } catch (error) {
          emitError(error)
        }
      })
      port.onClose?.(() => ports.delete(port))
    },
    loadDataset,
    installDataset: (decoded) => installDataset(decoded),
    reportError(code, message, requestId) {
      emitError(new EngineError(code, message), { requestId })
    }
  }
}

function invalidConfig(problems: FieldProblem[], runId: string): EngineEventOf<'error'> {
  return { type: 'error', code: 'INVALID_CONFIG', message: `invalid settings: ${describeProblems(problems)}`, runId, problems }
}

function toErrorEvent(error: unknown, context: { requestId?: string; runId?: string } = {}): EngineEventOf<'error'> {
  if (error instanceof EngineError) {
    const problems = error.details?.problems as FieldProblem[] | undefined
    return { type: 'error', code: error.code, message: error.message, ...context, ...(problems ? { problems } : {}) }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { type: 'error', code: 'INTERNAL', message: `internal engine error: ${message}`, ...context }
}

/** A checkpoint continues its own run: only the total, the evaluation interval and the subset may change. */
function checkSameRun(file: ModelFile, config: RunConfig): void {
  if (!file.checkpoint) throw new EngineError('INVALID_MODEL', 'this file is a model without training state: save a checkpoint to continue training')
  // Compared by value, whatever order the fields arrived in.
  const fixed = (c: RunConfig) => canonicalJson({ ...c, iterations: 0, evalInterval: 0, evalSubset: 0 })
  if (fixed(file.summary.config) !== fixed(config)) {
    throw new EngineError('INVALID_CONFIG', 'a resumed run keeps its checkpoint\'s settings; only iterations, the evaluation interval and the subset may change')
  }
  if (config.iterations <= file.summary.iteration) {
    throw new EngineError('INVALID_CONFIG', `iterations: the checkpoint is at iteration ${file.summary.iteration}; the run's total must be larger (it is ${config.iterations})`, {
      problems: [{ field: 'iterations', message: `must be more than ${file.summary.iteration}, where the checkpoint stopped` }]
    })
  }
}

/** JSON with every object's keys sorted, so equal settings compare equal as text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v
  )
}
