import { describe, expect, it, vi } from 'vitest'
import { createBrowserConnection, createElectronConnection, type HostStatus } from '@renderer/engine-client/connect'
import { FakePort } from '../fixtures'

/** A stand-in Worker: a FakePort that can also fire `error` and be terminated. */
class FakeWorker extends FakePort {
  terminated = false
  private errorListeners = new Set<(e: ErrorEvent) => void>()
  override addEventListener(type: string, listener: (event: never) => void): void {
    if (type === 'error') this.errorListeners.add(listener as (e: ErrorEvent) => void)
    else if (type === 'message') super.addEventListener('message', listener as (e: MessageEvent) => void)
  }
  override removeEventListener(type: string, listener: (event: never) => void): void {
    if (type === 'error') this.errorListeners.delete(listener as (e: ErrorEvent) => void)
    else if (type === 'message') super.removeEventListener('message', listener as (e: MessageEvent) => void)
  }
  terminate(): void {
    this.terminated = true
  }
  crash(message: string): ErrorEvent {
    const event = { message, preventDefault: vi.fn() } as unknown as ErrorEvent
    for (const l of [...this.errorListeners]) l(event)
    return event
  }
}

describe('browser host', () => {
  it('starts a worker, says hello, and restarts it after a crash', () => {
    const workers: FakeWorker[] = []
    const conn = createBrowserConnection({ createWorker: () => (workers.push(new FakeWorker()), workers.at(-1) as unknown as Worker) })
    const statuses: HostStatus[] = []
    conn.onStatus((s) => statuses.push(s))
    conn.start()
    expect(workers).toHaveLength(1)
    expect(workers[0].commands()).toEqual([{ type: 'hello', protocolVersion: expect.any(Number) }])

    const event = workers[0].crash('Uncaught RangeError: out of memory')
    expect(event.preventDefault).toHaveBeenCalled()
    expect(workers[0].terminated).toBe(true)
    expect(workers).toHaveLength(2)
    expect(workers[1].commands()[0]).toMatchObject({ type: 'hello' })
    expect(statuses).toEqual([
      { state: 'connected', restarted: false },
      { state: 'crashed', reason: 'Uncaught RangeError: out of memory' },
      { state: 'restarting', reason: 'Uncaught RangeError: out of memory' },
      { state: 'connected', restarted: true }
    ])
    // Events now come from the new worker.
    const onReady = vi.fn()
    conn.client.on('ready', onReady)
    workers[0].deliver({ type: 'ready', protocolVersion: 1, presets: [], dataset: null, activeRunId: null })
    workers[1].deliver({ type: 'ready', protocolVersion: 1, presets: [], dataset: null, activeRunId: null })
    expect(onReady).toHaveBeenCalledTimes(1)
  })

  it('gives up after repeated crashes instead of looping', () => {
    const workers: FakeWorker[] = []
    const conn = createBrowserConnection({ maxRestarts: 2, createWorker: () => (workers.push(new FakeWorker()), workers.at(-1) as unknown as Worker) })
    const statuses: HostStatus[] = []
    conn.onStatus((s) => statuses.push(s))
    conn.start()
    workers[0].crash('a')
    workers[1].crash('b')
    workers[2].crash('c')
    expect(workers).toHaveLength(3)
    expect(statuses.at(-1)).toEqual({ state: 'gave-up', reason: 'c' })
  })
})

describe('Electron host', () => {
  function bridge() {
    let listener: ((s: GradientLabEngineStatus) => void) | null = null
    const api: GradientLabBridge = {
      host: 'electron',
      chooseDatasetDirectory: vi.fn(async () => ({ canceled: false as const, directory: '/data/mnist' })),
      chooseImportDirectory: vi.fn(async () => ({ canceled: false as const, directory: '/data/leaves' })),
      onEngineStatus: (cb) => {
        listener = cb
        return () => (listener = null)
      },
      runs: { list: async () => [], read: async () => [], save: async () => undefined, remove: async () => undefined },
      openSweepEngines: async (count) => count,
      closeSweepEngines: async () => undefined,
      onSweepEngineExit: () => () => undefined,
      models: {
        list: async () => [],
        read: async () => new Uint8Array(),
        save: async () => undefined,
        saveEntry: async () => undefined,
        remove: async () => undefined,
        openModelFile: async () => ({ canceled: true as const }),
        saveModelFile: async () => ({ canceled: true as const })
      },
      saveCsvFile: async () => ({ canceled: true as const })
    }
    return { api, push: (s: GradientLabEngineStatus) => listener?.(s) }
  }

  function portMessage(port: MessagePort | FakePort) {
    return new MessageEvent('message', { data: { source: 'gradient-lab', kind: 'engine-port' }, ports: [port as MessagePort] })
  }

  it('takes the port from the window message, swaps to a new one after a restart, and asks for one if none came', () => {
    const target = new EventTarget() as unknown as Window
    const posted: unknown[] = []
    ;(target as unknown as { postMessage: (m: unknown) => void }).postMessage = (m) => posted.push(m)
    const b = bridge()
    const conn = createElectronConnection(b.api, target)
    const statuses: HostStatus[] = []
    conn.onStatus((s) => statuses.push(s))
    conn.start()
    expect(posted).toEqual([{ source: 'gradient-lab', kind: 'engine-port-request' }])

    const first = new FakePort()
    target.dispatchEvent(portMessage(first))
    expect(first.commands()[0]).toMatchObject({ type: 'hello' })
    expect(statuses.at(-1)).toEqual({ state: 'connected', restarted: false })

    // Unrelated window messages are ignored, and so are extra connections asked for with a request id.
    target.dispatchEvent(new MessageEvent('message', { data: { source: 'someone', kind: 'engine-port' } }))
    const extra = new FakePort()
    target.dispatchEvent(
      new MessageEvent('message', { data: { source: 'gradient-lab', kind: 'engine-port', requestId: 'e2e' }, ports: [extra as unknown as MessagePort] })
    )
    expect(extra.commands()).toEqual([])

    b.push({ state: 'crashed', reason: 'exit code 9' })
    b.push({ state: 'restarting', attempt: 1, maxRestarts: 3, delayMs: 500 })
    const second = new FakePort()
    target.dispatchEvent(portMessage(second))
    expect(second.commands()[0]).toMatchObject({ type: 'hello' })
    expect(first.listenerCount).toBe(0)
    expect(statuses).toEqual([
      { state: 'connected', restarted: false },
      { state: 'crashed', reason: 'exit code 9' },
      { state: 'restarting' },
      { state: 'connected', restarted: true }
    ])
    b.push({ state: 'failed', reason: 'crashed 3 times' })
    expect(statuses.at(-1)).toEqual({ state: 'gave-up', reason: 'crashed 3 times' })
  })

  it('uses the native folder dialog', async () => {
    const b = bridge()
    const conn = createElectronConnection(b.api, new EventTarget() as unknown as Window)
    await expect(conn.chooseDatasetDirectory?.()).resolves.toEqual({ canceled: false, directory: '/data/mnist' })
    await expect(conn.chooseImportDirectory?.()).resolves.toEqual({ canceled: false, directory: '/data/leaves' })
  })
})
