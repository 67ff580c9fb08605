import { EventSchema, PROTOCOL_VERSION, type Command, type DatasetFiles, type EngineEvent, type EngineEventOf } from '@engine/protocol'
import type { RunConfigInput } from '@engine/config/run-config'

/**
 * The renderer's only door to the engine. It speaks the protocol over anything port-like (a Web Worker,
 * a MessagePort from Electron's preload, a fake in tests), checks every incoming message against the
 * protocol schema and hands typed events to subscribers.
 */

/** What the client needs from a channel. `Worker` and `MessagePort` both fit. */
export interface PortLike {
  postMessage(message: unknown, transfer: Transferable[]): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  /** MessagePort needs start() when listeners are added with addEventListener. */
  start?(): void
}

export type EventType = EngineEvent['type']
type Handler<T extends EventType> = (event: EngineEventOf<T>) => void
type AnyHandler = (event: EngineEvent) => void

/** Limits the size of a rejected message quoted in an error, so a huge bad payload cannot flood the UI. */
const MAX_QUOTED_ISSUES = 3

/** An engine `error` answering one request: its code and the message for the user. */
export class EngineRequestError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

/** Events after which the same request still has more to say (its outcome, or an error). */
const MORE_TO_COME = new Set<EventType>(['landscapeProgress', 'datasetImportProgress'])

export class EngineClient {
  private port: PortLike | null = null
  private readonly handlers = new Map<EventType, Set<(event: EngineEvent) => void>>()
  private readonly anyHandlers = new Set<AnyHandler>()
  private requestCounter = 0
  /** Ids of filter / feature-map / im2col requests: their answers and errors belong to the view that asked. */
  private readonly inspectionRequests = new Set<string>()

  constructor(port?: PortLike) {
    if (port) this.attach(port)
  }

  /**
   * Switches to a new channel (after an engine restart the host hands over a fresh one). Subscribers stay;
   * the old channel is no longer listened to. Callers send `hello` afterwards to learn the new engine's state.
   */
  attach(port: PortLike): void {
    this.detach()
    this.port = port
    port.addEventListener('message', this.onMessage)
    port.start?.()
  }

  detach(): void {
    this.port?.removeEventListener('message', this.onMessage)
    this.port = null
  }

  get attached(): boolean {
    return this.port !== null
  }

  /** Subscribes to one event type; returns the unsubscribe function. */
  on<T extends EventType>(type: T, handler: Handler<T>): () => void {
    let set = this.handlers.get(type)
    if (!set) {
      set = new Set()
      this.handlers.set(type, set)
    }
    const wrapped = handler as (event: EngineEvent) => void
    set.add(wrapped)
    return () => set.delete(wrapped)
  }

  /** Subscribes to every event (used for diagnostics and tests). */
  onAny(handler: AnyHandler): () => void {
    this.anyHandlers.add(handler)
    return () => this.anyHandlers.delete(handler)
  }

  hello(): void {
    this.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
  }

  startRun(runId: string, config: RunConfigInput, presetId?: string): void {
    this.send(presetId === undefined ? { type: 'startRun', runId, config } : { type: 'startRun', runId, config, presetId })
  }

  /** How many threads the engine's matrix products may use (it answers `threads`). */
  setThreads(threads: number): void {
    this.send({ type: 'setThreads', threads })
  }

  pauseRun(runId: string): void {
    this.send({ type: 'pauseRun', runId })
  }

  resumeRun(runId: string): void {
    this.send({ type: 'resumeRun', runId })
  }

  stopRun(runId: string): void {
    this.send({ type: 'stopRun', runId })
  }

  /**
   * Sends the four IDX files. Their buffers are transferred, not copied (the full MNIST set is ~50 MB),
   * so the caller must not use them afterwards. Returns the request id the engine echoes in its answer.
   */
  loadDataset(name: string, files: Record<keyof DatasetFiles, ArrayBuffer>): string {
    const requestId = `load-${Date.now().toString(36)}-${++this.requestCounter}`
    const buffers = Object.values(files)
    // The same buffer listed twice in a transfer list throws, so list each once.
    const transfer = [...new Set(buffers)]
    this.send({ type: 'loadDataset', requestId, name, files }, transfer)
    return requestId
  }

  /** Asks for a conv layer's filters; the engine answers `filters` (or `error`) with the returned request id. */
  getFilters(layer: string): string {
    const requestId = this.nextRequestId('filters')
    this.send({ type: 'getFilters', requestId, layer })
    return requestId
  }

