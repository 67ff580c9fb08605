import { EventEmitter } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { PROTOCOL_VERSION, type EngineEvent } from '../../../src/engine/protocol'
import {
  BUNDLED_DATASET_NAME,
  ControlMessageSchema,
  parseDataDir,
  parseHomeDir,
  parseWebpWasm,
  runUtilityProcessHost,
  type MainMessageEvent,
  type MainPortLike,
  type ParentPortLike
} from '../../../src/engine/hosts/utility-process'

/*
 * The utility-process entry without Electron (toolchain.md §4): `process.parentPort` is an EventEmitter,
 * and MessagePortMain is a pair of EventEmitters that deliver structured clones to each other on a later
 * turn, queueing until start() as the real one does.
 */

const BUNDLED_DIR = resolve(import.meta.dirname, '../../../resources/mnist')

class FakeMainPort extends EventEmitter implements MainPortLike {
  peer!: FakeMainPort
  started = false
  closed = false
  private queue: unknown[] = []
  postMessage(message: unknown): void {
    if (this.closed) return
    const copy = structuredClone(message)
    setImmediate(() => this.peer.receive(copy))
  }
  start(): void {
    this.started = true
    for (const data of this.queue.splice(0)) this.emit('message', { data, ports: [] })
  }
  close(): void {
    if (this.closed) return
    this.closed = true
    setImmediate(() => this.peer.emit('close'))
  }
  private receive(data: unknown): void {
    if (this.closed) return
    if (this.started) this.emit('message', { data, ports: [] })
    else this.queue.push(data)
  }
}

function channel(): { port1: FakeMainPort; port2: FakeMainPort } {
  const port1 = new FakeMainPort()
  const port2 = new FakeMainPort()
  port1.peer = port2
  port2.peer = port1
  return { port1, port2 }
}

class FakeParentPort extends EventEmitter implements ParentPortLike {
  send(data: unknown, ports: MainPortLike[] = []): void {
    this.emit('message', { data, ports } satisfies MainMessageEvent)
  }
}

/** The renderer's side of a connection: collects events, lets a test wait for one. */
class Client {
  events: EngineEvent[] = []
  private waiters: Array<() => void> = []
  constructor(readonly port: FakeMainPort) {
    port.on('message', (e: { data: EngineEvent }) => {
      this.events.push(e.data)
      for (const w of this.waiters.splice(0)) w()
    })
    port.start()
  }
  send(message: unknown): void {
    this.port.postMessage(message)
  }
  async next<T extends EngineEvent['type']>(type: T, timeoutMs = 20_000): Promise<Extract<EngineEvent, { type: T }>> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.events.find((e) => e.type === type)
      if (found) {
        this.events.splice(this.events.indexOf(found), 1)
        return found as Extract<EngineEvent, { type: T }>
      }
      if (Date.now() > deadline) throw new Error(`no ${type} event; got ${JSON.stringify(this.events.map((e) => e.type))}`)
      await new Promise<void>((r) => {
        this.waiters.push(r)
        setTimeout(r, 50)
      })
    }
  }
}

function connect(parent: FakeParentPort, connectionId?: number): Client {
  const { port1, port2 } = channel()
  parent.send({ kind: 'connect', ...(connectionId === undefined ? {} : { connectionId }) }, [port2])
  return new Client(port1)
}

describe('control message schema', () => {
  it('accepts the three control messages and rejects anything else', () => {
    expect(ControlMessageSchema.safeParse({ kind: 'connect' }).success).toBe(true)
    expect(ControlMessageSchema.safeParse({ kind: 'connect', connectionId: 3 }).success).toBe(true)
    expect(ControlMessageSchema.safeParse({ kind: 'disconnect', connectionId: 3 }).success).toBe(true)
    expect(ControlMessageSchema.safeParse({ kind: 'loadDirectory', dir: '/data' }).success).toBe(true)
    expect(ControlMessageSchema.safeParse({ kind: 'loadDirectory', dir: '' }).success).toBe(false)
    expect(ControlMessageSchema.safeParse({ kind: 'loadDirectory' }).success).toBe(false)
    expect(ControlMessageSchema.safeParse({ kind: 'exec', cmd: 'rm' }).success).toBe(false)
    expect(ControlMessageSchema.safeParse('connect').success).toBe(false)
  })

  it('reads --data-dir from argv', () => {
    expect(parseDataDir(['electron', 'engineHost.js', '--data-dir=/a/b c'])).toBe('/a/b c')
    expect(parseDataDir(['electron', 'engineHost.js'])).toBeUndefined()
    expect(parseDataDir(['--data-dir='])).toBeUndefined()
    expect(parseHomeDir(['electron', '--data-dir=/x', '--home=/h/lab one'])).toBe('/h/lab one')
    expect(parseHomeDir(['--home='])).toBeUndefined()
    expect(parseWebpWasm(['--webp-wasm=/r/webp_dec.wasm', '--home=/h'])).toBe('/r/webp_dec.wasm')
    expect(parseWebpWasm(['--home=/h'])).toBeUndefined()
  })
})

