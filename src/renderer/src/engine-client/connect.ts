import { EngineClient } from './engine-client'

/**
 * Picks the engine host and keeps one `EngineClient` connected to it across engine restarts.
 *
 * - Electron: the engine runs in a utility process; the preload forwards its MessagePort to this window
 *   as a `message` event, and sends a fresh one after every restart.
 * - Browser: the engine runs in a module Web Worker that this file starts (and restarts after a crash).
 *
 * Either way the rest of the renderer sees the same thing: a client, a stream of host status changes and,
 * where the host has one, a native folder dialog.
 */

export type HostKind = 'electron' | 'browser'

export type HostStatus =
  /** A channel is attached and `hello` was sent; `restarted` says it belongs to a new engine after a crash. */
  | { state: 'connected'; restarted: boolean }
  | { state: 'crashed'; reason?: string }
  | { state: 'restarting'; reason?: string }
  /** The engine kept crashing; no further restart is attempted. */
  | { state: 'gave-up'; reason?: string }

export type DirectoryChoice = { canceled: true } | { canceled: false; directory: string }

export interface EngineConnection {
  readonly host: HostKind
  readonly client: EngineClient
  /** Starts the engine (browser) or starts listening for it (Electron). Call after subscribing. */
  start(): void
  onStatus(listener: (status: HostStatus) => void): () => void
  /** Electron only: the native folder dialog; the engine then loads the folder and reports on the port. */
  chooseDatasetDirectory?: () => Promise<DirectoryChoice>
  /** Electron only: a folder to import into the data library (the path only; the page sends the import). */
  chooseImportDirectory?: () => Promise<DirectoryChoice>
  dispose(): void
}

class StatusEmitter {
  private readonly listeners = new Set<(status: HostStatus) => void>()
  on(listener: (status: HostStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
  emit(status: HostStatus): void {
    for (const listener of this.listeners) listener(status)
  }
}

/** The message the preload posts to hand over the engine's port. */
export function isEnginePortMessage(event: MessageEvent): boolean {
  const data = event.data as { source?: unknown; kind?: unknown } | null
  return typeof data === 'object' && data !== null && data.source === 'gradient-lab' && data.kind === 'engine-port' && event.ports.length > 0
}

export function createElectronConnection(bridge: GradientLabBridge, target: Window = window): EngineConnection {
  const client = new EngineClient()
  const status = new StatusEmitter()
  let ports = 0
  /** A port after a crash means a new engine; a second port without one (e.g. answering our request) does not. */
  let engineWentDown = false
  let stopBridge: (() => void) | null = null

  const onWindowMessage = (event: MessageEvent): void => {
    if (!isEnginePortMessage(event)) return
    // A port with a request id is an extra connection someone else asked for, not the page's own.
    if ((event.data as { requestId?: unknown }).requestId !== undefined) return
    client.attach(event.ports[0])
    ports += 1
    client.hello()
    status.emit({ state: 'connected', restarted: engineWentDown })
    engineWentDown = false
  }
  // Listen at once, not in start(): the port may be posted as soon as the page has loaded.
  target.addEventListener('message', onWindowMessage)

  return {
    host: 'electron',
    client,
    start() {
      stopBridge = bridge.onEngineStatus((s: GradientLabEngineStatus) => {
        // 'running' is implied by the next port arriving; only the bad news needs showing here.
        if (s.state === 'crashed' || s.state === 'restarting' || s.state === 'failed') engineWentDown = true
        if (s.state === 'crashed') status.emit({ state: 'crashed', reason: s.reason })
        else if (s.state === 'restarting') status.emit({ state: 'restarting' })
        else if (s.state === 'failed') status.emit({ state: 'gave-up', reason: s.reason })
      })
      // If the port was posted before this script listened, ask the preload for a fresh one.
      if (ports === 0) target.postMessage({ source: 'gradient-lab', kind: 'engine-port-request' }, '*')
    },
    onStatus: (listener) => status.on(listener),
    chooseDatasetDirectory: () => bridge.chooseDatasetDirectory(),
    chooseImportDirectory: () => bridge.chooseImportDirectory(),
    dispose() {
      target.removeEventListener('message', onWindowMessage)
      stopBridge?.()
      client.detach()
    }
  }
}

export interface BrowserConnectionOptions {
  createWorker?: () => Worker
  /** At most this many restarts within `restartWindowMs`; beyond that the crash is final (a broken build would loop forever). */
  maxRestarts?: number
  restartWindowMs?: number
}

export function createEngineWorker(): Worker {
  // Vite bundles the engine as a separate module worker from this exact expression.
  return new Worker(new URL('../../../engine/hosts/web-worker.ts', import.meta.url), { type: 'module', name: 'gradient-lab-engine' })
}

export function createBrowserConnection(options: BrowserConnectionOptions = {}): EngineConnection {
  const makeWorker = options.createWorker ?? createEngineWorker
  const maxRestarts = options.maxRestarts ?? 3
  const windowMs = options.restartWindowMs ?? 60_000
  const client = new EngineClient()
  const status = new StatusEmitter()
  let worker: Worker | null = null
  let spawned = 0
  let restartTimes: number[] = []

  const onError = (event: ErrorEvent): void => {
    // Handled here and shown in the UI, so the browser need not log it as uncaught as well.
    event.preventDefault()
    const reason = event.message || 'the engine worker stopped unexpectedly'
    status.emit({ state: 'crashed', reason })
    stopWorker()
    const now = Date.now()
    restartTimes = restartTimes.filter((t) => now - t < windowMs)
    if (restartTimes.length >= maxRestarts) {
      status.emit({ state: 'gave-up', reason })
      return
    }
    restartTimes.push(now)
    status.emit({ state: 'restarting', reason })
    spawn()
  }

  const onMessageError = (): void => {
    client.receive({ type: '(unreadable message)' })
  }

  function stopWorker(): void {
    if (!worker) return
    worker.removeEventListener('error', onError)
    worker.removeEventListener('messageerror', onMessageError)
    client.detach()
    worker.terminate()
    worker = null
  }

  function spawn(): void {
    worker = makeWorker()
    worker.addEventListener('error', onError)
    worker.addEventListener('messageerror', onMessageError)
    client.attach(worker)
    spawned += 1
    client.hello()
    status.emit({ state: 'connected', restarted: spawned > 1 })
  }

  return {
    host: 'browser',
    client,
    start: spawn,
    onStatus: (listener) => status.on(listener),
    dispose: stopWorker
  }
}

/** The host this renderer runs in: Electron when the preload exposed its bridge, a browser otherwise. */
export function connectEngine(): EngineConnection {
  const bridge = window.gradientLab
  return bridge?.host === 'electron' ? createElectronConnection(bridge) : createBrowserConnection()
}