  /** Asks for one layer's output for one image; answered by `featureMaps` with the returned request id. */
  getFeatureMaps(layer: string, split: 'train' | 'test', index: number): string {
    const requestId = this.nextRequestId('maps')
    this.send({ type: 'getFeatureMaps', requestId, layer, split, index })
    return requestId
  }

  /** Asks for a conv layer's im2col matrix for one image; answered by `im2col` with the returned request id. */
  getIm2col(layer: string, split: 'train' | 'test', index: number): string {
    const requestId = this.nextRequestId('im2col')
    this.send({ type: 'getIm2col', requestId, layer, split, index })
    return requestId
  }

  /** Asks for the inspected network's weights, summarised, with up to `units` first-layer units as images → `weights`. */
  getWeights(units: number): string {
    const requestId = this.nextRequestId('weights')
    this.send({ type: 'getWeights', requestId, units })
    return requestId
  }

  /**
   * Asks for a loss landscape of the inspected network → `landscapeProgress` events, then `landscape`
   * (or only `landscapeEstimate` with estimateOnly).
   */
  computeLandscape(request: {
    plane: 'random' | 'path'
    split: 'train' | 'test'
    images: number
    grid: number
    span: number
    seed: number
    estimateOnly: boolean
  }): string {
    const requestId = this.nextRequestId(request.estimateOnly ? 'estimate' : 'landscape')
    this.send({ type: 'computeLandscape', requestId, ...request })
    return requestId
  }

  cancelLandscape(requestId: string): void {
    this.send({ type: 'cancelLandscape', requestId })
  }

  /** Continues a checkpoint (its file's bytes) to config.iterations. */
  continueFrom(runId: string, config: RunConfigInput, checkpoint: Uint8Array, presetId?: string): void {
    this.send({ type: 'startRun', runId, config, resumeFrom: checkpoint, ...(presetId === undefined ? {} : { presetId }) })
  }

  /** The active or last run as a model file → `modelSaved` with the returned request id. */
  saveModel(checkpoint: boolean): string {
    const requestId = this.nextRequestId('save')
    this.send({ type: 'saveModel', requestId, checkpoint })
    return requestId
  }

  /** Opens a model file in the engine → `modelLoaded`; the bytes are copied, the caller keeps them. */
  loadModel(bytes: Uint8Array): string {
    const requestId = this.nextRequestId('model')
    this.send({ type: 'loadModel', requestId, bytes: bytes.slice() })
    return requestId
  }

  /** The loaded model on the test split → `modelEvaluationProgress` events, then `modelEvaluation`. */
  evaluateModel(): string {
    const requestId = this.nextRequestId('evaluate')
    this.send({ type: 'evaluateModel', requestId })
    return requestId
  }

  cancelEvaluation(requestId: string): void {
    this.send({ type: 'cancelEvaluation', requestId })
  }

  /** 784 pixels in [0, 1] → `digitPrediction`. */
  predictDigit(pixels: number[]): string {
    const requestId = this.nextRequestId('predict')
    this.send({ type: 'predictDigit', requestId, pixels })
    return requestId
  }

  /** An image file's bytes (PNG, JPEG, BMP, WebP), copied → `imagePrediction`: the image as the model saw it and its scores. */
  classifyImage(bytes: Uint8Array): string {
    const requestId = this.nextRequestId('classify')
    this.send({ type: 'classifyImage', requestId, bytes: bytes.slice() })
    return requestId
  }

  /** Why the open network answers as it does for one image (`index` of a split, or `pixels` in [0, 1]) → `explanation`. */
  explainImage(request: Omit<Extract<Command, { type: 'explainImage' }>, 'type' | 'requestId'>): string {
    return this.request('explain', (requestId) => ({ type: 'explainImage', requestId, ...request }))
  }

  /** A layer's activations for N images projected to 2-D → `embeddingProgress` events, then `embedding` (or `embeddingCancelled`). */
  embed(request: Omit<Extract<Command, { type: 'embed' }>, 'type' | 'requestId'>): string {
    return this.request('embed', (requestId) => ({ type: 'embed', requestId, ...request }))
  }

  cancelEmbedding(requestId: string): void {
    this.send({ type: 'cancelEmbedding', requestId })
  }

  /** The layers an embedding can be made of, and the default one → `embeddingLayers`. */
  getEmbeddingLayers(source?: 'model' | 'run'): string {
    return this.request('embed-layers', (requestId) => ({ type: 'getEmbeddingLayers', requestId, ...(source ? { source } : {}) }))
  }

  exportOnnx(): string {
    const requestId = this.nextRequestId('export')
    this.send({ type: 'exportModel', requestId, format: 'onnx' })
    return requestId
  }

