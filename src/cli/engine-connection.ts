import { resolve } from 'node:path'
import { readIdxDirectory } from '../engine/hosts/node/read-idx-dir'
import { createInProcessChannel } from '../engine/hosts/in-process'
import { EngineError } from '../engine/protocol/error-codes'
import { EventSchema, PROTOCOL_VERSION, type Command, type DatasetInfo, type EngineEvent } from '../engine/protocol'
import { createEngineSession } from '../engine/session'
import { nodeKernelThreads } from '../engine/hosts/node/kernel-threads'

/** Where the bundled 8,000 / 2,000 MNIST set lives in the repository. */
export const BUNDLED_MNIST_DIR = resolve(import.meta.dirname, '../../resources/mnist')

/**
 * The CLI's engine: a session on an in-process channel, spoken to through the same validated protocol
 * the desktop and browser hosts use.
 */
export class EngineConnection {
  private readonly listeners = new Set<(event: EngineEvent) => void>()
  private readonly client

  private constructor() {
    const session = createEngineSession({ threads: nodeKernelThreads })
    const { enginePort, clientPort } = createInProcessChannel()
    session.attach(enginePort)
    this.client = clientPort
    clientPort.onMessage((raw) => {
      const event = EventSchema.parse(raw)
      for (const listener of [...this.listeners]) listener(event)
    })
  }

  /** Connects and loads the dataset in `dataDir`; rejects with the engine's error if it is unusable. */
  static async open(dataDir: string, datasetName: string, threads?: number): Promise<{ engine: EngineConnection; dataset: DatasetInfo }> {
    const engine = new EngineConnection()
    await engine.until('ready', { type: 'hello', protocolVersion: PROTOCOL_VERSION })
    if (threads !== undefined) await engine.until('threads', { type: 'setThreads', threads })
    const files = await readIdxDirectory(dataDir)
    const loaded = await engine.until('datasetLoaded', { type: 'loadDataset', name: datasetName, files })
    return { engine, dataset: loaded.dataset }
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
