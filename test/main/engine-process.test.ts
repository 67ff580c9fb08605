import { EventEmitter } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EngineStatus } from '../../src/preload/api'
import { EngineProcess, type EngineProcessDeps, type RendererContents } from '../../src/main/engine-process'
import { RestartPolicy } from '../../src/main/restart-policy'
import { FakeChild } from './fake-utility-process'

/*
 * EngineProcess without Electron: a fake UtilityProcess (spawn/exit/error events, postMessage log) and a
 * fake WebContents (did-finish-load/destroyed events, send/postMessage log). Real Electron behaviour that
 * this cannot show (a real fork, real ports) is covered by e2e/electron where a binary exists.
 */

class FakeContents extends EventEmitter {
  static nextId = 1
  id = FakeContents.nextId++
  loading = true
  destroyed = false
  statuses: EngineStatus[] = []
  ports: Array<{ meta: unknown; port: unknown }> = []
  isDestroyed = (): boolean => this.destroyed
  isLoading = (): boolean => this.loading
  send(channel: string, status: EngineStatus): void {
    if (channel === 'engine:status') this.statuses.push(status)
  }
  postMessage(channel: string, meta: unknown, transfer: unknown[] = []): void {
    if (channel === 'engine:port') this.ports.push({ meta, port: transfer[0] })
  }
  /** A (re)load starts: Electron fires did-start-loading before the page's scripts run. */
  startLoad(): void {
    this.loading = true
    this.emit('did-start-loading')
  }
  finishLoad(): void {
    this.loading = false
    this.emit('did-finish-load')
  }
  destroy(): void {
    this.destroyed = true
    this.emit('destroyed')
  }
}

function setup(policy?: RestartPolicy) {
  const children: FakeChild[] = []
  let channelId = 0
  const deps: EngineProcessDeps = {
    fork: ((modulePath: string, args: string[], options: unknown) => {
      const child = new FakeChild(modulePath, args, options)
      children.push(child)
      return child
    }) as unknown as EngineProcessDeps['fork'],
    createChannel: (() => {
      const id = ++channelId
      return { port1: { end: 1, id }, port2: { end: 2, id } }
    }) as unknown as EngineProcessDeps['createChannel'],
    now: () => Date.now()
  }
  const engine = new EngineProcess({ modulePath: '/app/out/main/engineHost.js', dataDir: '/app/resources/mnist', policy }, deps)
  const statuses: EngineStatus[] = []
  engine.on('status', (s) => statuses.push(s))
  const latest = (): FakeChild => children[children.length - 1]
  const contents = (): FakeContents & RendererContents => new FakeContents() as unknown as FakeContents & RendererContents
  return { engine, deps, children, latest, statuses, contents }
}

/** An engine that has spawned, with one renderer attached and loaded: where most cases begin. */
function running(policy?: RestartPolicy) {
  const t = setup(policy)
  t.engine.start()
  t.latest().spawned()
  const wc = t.contents()
  t.engine.attachRenderer(wc)
  wc.finishLoad()
  return { ...t, wc }
}

/** After one reload: the page's first connection released, a second made, and the renderer given its new port. */
function expectReconnectedOnce(child: FakeChild, wc: FakeContents): void {
  expect(child.sent.map((s) => s.message)).toEqual([
    { kind: 'connect', connectionId: 1 },
    { kind: 'disconnect', connectionId: 1 },
    { kind: 'connect', connectionId: 2 }
  ])
  expect(wc.ports.length).toBe(2)
}

const kinds = (child: FakeChild): string[] => child.sent.map((s) => s.message.kind)

