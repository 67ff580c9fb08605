import { describe, expect, it, vi } from 'vitest'
import { EngineClient } from '@renderer/engine-client/engine-client'
import { PROTOCOL_VERSION, type EngineEvent } from '@engine/protocol'
import { FakePort } from '../fixtures'

const progress: EngineEvent = {
  type: 'progress',
  runId: 'r1',
  iter: 100,
  totalIters: 2000,
  elapsedMs: 120,
  itersPerSec: 833,
  losses: { firstIter: 90, values: [0.5, 0.4] }
}

describe('EngineClient', () => {
  it('dispatches a valid event to the handlers of its type only', () => {
    const port = new FakePort()
    const client = new EngineClient(port)
    const onProgress = vi.fn()
    const onReady = vi.fn()
    client.on('progress', onProgress)
    client.on('ready', onReady)
    port.deliver(progress)
    expect(onProgress).toHaveBeenCalledTimes(1)
    expect(onProgress.mock.calls[0][0]).toEqual(progress)
    expect(onReady).not.toHaveBeenCalled()
  })

  it('reports an invalid event as an INVALID_MESSAGE error and never passes it on', () => {
    const port = new FakePort()
    const client = new EngineClient(port)
    const onProgress = vi.fn()
    const onError = vi.fn()
    client.on('progress', onProgress)
    client.on('error', onError)
    // iter is a string: the schema must refuse it.
    expect(() => port.deliver({ ...progress, iter: 'one hundred' })).not.toThrow()
    expect(() => port.deliver('garbage')).not.toThrow()
    expect(() => port.deliver(null)).not.toThrow()
    expect(() => port.deliver({ type: 'nonsense' })).not.toThrow()
    expect(onProgress).not.toHaveBeenCalled()
    expect(onError).toHaveBeenCalledTimes(4)
    const first = onError.mock.calls[0][0]
    expect(first.code).toBe('INVALID_MESSAGE')
    expect(first.message).toContain('progress')
    expect(first.message).toContain('iter')
  })

  it('keeps dispatching when one handler throws, and still surfaces the error', () => {
    const port = new FakePort()
    const client = new EngineClient(port)
    const later = vi.fn()
    const deferred: (() => void)[] = []
    const spy = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((fn) => void deferred.push(fn))
    client.on('progress', () => {
      throw new Error('handler bug')
    })
    client.on('progress', later)
    port.deliver(progress)
    spy.mockRestore()
    expect(later).toHaveBeenCalledTimes(1)
    expect(deferred).toHaveLength(1)
    expect(() => deferred[0]()).toThrow('handler bug')
  })

  it('unsubscribes', () => {
    const port = new FakePort()
    const client = new EngineClient(port)
    const handler = vi.fn()
    const off = client.on('progress', handler)
    off()
    port.deliver(progress)
    expect(handler).not.toHaveBeenCalled()
  })

  it('sends commands in the protocol shape', () => {
    const port = new FakePort()
    const client = new EngineClient(port)
    client.hello()
    client.pauseRun('r1')
    client.resumeRun('r1')
    client.stopRun('r1')
    expect(port.commands()).toEqual([
      { type: 'hello', protocolVersion: PROTOCOL_VERSION },
      { type: 'pauseRun', runId: 'r1' },
      { type: 'resumeRun', runId: 'r1' },
      { type: 'stopRun', runId: 'r1' }
    ])
    expect(port.started).toBe(1)
  })

  it('transfers the dataset buffers instead of copying them', () => {
    const port = new FakePort()
    const client = new EngineClient(port)
    const files = {
      trainImages: new ArrayBuffer(16),
      trainLabels: new ArrayBuffer(8),
      testImages: new ArrayBuffer(16),
      testLabels: new ArrayBuffer(8)
    }
    const requestId = client.loadDataset('my folder', files)
    const [{ message, transfer }] = port.sent
    expect(message).toMatchObject({ type: 'loadDataset', name: 'my folder', requestId, files })
    expect(transfer).toHaveLength(4)
    expect(transfer).toEqual(expect.arrayContaining(Object.values(files)))
  })

  it('moves to a new port and keeps its subscribers', () => {
    const first = new FakePort()
    const second = new FakePort()
    const client = new EngineClient(first)
    const handler = vi.fn()
    client.on('progress', handler)
    client.attach(second)
    expect(first.listenerCount).toBe(0)
    first.deliver(progress)
    expect(handler).not.toHaveBeenCalled()
    second.deliver(progress)
    expect(handler).toHaveBeenCalledTimes(1)
    client.hello()
    expect(second.commands()).toHaveLength(1)
    expect(first.commands()).toHaveLength(0)
  })

  it('refuses to send before a port is attached', () => {
    const client = new EngineClient()
    expect(() => client.hello()).toThrow(/not connected/)
  })
})

describe('visualization requests', () => {
  it('marks their ids so their errors stay with the view that asked, and forgets an id once answered', () => {
    const client = new EngineClient(new FakePort())
    const id = client.getFilters('conv1')
    expect(client.isInspectionRequest(id)).toBe(true)
    expect(client.isInspectionRequest('load-1')).toBe(false)
    expect(client.isInspectionRequest(undefined)).toBe(false)
    client.receive({ type: 'error', code: 'NO_NETWORK', message: 'no network yet', requestId: id })
    expect(client.isInspectionRequest(id)).toBe(false)
  })
})
