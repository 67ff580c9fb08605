import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { PROTOCOL_VERSION } from '@engine/protocol'
import { useCurrentRunStore } from '@renderer/stores/current-run'
import { SAVE_INTERVAL_MS, toRecord } from '@renderer/stores/run-library'
import { useQueueStore } from '@renderer/stores/queue'
import { useEngineStore } from '@renderer/stores/engine'
import { MemoryRunStorage } from '@renderer/lib/storage/memory-storage'
import { checkRunRecord } from '@renderer/lib/storage/run-record'
import { DATASET, fakeConnection, preset } from '../fixtures'
import { readyStores } from './ready-stores'

/** Lets storage promises settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

const setup = (storage = new MemoryRunStorage()) => readyStores(storage)

function startRun(s: ReturnType<typeof setup>, custom = false, seed = 7) {
  expect(s.run.startConfig({ config: { ...s.p.config, seed }, presetId: s.p.id, custom })).toBe(true)
  const runId = s.run.runId!
  s.send({ type: 'runStarted', runId, presetId: custom ? undefined : s.p.id, config: { ...s.p.config, seed }, dataset: DATASET.name })
  return runId
}

function progress(s: ReturnType<typeof setup>, runId: string, firstIter: number, n: number) {
  s.send({
    type: 'progress',
    runId,
    iter: firstIter + n - 1,
    totalIters: 2000,
    elapsedMs: firstIter,
    itersPerSec: 100,
    losses: { firstIter, values: Array.from({ length: n }, (_, i) => 2 - (firstIter + i) / 2000) }
  })
}

describe('runs store: every run kept and saved', () => {
  afterEach(() => vi.useRealTimers())

  it('saves a run when it starts, every few seconds while it trains, and when it ends', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-11-27T10:00:00Z'))
    const s = setup()
    const runId = startRun(s)
    await settle()
    expect(s.storage.saves).toBe(1)
    expect((s.storage.items.get(runId) as { status: string }).status).toBe('running')

    progress(s, runId, 1, 50)
    await settle()
    expect(s.storage.saves).toBe(1)
    vi.setSystemTime(Date.now() + SAVE_INTERVAL_MS)
    progress(s, runId, 51, 50)
    await settle()
    expect(s.storage.saves).toBe(2)
    expect((s.storage.items.get(runId) as { iter: number }).iter).toBe(100)

    s.send({ type: 'evaluation', runId, evaluation: { iter: 100, loss: 1, trainAcc: 0.5, testAcc: 0.4, elapsedMs: 5 } })
    s.send({
      type: 'runFinished',
      runId,
      status: 'completed',
      iter: 100,
      elapsedMs: 9,
      last: { iter: 100, loss: 1, trainAcc: 0.5, testAcc: 0.4, elapsedMs: 5 }
    })
    await settle()
    const stored = s.storage.items.get(runId)
    const checked = checkRunRecord(stored)
    expect(checked.ok).toBe(true)
    if (!checked.ok) return
    expect(checked.record).toMatchObject({ id: runId, presetId: 'vg-relu-he', custom: false, status: 'completed', iter: 100, dataset: DATASET.name })
    expect(checked.record.config.seed).toBe(7)
    expect(checked.record.evaluations).toHaveLength(1)
    expect(checked.record.losses.values.filter((v) => v !== null)).toHaveLength(100)
  })

  it('does not keep a start the engine refused', async () => {
    const s = setup()
    s.run.startConfig({ config: s.p.config, presetId: s.p.id, custom: false })
    expect(s.runs.list).toHaveLength(1)
    s.send({ type: 'error', code: 'INVALID_CONFIG', message: 'bad', runId: s.run.runId!, problems: [{ field: 'batchSize', message: 'too big' }] })
    await settle()
    expect(s.runs.list).toHaveLength(0)
    expect(s.storage.saves).toBe(0)
  })

  it('lists stored runs after a restart; a record of a run that was training is marked interrupted', async () => {
    const first = setup()
    const runId = startRun(first)
    progress(first, runId, 1, 30)
    first.send({ type: 'evaluation', runId, evaluation: { iter: 30, loss: 1, trainAcc: 0.5, testAcc: 0.4, elapsedMs: 5 } })
    const entry = first.runs.get(runId)!
    await first.storage.save(toRecord(entry)!)

    // A new app on the same storage.
    const again = setup(first.storage)
    await again.runs.load()
    expect(again.runs.list.map((e) => e.id)).toEqual([runId])
    const restored = again.runs.get(runId)!
    expect(restored.status).toBe('interrupted')
    expect(again.runs.lossPoints(runId)).toHaveLength(30)
    expect(again.runs.evaluationsOf(runId).map((e) => e.testAcc)).toEqual([0.4])
    expect(again.runs.warnings).toEqual([])
  })

  it('skips corrupt records with a warning and lists the rest', async () => {
    const storage = new MemoryRunStorage()
    const s0 = setup(storage)
    const runId = startRun(s0)
    s0.send({ type: 'runFinished', runId, status: 'completed', iter: 0, elapsedMs: 1, last: null })
    await settle()
    storage.items.set('run-future', { ...(storage.items.get(runId) as object), id: 'run-future', version: 2 })
    storage.items.set('run-broken', { version: 1, id: 'run-broken', config: { network: 'no' } })
    storage.items.set('run-text', 'not even an object')
    const failing = Object.assign(Object.create(storage), { list: async () => [...(await storage.list()), { id: 'run-unreadable', error: 'not valid JSON' }] })

    const s = setup(failing)
    await s.runs.load()
    expect(s.runs.list.map((e) => e.id)).toEqual([runId])
    expect(s.runs.warnings.map((w) => w.id).sort()).toEqual(['run-broken', 'run-future', 'run-text', 'run-unreadable'])
    expect(s.runs.warnings.find((w) => w.id === 'run-future')!.reason).toContain('version 2')
    expect(s.runs.warnings.find((w) => w.id === 'run-unreadable')!.reason).toBe('not valid JSON')
    s.runs.dismissWarnings()
    expect(s.runs.warnings).toEqual([])
  })

  it('shows a storage failure instead of throwing, and keeps the run in memory', async () => {
    const storage = new MemoryRunStorage()
    storage.save = async () => {
      throw new Error('disk full')
    }
    const s = setup(storage)
    const runId = startRun(s)
    await settle()
    expect(s.runs.storageError).toBe('disk full')
    expect(s.runs.get(runId)?.status).toBe('running')
  })

  it('deletes a finished run (not a running one) from the list and the storage', async () => {
    const s = setup()
    const runId = startRun(s)
    await s.runs.remove(runId)
    expect(s.runs.list).toHaveLength(1)
    s.send({ type: 'runFinished', runId, status: 'stopped', iter: 0, elapsedMs: 1, last: null })
    await settle()
    await s.runs.remove(runId)
    expect(s.runs.list).toHaveLength(0)
    expect(s.storage.items.has(runId)).toBe(false)
  })

  it('a stored record carries everything needed to run it again exactly', async () => {
    const s = setup()
    const runId = startRun(s, true, 42)
    s.send({ type: 'runFinished', runId, status: 'completed', iter: 0, elapsedMs: 1, last: null })
    await settle()
    const checked = checkRunRecord(s.storage.items.get(runId))
    if (!checked.ok) throw new Error(checked.reason)
    const queue = useQueueStore()
    queue.add({ config: checked.record.config, presetId: checked.record.presetId, custom: checked.record.custom })
    const start = s.port
      .commands()
      .filter((c) => c.type === 'startRun')
      .at(-1) as unknown as { config: unknown; presetId?: string }
    expect(start.config).toEqual({ ...s.p.config, seed: 42 })
    expect(start.presetId).toBeUndefined()
    expect(s.run.custom).toBe(true)
  })
})

describe('queue store', () => {
  beforeEach(() => {
    localStorage.clear() // the queue is persisted: start each case from an empty one
    setActivePinia(createPinia())
  })

  it('runs queued items one after another, in order; removed items never start', async () => {
    const s = setup()
    const queue = useQueueStore()
    const a = queue.add({ config: { ...s.p.config, seed: 1 }, presetId: s.p.id, custom: false })
    const b = queue.add({ config: { ...s.p.config, seed: 2 }, presetId: s.p.id, custom: false })
    const c = queue.add({ config: { ...s.p.config, seed: 3 }, presetId: s.p.id, custom: false })
    // The first starts at once; the others wait.
    expect(queue.items.map((i) => i.key)).toEqual([b.key, c.key])
    expect(a.key).toBeLessThan(b.key)
    queue.remove(c.key)
    const starts = () => s.port.commands().filter((x) => x.type === 'startRun') as unknown as { runId: string; config: { seed: number } }[]
    expect(starts().map((x) => x.config.seed)).toEqual([1])

    const first = starts()[0].runId
    s.send({ type: 'runStarted', runId: first, config: { ...s.p.config, seed: 1 }, dataset: DATASET.name })
    s.send({ type: 'runFinished', runId: first, status: 'completed', iter: 2000, elapsedMs: 1, last: null })
    await settle()
    expect(starts().map((x) => x.config.seed)).toEqual([1, 2])
    expect(queue.items).toHaveLength(0)

    const second = starts()[1].runId
    s.send({ type: 'runStarted', runId: second, config: { ...s.p.config, seed: 2 }, dataset: DATASET.name })
    s.send({ type: 'runFinished', runId: second, status: 'stopped', iter: 3, elapsedMs: 1, last: null })
    await settle()
    expect(starts()).toHaveLength(2)
  })

  it('waits while there is no dataset, and starts when one arrives', async () => {
    setActivePinia(createPinia())
    const fake = fakeConnection()
    useCurrentRunStore().attach(fake.connection)
    useEngineStore().attach(fake.connection)
    const p = preset('vg-relu-he', 'vanishing-gradient')
    fake.send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets: [p], dataset: null, activeRunId: null })
    const queue = useQueueStore()
    queue.add({ config: p.config, presetId: p.id, custom: false })
    expect(fake.port.commands().some((c) => c.type === 'startRun')).toBe(false)
    fake.send({ type: 'datasetLoaded', dataset: DATASET })
    await settle()
    expect(fake.port.commands().some((c) => c.type === 'startRun')).toBe(true)
    expect(queue.items).toHaveLength(0)
  })
})

describe('queue persistence', () => {
  beforeEach(() => {
    localStorage.clear()
    setActivePinia(createPinia())
  })
  afterEach(() => localStorage.clear())

  it('restores waiting runs after a reload, in order, and forgets them once they start', async () => {
    const s = setup()
    const queue = useQueueStore()
    queue.add({ config: { ...s.p.config, seed: 1 }, presetId: s.p.id, custom: false }) // starts at once
    queue.add({ config: { ...s.p.config, seed: 2 }, presetId: s.p.id, custom: false })
    queue.add({ config: { ...s.p.config, seed: 3 }, presetId: null, custom: true })
    await settle()

    setActivePinia(createPinia()) // a reload: new stores, same storage
    const restored = useQueueStore()
    expect(restored.items.map((i) => [i.config.seed, i.presetId, i.custom])).toEqual([
      [2, s.p.id, false],
      [3, null, true]
    ])
    expect(restored.droppedOnRestore).toBe(0)
    restored.clear()
    await settle()
    setActivePinia(createPinia())
    expect(useQueueStore().items).toHaveLength(0)
  })

  it('drops a stored item that no longer validates, and counts it', () => {
    const good = { config: preset('vg-relu-he', 'vanishing-gradient').config, presetId: 'vg-relu-he', custom: false }
    localStorage.setItem('gradient-lab.queue.v1', JSON.stringify([good, { config: { batchSize: -1 }, presetId: null, custom: true }]))
    const queue = useQueueStore()
    expect(queue.items).toHaveLength(1)
    expect(queue.droppedOnRestore).toBe(1)
    localStorage.setItem('gradient-lab.queue.v1', '{not json')
    setActivePinia(createPinia())
    expect(useQueueStore().items).toHaveLength(0)
    expect(useQueueStore().droppedOnRestore).toBe(1)
  })
})
