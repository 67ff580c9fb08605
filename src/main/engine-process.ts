/**
 * The engine's utility process, seen from main: start it, hand each renderer a MessagePort to it, and
 * restart it (with backoff, up to a cap) when it dies unexpectedly.
 *
 * Electron is reached only through injected functions (`fork`, `createChannel`) and `import type`, so the
 * class is unit-tested in plain Node (test/main/engine-process.test.ts); src/main/index.ts passes
 * `utilityProcess.fork` and `new MessageChannelMain()`.
 *
 * Lifecycle, as EngineStatus events (also pushed to every renderer on IPC channel `engine:status`):
 *   starting → running → (exit) crashed → restarting → running …   or, past the cap, crashed → failed
 *   dispose() → stopped
 */
import { EventEmitter } from 'node:events'
import type { ForkOptions, MessagePortMain, UtilityProcess, WebContents } from 'electron'
import type { EngineStatus } from '../preload/api'
import { IPC } from './channels'
import { RestartPolicy } from './restart-policy'

/** Control messages to the utility process (validated there by ControlMessageSchema). */
type ControlMessage = { kind: 'connect'; connectionId: number } | { kind: 'disconnect'; connectionId: number } | { kind: 'loadDirectory'; dir: string }

export interface EngineProcessDeps {
  fork(modulePath: string, args: string[], options: ForkOptions): UtilityProcess
  createChannel(): { port1: MessagePortMain; port2: MessagePortMain }
  now?(): number
}

export interface EngineProcessOptions {
  /** out/main/engineHost.js */
  modulePath: string
  /** Directory of the bundled MNIST files, passed as --data-dir. */
  dataDir: string
  /** The lab's home folder (its data library, shared with the CLI); the engine's default when absent. */
  homeDir?: string
  /** WebP's decoder (a packaged app's copy); the engine's node_modules one when absent. */
  webpWasm?: string
  policy?: RestartPolicy
}

export interface EngineProcessEvents {
  status: [status: EngineStatus]
  spawn: [pid: number | undefined]
  exit: [info: { code: number; expected: boolean }]
}

/** The subset of WebContents used here (a real WebContents satisfies it). */
export type RendererContents = Pick<WebContents, 'id' | 'isDestroyed' | 'isLoading' | 'send' | 'postMessage' | 'on' | 'once' | 'off'>

interface RendererEntry {
  contents: RendererContents
  /** 'main' for the page's own connection; a request id for extra ones asked for by the page. */
  connections: Map<string, number>
  /** The page's own connection was made since its last (re)load started: did-finish-load need not make one. */
  connectedThisLoad: boolean
  /** Connections to re-make when a restarted engine comes up (the page's and every extra one). */
  toReconnect: string[]
  detach(): void
}

const MAIN_CONNECTION = 'main'

export class EngineProcess extends EventEmitter<EngineProcessEvents> {
  private child: UtilityProcess | undefined
  private running = false
  private status: EngineStatus = { state: 'stopped' }
  private readonly renderers = new Map<number, RendererEntry>()
  private readonly pending: ControlMessage[] = []
  private readonly policy: RestartPolicy
  private nextConnectionId = 1
  private restartTimer: ReturnType<typeof setTimeout> | undefined
  private fatal: string | undefined
  private disposed = false

  constructor(
    private readonly options: EngineProcessOptions,
    private readonly deps: EngineProcessDeps
  ) {
    super()
    this.policy = options.policy ?? new RestartPolicy()
  }

  get currentStatus(): EngineStatus {
    return this.status
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  /** Starts the utility process (call once, after app 'ready'). */
  start(): void {
    if (this.disposed || this.child) return
    this.setStatus({ state: 'starting' })
    this.spawn()
  }

  /**
   * Follows a renderer for its whole life: after every (re)load it gets the current status and a fresh
   * port; it is forgotten when destroyed.
   */
  attachRenderer(contents: RendererContents): void {
    if (this.renderers.has(contents.id)) return
    const onStartLoading = (): void => {
      // The page that owned the previous ports is going: release them in the engine.
      this.disconnectAll(entry)
      entry.connectedThisLoad = false
    }
    const onLoad = (): void => {
      this.sendStatus(contents)
      // A page that asked for its port while loading has one already: one channel and one hello per load.
      if (!entry.connectedThisLoad) this.connect(contents)
    }
    const onDestroyed = (): void => {
      this.disconnectAll(entry)
      this.renderers.delete(contents.id)
    }
    const entry: RendererEntry = {
      contents,
      connections: new Map(),
      connectedThisLoad: false,
      toReconnect: [],
      detach: () => {
        contents.off('did-start-loading', onStartLoading)
        contents.off('did-finish-load', onLoad)
        contents.off('destroyed', onDestroyed)
      }
    }
    this.renderers.set(contents.id, entry)
    contents.on('did-start-loading', onStartLoading)
    contents.on('did-finish-load', onLoad)
    contents.once('destroyed', onDestroyed)
    if (!contents.isLoading()) onLoad()
  }

  /**
   * Hands `contents` a new port to the engine: one end to the utility process (`connect`), the other to the
   * renderer (`engine:port`, forwarded to the page by the preload). Without `requestId` it replaces the
   * page's own connection; with one it adds an extra connection under that id. Returns false when the
   * engine is not running (the port then follows when it is).
   */
  connect(contents: RendererContents, requestId?: string): boolean {
    const entry = this.renderers.get(contents.id)
    if (!entry || contents.isDestroyed() || !this.child || !this.running) return false
    const key = requestId ?? MAIN_CONNECTION
    const previous = entry.connections.get(key)
    if (previous !== undefined) this.post({ kind: 'disconnect', connectionId: previous })

    const connectionId = this.nextConnectionId++
    const { port1, port2 } = this.deps.createChannel()
    this.child.postMessage({ kind: 'connect', connectionId } satisfies ControlMessage, [port2])
    contents.postMessage(IPC.enginePort, requestId === undefined ? {} : { requestId }, [port1])
    entry.connections.set(key, connectionId)
    if (requestId === undefined) entry.connectedThisLoad = true
    return true
  }

  /**
   * Asks the engine to load a dataset directory; its outcome reaches the renderers as engine events.
   * While the engine is restarting the request waits for the new process. Returns false if the engine is
   * down for good (or disposed).
   */
  loadDirectory(dir: string): boolean {
    return this.post({ kind: 'loadDirectory', dir })
  }

  /** Stops the process on purpose (app quit); no restart follows. */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    if (this.restartTimer) clearTimeout(this.restartTimer)
    this.restartTimer = undefined
    for (const entry of this.renderers.values()) entry.detach()
    this.renderers.clear()
    const child = this.child
    this.child = undefined
    this.running = false
    child?.kill()
    this.setStatus({ state: 'stopped' })
  }

