import { resolve } from 'node:path'
import { readIdxDirectory } from '../engine/hosts/node/read-idx-dir'
import { createInProcessChannel } from '../engine/hosts/in-process'
import { EngineError } from '../engine/protocol/error-codes'
import { EventSchema, PROTOCOL_VERSION, type Command, type DatasetInfo, type EngineEvent } from '../engine/protocol'
import { createEngineSession } from '../engine/session/session'
import { installWasmBackends } from '../engine/kernels/install-wasm-backends'
import { nodeKernelThreads } from '../engine/hosts/node/kernel-threads'
import { nodeDataLibrary } from '../engine/hosts/node/node-data-library'
import { resolveDataSource } from './data-source'

// The CLI's engine host: whatever starts from here (a lab command, a sweep worker, a benchmark that takes
// the bundled set's folder) computes on the WebAssembly backends, as the other hosts do.
installWasmBackends()

/** Where the bundled 8,000 / 2,000 MNIST set lives in the repository. */
export const BUNDLED_MNIST_DIR = resolve(import.meta.dirname, '../../resources/mnist')

/**
 * The CLI's engine: a session on an in-process channel, spoken to through the same validated protocol
 * the desktop and browser hosts use.
 */
export class EngineConnection {
  private readonly listeners = new Set<(event: EngineEvent) => void>()
  private readonly client

  private readonly session

  private constructor() {
    const session = createEngineSession({ threads: nodeKernelThreads, library: nodeDataLibrary() })
    this.session = session
    const { enginePort, clientPort } = createInProcessChannel()
    session.attach(enginePort)
    this.client = clientPort
    clientPort.onMessage((raw) => {
      const event = EventSchema.parse(raw)
      for (const listener of [...this.listeners]) listener(event)
    })
  }

  /**
   * Connects and loads the data `--data` names (the bundled MNIST when absent, see data-source.ts);
   * rejects with the engine's error if they are unusable.
   */
  static async open(dataOption: string | undefined, threads?: number): Promise<{ engine: EngineConnection; dataset: DatasetInfo }> {
    const engine = await EngineConnection.connect(threads)
    const source = await resolveDataSource(dataOption, BUNDLED_MNIST_DIR)
    if (source.kind === 'set') {
      const loaded = engine.next('datasetLoaded')
      engine.session.installDataset(source.dataset)
      return { engine, dataset: (await loaded).dataset }
    }
    const files = await readIdxDirectory(source.dir)
    const loaded = await engine.until('datasetLoaded', { type: 'loadDataset', name: source.name, files })
    return { engine, dataset: loaded.dataset }
  }

  /** Connects without loading data (the data library commands). */
  static async connect(threads?: number): Promise<EngineConnection> {
    const engine = new EngineConnection()
    await engine.until('ready', { type: 'hello', protocolVersion: PROTOCOL_VERSION })
    if (threads !== undefined) await engine.until('threads', { type: 'setThreads', threads })
    return engine
  }

  /** The next event of type `type`, without sending anything. */
  next<T extends EngineEvent['type']>(type: T): Promise<Extract<EngineEvent, { type: T }>> {
    return new Promise((resolvePromise) => {
      const off = this.on((event) => {
        if (event.type === type) {
          off()
          resolvePromise(event as Extract<EngineEvent, { type: T }>)
        }
      })
    })
  }

  send(command: Command): void {
    this.client.postMessage(command)
  }

  on(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Sends `command` and waits for the first event of type `type`; an `error` event rejects. */
  until<T extends EngineEvent['type']>(type: T, command: Command): Promise<Extract<EngineEvent, { type: T }>> {
    return new Promise((resolvePromise, reject) => {
      const off = this.on((event) => {
        if (event.type === type) {
          off()
          resolvePromise(event as Extract<EngineEvent, { type: T }>)
        } else if (event.type === 'error') {
          off()
          reject(new EngineError(event.code, event.message))
        }
      })
      this.send(command)
    })
  }
}
