/**
 * The engine's message loop: validated commands in, events out. It only routes; each room of commands
 * (runs, visualisations, models, explanations, data) is a handler of its own in this folder.
 */
import { decodeMnist, describeDataset } from '../data/mnist'
import type { ImageDataset } from '../data/image-set'
import type { DataLibrary } from '../data/data-library'
import type { EnginePort } from '../hosts/port'
import { backendKind, backendReason, kernelThreads, setKernelThreads } from '../kernels/backend'
import type { KernelThreadHost } from '../kernels/threads/kernel-pool'
import { PRESETS } from '../presets'
import { EngineError, type ErrorCode } from '../protocol/error-codes'
import { CommandSchema, type DatasetFiles, type EngineEvent, type EngineEventOf, type ThreadsInfo } from '../protocol/messages'
import { PROTOCOL_VERSION } from '../protocol/version'
import { DataCommands } from './data-commands'
import { EmbedCommands } from './embed-commands'
import { ExplainCommands } from './explain-commands'
import { InspectCommands } from './inspect-commands'
import { ModelCommands } from './model-commands'
import { RunCommands } from './run-commands'
import { toErrorEvent } from './session-events'

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

const PRESET_SUMMARIES = PRESETS.map(({ id, lesson, title, summary, description, quirks, config }) => ({
  id,
  lesson,
  title,
  summary,
  description,
  quirks,
  config
}))

/** What a host gives the session: how it starts kernel threads and where it keeps data sets. */
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
  // Correct but slow, and easy to miss: a host that forgot installWasmBackends() (its ready event says 'ts').
  if (backendReason() === 'not-installed') console.warn('[engine] no WebAssembly backends installed in this host: the TypeScript backend computes (slower)')
  const threadsInfo = (): ThreadsInfo => {
    const { wanted, shared } = kernelThreads()
    return { wanted: Math.min(wanted, maxThreads), max: maxThreads, available: shared && threadHost !== null }
  }

  const ports = new Set<EnginePort>()
  let dataset: ImageDataset | null = null

  const emit = (event: EngineEvent): void => {
    for (const port of ports) port.postMessage(event)
  }
  const emitError = (error: unknown, context: { requestId?: string; runId?: string } = {}): void => {
    emit(toErrorEvent(error, context))
  }

  const inspection = new InspectCommands({ emit, emitError })
  const runs: RunCommands = new RunCommands({
    emit,
    emitError,
    dataset: () => dataset,
    forgetLoadedModel: () => models.forgetLoaded(),
    lookAt: (inspector, history) => inspection.lookAt(inspector, history)
  })

  const models = new ModelCommands({
    emit,
    emitError,
    dataset: () => dataset,
    lastRun: () => runs.lastRun,
    isTraining: () => runs.activeRunId !== null,
    inspect: (inspector) => inspection.lookAt(inspector)
  })

  const explanations = new ExplainCommands({ emit, emitError, dataset: () => dataset, target: (requestId, what) => models.target(requestId, what) })
  const embeddings = new EmbedCommands({
    emit,
    emitError,
    dataset: () => dataset,
    target: (requestId, what) => models.target(requestId, what),
    lastRun: () => runs.lastRun
  })

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
            toErrorEvent(new EngineError('PROTOCOL_MISMATCH', `client speaks protocol ${command.protocolVersion}, engine speaks ${PROTOCOL_VERSION}`))
          )
          return
        }
        from.postMessage(readyEvent())
        return
      case 'loadDataset':
        void loadDataset(command.name, command.files, command.requestId)
        return
      case 'startRun':
        return runs.start(command)
      case 'pauseRun':
      case 'resumeRun':
      case 'stopRun':
        return runs.control(command)
      case 'getFilters':
      case 'getFeatureMaps':
      case 'getIm2col':
        return inspection.inspect(command)
      case 'getWeights':
        return inspection.weights(command)
      case 'computeLandscape':
        return inspection.computeLandscape(command)
      case 'cancelLandscape':
        return inspection.cancelLandscape(command)
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
      case 'embed':
        return embeddings.embed(command)
      case 'cancelEmbedding':
        return embeddings.cancel(command)
      case 'getEmbeddingLayers':
        return embeddings.layers(command)
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
      activeRunId: runs.activeRunId,
      kernels: backendKind(),
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
