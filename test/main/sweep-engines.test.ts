import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { SweepEngines, type SweepEnginesDeps } from '../../src/main/sweep-engines'
import type { RendererContents } from '../../src/main/engine-process'
import { FakeChild } from './fake-utility-process'

/* SweepEngines without Electron: fake utility processes and a fake page, as engine-process.test.ts does. */

class FakeContents extends EventEmitter {
  id = 7
  destroyed = false
  ports: Array<{ meta: any; port: unknown }> = []
  sent: Array<{ channel: string; payload: any }> = []
  isDestroyed = (): boolean => this.destroyed
  isLoading = (): boolean => false
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload })
  }
  postMessage(channel: string, meta: unknown, transfer: unknown[] = []): void {
    if (channel === 'engine:port') this.ports.push({ meta, port: transfer[0] })
  }
}

function setup(maxEngines = 2) {
  const children: FakeChild[] = []
  let channels = 0
  const deps: SweepEnginesDeps = {
    fork: (modulePath, args, options) => {
      const child = new FakeChild(modulePath, args, options)
      children.push(child)
      return child as never
    },
    createChannel: () => {
      channels++
      return { port1: { side: 1, n: channels } as never, port2: { side: 2, n: channels } as never }
    }
  }
  const engines = new SweepEngines({ modulePath: '/out/main/engineHost.js', dataDir: '/data', homeDir: '/home/lab', maxEngines }, deps)
  const page = new FakeContents()
  return { engines, page, children, contents: page as unknown as RendererContents }
}

describe('SweepEngines', () => {
  it('forks the asked number of engine hosts (at most the cores) and hands the page one port to each, by request id', () => {
    const { engines, page, children, contents } = setup(2)
    expect(engines.open(contents, 5)).toBe(2)
    expect(children).toHaveLength(2)
    expect(children[0].modulePath).toBe('/out/main/engineHost.js')
    expect(children[0].args).toEqual(['--data-dir=/data', '--home=/home/lab'])
    expect(page.ports).toEqual([])
    children[1].emit('spawn')
    children[0].emit('spawn')
    expect(page.ports.map((p) => p.meta)).toEqual([{ requestId: 'sweep-2' }, { requestId: 'sweep-1' }])
    // The other end of each channel goes to that engine, as the page's own connection does.
    expect(children[0].sent).toEqual([{ message: { kind: 'connect', connectionId: 1 }, transfer: [{ side: 2, n: 2 }] }])
    expect(engines.count(7)).toBe(2)
  })

  it('ends them when the page closes them, reloads or is destroyed; an engine that dies under a sweep is reported', async () => {
    const { engines, page, children, contents } = setup(2)
    engines.open(contents, 2)
    children[0].emit('exit', 9)
    expect(page.sent).toEqual([{ channel: 'engine:sweep-exit', payload: { id: 'sweep-1', reason: 'sweep engine 1 exited unexpectedly with code 9' } }])
    engines.close(7)
    expect(children.every((c) => c.killed)).toBe(true)
    await Promise.resolve()
    expect(page.sent).toHaveLength(1) // ended on purpose: not news
    expect(engines.count(7)).toBe(0)

    engines.open(contents, 1)
    page.emit('did-start-loading')
    expect(children[2].killed).toBe(true)
    engines.open(contents, 1)
    page.destroyed = true
    page.emit('destroyed')
    expect(children[3].killed).toBe(true)
    expect(engines.count(7)).toBe(0)
  })

  it('a second open replaces the first set, and a port for a replaced set is never sent', () => {
    const { engines, page, children, contents } = setup(2)
    engines.open(contents, 1)
    engines.open(contents, 1)
    expect(children[0].killed).toBe(true)
    children[0].emit('spawn')
    expect(page.ports).toEqual([])
    children[1].emit('spawn')
    expect(page.ports.map((p) => p.meta)).toEqual([{ requestId: 'sweep-1' }])
    engines.dispose()
    expect(children[1].killed).toBe(true)
  })
})