describe('EngineProcess', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('forks the engine host with the data dir, service name and inherited stdio', () => {
    const { engine, deps, latest, statuses } = setup()
    engine.start()
    expect(latest().modulePath).toBe('/app/out/main/engineHost.js')
    expect(latest().args).toEqual(['--data-dir=/app/resources/mnist'])
    expect(latest().options).toEqual({ serviceName: 'gradient-lab-engine', stdio: 'inherit' })
    expect(statuses).toEqual([{ state: 'starting' }])
    latest().spawned()
    expect(statuses.at(-1)).toEqual({ state: 'running', pid: latest().pid })
    // The lab's home and a packaged WebP decoder go along when main knows them.
    const withHome = new EngineProcess(
      {
        modulePath: '/app/out/main/engineHost.js',
        dataDir: '/app/resources/mnist',
        homeDir: '/home/s/lab',
        webpWasm: '/opt/Gradient Lab/resources/webp_dec.wasm'
      },
      deps
    )
    withHome.start()
    expect(latest().args).toEqual(['--data-dir=/app/resources/mnist', '--home=/home/s/lab', '--webp-wasm=/opt/Gradient Lab/resources/webp_dec.wasm'])
  })

  it('hands a loaded renderer a port pair: port2 to the engine with connect, port1 to the renderer', () => {
    const { engine, latest, contents } = setup()
    engine.start()
    const wc = contents()
    engine.attachRenderer(wc)
    expect(wc.ports).toEqual([]) // still loading, engine not spawned
    latest().spawned()
    expect(wc.ports).toEqual([]) // still loading
    wc.finishLoad()
    expect(latest().sent).toEqual([{ message: { kind: 'connect', connectionId: 1 }, transfer: [{ end: 2, id: 1 }] }])
    expect(wc.ports).toEqual([{ meta: {}, port: { end: 1, id: 1 } }])
    expect(wc.statuses.at(-1)?.state).toBe('running')
  })

  it('on reload disconnects the old connection and connects a fresh one', () => {
    const { latest, wc } = running()
    wc.startLoad() // reload
    wc.finishLoad()
    expectReconnectedOnce(latest(), wc)
  })

  it('keeps extra connections asked for with a request id apart from the page connection', () => {
    const { engine, latest, wc } = running()
    expect(engine.connect(wc, 'e2e')).toBe(true)
    expect(wc.ports.at(-1)?.meta).toEqual({ requestId: 'e2e' })
    expect(kinds(latest())).toEqual(['connect', 'connect'])
    engine.connect(wc) // the page asks again for its own: replaces connection 1 only
    expect(
      latest()
        .sent.map((s) => s.message)
        .slice(2)
    ).toEqual([
      { kind: 'disconnect', connectionId: 1 },
      { kind: 'connect', connectionId: 3 }
    ])
  })

  it('makes one channel per page load when the page asks for its port while loading', () => {
    const { engine, latest, contents } = setup()
    engine.start()
    latest().spawned()
    const wc = contents()
    engine.attachRenderer(wc)
    // The page's script asks (engine-port-request) before its load event; did-finish-load comes after.
    expect(engine.connect(wc)).toBe(true)
    wc.finishLoad()
    expect(kinds(latest())).toEqual(['connect'])
    expect(wc.ports.length).toBe(1)
    // A reload: the old connection is released when loading starts, and again one new channel.
    wc.startLoad()
    engine.connect(wc)
    wc.finishLoad()
    expectReconnectedOnce(latest(), wc)
  })

  it('re-makes the extra connections too after a restart, with their request ids', () => {
    const { engine, latest, wc } = running()
    engine.connect(wc, 'inspector')
    latest().exit(1)
    vi.advanceTimersByTime(250)
    latest().spawned()
    expect(kinds(latest())).toEqual(['connect', 'connect'])
    expect(wc.ports.slice(-2).map((p) => p.meta)).toEqual([{}, { requestId: 'inspector' }])
  })

  it('forgets a destroyed renderer and releases its ports', () => {
    const { engine, latest, wc } = running()
    wc.destroy()
    expect(latest().sent.at(-1)?.message).toEqual({ kind: 'disconnect', connectionId: 1 })
    expect(engine.connect(wc)).toBe(false)
  })

  it('on an unexpected exit: crashed, restarting, then a new process and fresh ports for live renderers', () => {
    const { children, latest, statuses, wc } = running()
    latest().emit('error', 'FatalError', 'v8::OOM', '{}')
    latest().exit(134)
    expect(statuses.slice(-2)).toEqual([
      { state: 'crashed', reason: 'the engine process hit a fatal error (FatalError at v8::OOM) and exited with code 134', exitCode: 134 },
      { state: 'restarting', attempt: 1, maxRestarts: 5, delayMs: 250 }
    ])
    expect(wc.statuses.slice(-2).map((s) => s.state)).toEqual(['crashed', 'restarting'])
    expect(children.length).toBe(1)
    vi.advanceTimersByTime(249)
    expect(children.length).toBe(1)
    vi.advanceTimersByTime(1)
    expect(children.length).toBe(2)
    latest().spawned()
    expect(statuses.at(-1)).toEqual({ state: 'running', pid: latest().pid })
    // The new process gets a connect with a new id; the renderer a new port.
    expect(latest().sent.map((s) => s.message)).toEqual([{ kind: 'connect', connectionId: 2 }])
    expect(wc.ports.length).toBe(2)
  })

  it('queues a directory load across a restart and delivers it to the new process', () => {
    const { engine, latest } = setup()
    engine.start()
    latest().spawned()
    latest().exit(1)
    expect(engine.loadDirectory('/data/mnist')).toBe(true)
    vi.advanceTimersByTime(250)
    latest().spawned()
    expect(latest().sent.map((s) => s.message)).toEqual([{ kind: 'loadDirectory', dir: '/data/mnist' }])
  })

  it('stays down with a clear status after 5 restarts within a minute', () => {
    const { engine, children, latest, statuses, contents } = setup()
    engine.start()
    const wc = contents()
    engine.attachRenderer(wc)
    wc.finishLoad()
    for (let i = 0; i < 5; i++) {
      latest().spawned()
      latest().exit(1)
      vi.advanceTimersByTime(10_000)
    }
    expect(children.length).toBe(6)
    latest().spawned()
    latest().exit(1)
    const last = statuses.at(-1)
    expect(last?.state).toBe('failed')
    expect(last && 'reason' in last ? last.reason : '').toMatch(/crashed 6 times within a minute and will not be restarted.*Restart Gradient Lab/)
    expect(wc.statuses.at(-1)).toEqual(last)
    vi.advanceTimersByTime(120_000)
    expect(children.length).toBe(6)
    expect(engine.loadDirectory('/data')).toBe(false)
  })

  it('dispose() kills the process without restarting it', async () => {
    const { engine, children, latest, statuses } = setup()
    engine.start()
    latest().spawned()
    const exits: Array<{ code: number; expected: boolean }> = []
    engine.on('exit', (e) => exits.push(e))
    engine.dispose()
    expect(latest().killed).toBe(true)
    await vi.runAllTimersAsync()
    expect(exits).toEqual([{ code: 0, expected: true }])
    expect(statuses.at(-1)).toEqual({ state: 'stopped' })
    expect(children.length).toBe(1)
  })
})