describe('utility-process host without a data dir', () => {
  let parent: FakeParentPort
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gradient-lab-empty-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  beforeEach(() => {
    // The host logs what it ignores; keep the test output to the results.
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    vi.spyOn(console, 'error').mockImplementation(() => {})
  })
  afterEach(() => {
    parent.removeAllListeners()
    vi.restoreAllMocks()
  })

  it('answers hello with ready over a connected port, with no dataset yet', async () => {
    parent = new FakeParentPort()
    const host = runUtilityProcessHost(parent, ['node', 'engineHost.js'])
    await host.bundledLoaded
    const client = connect(parent, 1)
    client.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    const ready = await client.next('ready')
    expect(ready.protocolVersion).toBe(PROTOCOL_VERSION)
    expect(ready.dataset).toBeNull()
    expect(ready.presets.length).toBeGreaterThan(0)
  })

  it('reports a directory without the MNIST files as DATASET_MISSING_FILE to the renderer', async () => {
    parent = new FakeParentPort()
    runUtilityProcessHost(parent, ['node', 'engineHost.js'])
    const client = connect(parent, 1)
    parent.send({ kind: 'loadDirectory', dir, requestId: 'r1' })
    const error = await client.next('error')
    expect(error.code).toBe('DATASET_MISSING_FILE')
    expect(error.requestId).toBe('r1')
    expect(error.message).toContain('train-images-idx3-ubyte')
  })

  it('ignores invalid control messages and a connect without a port', async () => {
    parent = new FakeParentPort()
    runUtilityProcessHost(parent, ['node', 'engineHost.js'])
    parent.send({ kind: 'loadDirectory', dir: 42 })
    parent.send({ kind: 'connect' })
    parent.send(null)
    const client = connect(parent)
    client.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    await client.next('ready')
    expect(client.events.filter((e) => e.type === 'error')).toEqual([])
  })

  it('answers a malformed command with INVALID_MESSAGE on that port', async () => {
    parent = new FakeParentPort()
    runUtilityProcessHost(parent, ['node', 'engineHost.js'])
    const client = connect(parent, 1)
    client.send({ type: 'launchMissiles' })
    expect((await client.next('error')).code).toBe('INVALID_MESSAGE')
  })

  it('drops a connection on disconnect, and a reconnect with the same id replaces the old port', async () => {
    parent = new FakeParentPort()
    runUtilityProcessHost(parent, ['node', 'engineHost.js'])
    const first = connect(parent, 7)
    first.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    await first.next('ready')

    const second = connect(parent, 7) // e.g. the renderer reloaded
    await new Promise((r) => setTimeout(r, 20))
    expect(second.port.peer.closed).toBe(false)
    expect(first.port.peer.closed).toBe(true)

    parent.send({ kind: 'loadDirectory', dir })
    expect((await second.next('error')).code).toBe('DATASET_MISSING_FILE')
    await new Promise((r) => setTimeout(r, 20))
    expect(first.events.filter((e) => e.type === 'error')).toEqual([])

    parent.send({ kind: 'disconnect', connectionId: 7 })
    await new Promise((r) => setTimeout(r, 20))
    expect(second.port.peer.closed).toBe(true)
  })
})

describe('utility-process host with the bundled data dir', () => {
  it('loads the bundled MNIST at startup, tells every port, and can train', async () => {
    const parent = new FakeParentPort()
    const host = runUtilityProcessHost(parent, ['node', 'engineHost.js', `--data-dir=${BUNDLED_DIR}`])
    const a = connect(parent, 1)
    const b = connect(parent, 2)
    await host.bundledLoaded

    a.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    const ready = await a.next('ready')
    expect(ready.dataset?.name).toBe(BUNDLED_DATASET_NAME)
    expect(ready.dataset?.train.count).toBe(8000)
    expect(ready.dataset?.test.count).toBe(2000)

    const config = {
      network: { kind: 'mlp', hidden: [16], activation: 'relu', init: 'he' },
      optimizer: { kind: 'sgd', lr: 0.1 },
      batchSize: 32,
      iterations: 40,
      evalInterval: 20,
      seed: 1,
      trainAccuracy: 'batch-before-update',
      testLimit: 500
    }
    a.send({ type: 'startRun', runId: 'run-1', config })
    // Events go to every connected port, not only the one that asked.
    const evaluation = await b.next('evaluation', 60_000)
    expect(evaluation.runId).toBe('run-1')
    expect(Number.isFinite(evaluation.evaluation.loss)).toBe(true)
    const finished = await a.next('runFinished', 60_000)
    expect(finished.status).toBe('completed')
    parent.removeAllListeners()
  }, 90_000)

  it('runs by itself when imported with process.parentPort set (the Electron entry path)', async () => {
    const parent = new FakeParentPort()
    const proc = process as { parentPort?: unknown }
    const argv = process.argv
    proc.parentPort = parent
    process.argv = [...argv, `--data-dir=${BUNDLED_DIR}`]
    try {
      // A fresh module instance, so the entry's top-level code runs against the fake parent port.
      vi.resetModules()
      await import('../../../src/engine/hosts/utility-process')
    } finally {
      delete proc.parentPort
      process.argv = argv
    }
    expect(parent.listenerCount('message')).toBe(1)
    const client = connect(parent, 1)
    client.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION })
    const ready = await client.next('ready')
    expect(ready.protocolVersion).toBe(PROTOCOL_VERSION)
    // The bundled set loads at startup: either already in `ready`, or announced right after.
    const dataset = ready.dataset ?? (await client.next('datasetLoaded')).dataset
    expect(dataset.name).toBe(BUNDLED_DATASET_NAME)
    parent.removeAllListeners()
  }, 30_000)
})