  // ---- the data library (answers carry the returned request id; errors go to the view that asked) ----

  listDatasets(): string {
    return this.request('datasets', (requestId) => ({ type: 'listDatasets', requestId }))
  }

  /** Starts an import → `datasetImportProgress` events, then `datasetImported` (the set is then loaded), an error, or `datasetImportCancelled`. */
  importDataset(request: Omit<Extract<Command, { type: 'importDataset' }>, 'type' | 'requestId'>): string {
    const transfer = request.source.kind === 'files' ? [...new Set(request.source.files.map((f) => (f.bytes as Uint8Array).buffer as ArrayBuffer))] : []
    const requestId = this.nextRequestId('import')
    this.send({ type: 'importDataset', requestId, ...request }, transfer)
    return requestId
  }

  cancelImport(requestId: string): void {
    this.send({ type: 'cancelImport', requestId })
  }

  /** Loads a set of the library (or the bundled one) → `datasetLoaded`. */
  useDataset(name: string): string {
    return this.request('use', (requestId) => ({ type: 'useDataset', requestId, name }))
  }

  removeDataset(name: string): string {
    return this.request('remove', (requestId) => ({ type: 'removeDataset', requestId, name }))
  }

  renameDataset(from: string, to: string): string {
    return this.request('rename', (requestId) => ({ type: 'renameDataset', requestId, from, to }))
  }

  /** Images of the loaded set for a gallery → `datasetSamples`. */
  getDatasetSamples(request: Omit<Extract<Command, { type: 'getDatasetSamples' }>, 'type' | 'requestId'>): string {
    return this.request('samples', (requestId) => ({ type: 'getDatasetSamples', requestId, ...request }))
  }

  private request(prefix: string, command: (requestId: string) => Command): string {
    const requestId = this.nextRequestId(prefix)
    this.send(command(requestId))
    return requestId
  }

  /** Resolves with the first event of `type` that answers `requestId`; an `error` for it rejects. */
  answer<T extends EventType>(requestId: string, type: T): Promise<Extract<EngineEvent, { type: T }>> {
    return new Promise((resolve, reject) => {
      const offs: Array<() => void> = []
      const done = (): void => offs.forEach((off) => off())
      offs.push(
        this.on(type, (event) => {
          if ((event as { requestId?: string }).requestId !== requestId) return
          done()
          resolve(event as Extract<EngineEvent, { type: T }>)
        }),
        this.on('error', (event) => {
          if (event.requestId !== requestId) return
          done()
          reject(new EngineRequestError(event.code, event.message))
        })
      )
    })
  }

  private nextRequestId(prefix: string): string {
    const requestId = `${prefix}-${Date.now().toString(36)}-${++this.requestCounter}`
    this.inspectionRequests.add(requestId)
    return requestId
  }

  /** True for the id of a visualization request (filters, feature maps, im2col) this client sent. */
  isInspectionRequest(requestId: string | undefined): boolean {
    return requestId !== undefined && this.inspectionRequests.has(requestId)
  }

  /** Feeds a raw incoming message through validation and dispatch (also used by tests). */
  receive(data: unknown): void {
    const parsed = EventSchema.safeParse(data)
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, MAX_QUOTED_ISSUES)
        .map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`)
        .join('; ')
      const type = typeof data === 'object' && data !== null && 'type' in data ? String((data as { type: unknown }).type) : '?'
      this.dispatch({
        type: 'error',
        code: 'INVALID_MESSAGE',
        message: `The engine sent a message the app cannot read (type "${type.slice(0, 40)}"): ${issues}`
      })
      return
    }
    this.dispatch(parsed.data)
  }

  private readonly onMessage = (event: MessageEvent): void => {
    this.receive(event.data)
  }

  private dispatch(event: EngineEvent): void {
    const targets = [...(this.handlers.get(event.type) ?? []), ...this.anyHandlers]
    for (const handler of targets) {
      // One faulty subscriber must not stop the others from hearing the event.
      try {
        handler(event)
      } catch (error) {
        queueMicrotask(() => {
          throw error
        })
      }
    }
    // A request is answered once (its result or its error): forget its id after everyone has heard it.
    if ('requestId' in event && event.requestId !== undefined && !MORE_TO_COME.has(event.type)) this.inspectionRequests.delete(event.requestId)
  }

  private send(command: Command, transfer: Transferable[] = []): void {
    if (!this.port) throw new Error('The engine is not connected yet.')
    this.port.postMessage(command, transfer)
  }
}