  // ---- internals --------------------------------------------------------------------------------

  private spawn(): void {
    this.fatal = undefined
    this.running = false
    const args = [
      `--data-dir=${this.options.dataDir}`,
      ...(this.options.homeDir ? [`--home=${this.options.homeDir}`] : []),
      ...(this.options.webpWasm ? [`--webp-wasm=${this.options.webpWasm}`] : [])
    ]
    const child = this.deps.fork(this.options.modulePath, args, {
      serviceName: 'gradient-lab-engine',
      stdio: 'inherit'
    })
    this.child = child

    child.on('spawn', () => {
      if (this.child !== child) return
      this.running = true
      this.setStatus({ state: 'running', pid: child.pid })
      this.emit('spawn', child.pid)
      for (const message of this.pending.splice(0)) child.postMessage(message)
      for (const entry of this.renderers.values()) {
        // A renderer still loading gets its port from its own did-finish-load.
        if (entry.contents.isDestroyed() || entry.contents.isLoading()) continue
        // The page's own connection and every extra one it had asked for come back.
        const keys = entry.toReconnect.length > 0 ? entry.toReconnect.splice(0) : [MAIN_CONNECTION]
        for (const key of keys) this.connect(entry.contents, key === MAIN_CONNECTION ? undefined : key)
      }
    })
    child.on('error', (type, location) => {
      if (this.child === child) this.fatal = `${type} at ${location}`
    })
    child.on('exit', (code) => this.onExit(child, code))
  }

  private onExit(child: UtilityProcess, code: number): void {
    if (this.child !== child) {
      // A process we replaced or killed on purpose.
      this.emit('exit', { code, expected: true })
      return
    }
    this.child = undefined
    this.running = false
    for (const entry of this.renderers.values()) {
      entry.toReconnect = [...entry.connections.keys()]
      entry.connections.clear()
    }
    this.emit('exit', { code, expected: false })

    const reason = this.fatal
      ? `the engine process hit a fatal error (${this.fatal}) and exited with code ${code}`
      : `the engine process exited unexpectedly with code ${code}`
    this.setStatus({ state: 'crashed', reason, exitCode: code })

    const decision = this.policy.onCrash(this.deps.now?.() ?? Date.now())
    if (decision.action === 'give-up') {
      this.pending.length = 0
      const minutes = Math.round(decision.windowMs / 60_000)
      this.setStatus({
        state: 'failed',
        reason:
          `The training engine crashed ${decision.crashes} times within ${minutes === 1 ? 'a minute' : `${minutes} minutes`} ` +
          `and will not be restarted (last: ${reason}). Restart Gradient Lab to try again.`
      })
      return
    }
    this.setStatus({ state: 'restarting', attempt: decision.attempt, maxRestarts: decision.maxRestarts, delayMs: decision.delayMs })
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined
      if (!this.disposed) this.spawn()
    }, decision.delayMs)
  }

  /** Sends a control message now, or queues it while a (re)start is under way. */
  private post(message: ControlMessage): boolean {
    if (this.disposed || this.status.state === 'failed') return false
    if (this.child && this.running) this.child.postMessage(message)
    else if (message.kind === 'loadDirectory') this.pending.push(message)
    // connect/disconnect for a process that is not running are moot: ports are re-made on spawn.
    return true
  }

  private disconnectAll(entry: RendererEntry): void {
    for (const connectionId of entry.connections.values()) this.post({ kind: 'disconnect', connectionId })
    entry.connections.clear()
    entry.toReconnect = []
  }

  private setStatus(status: EngineStatus): void {
    this.status = status
    this.emit('status', status)
    for (const entry of this.renderers.values()) this.sendStatus(entry.contents)
  }

  private sendStatus(contents: RendererContents): void {
    if (!contents.isDestroyed()) contents.send(IPC.engineStatus, this.status)
  }
}
