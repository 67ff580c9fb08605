import { describe, expect, it } from 'vitest'
import { FULL_READ_BATCH, toRecord } from '@renderer/stores/run-library'
import { MemoryRunStorage } from '@renderer/lib/storage/memory-storage'
import type { RunRecord } from '@renderer/lib/storage/run-record'
import type { StoredRunItem } from '@renderer/lib/storage/run-storage'
import { summarizeRunRecord } from '../../../src/main/run-summary'
import { DATASET } from '../fixtures'
import { readyStores } from './ready-stores'

/*
 * A library of 1,000 runs, as the desktop app lists it: summaries from main's index (made here by main's own
 * summarizeRunRecord, so this also checks that they pass the renderer's schema), whole records read only for
 * the runs a view reads, a batch at a time.
 */

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

/** The desktop storage without Electron: `list` gives summaries, `read` counts what is read whole. */
class IndexedStorage extends MemoryRunStorage {
  readonly reads: string[][] = []
  failing = new Set<string>()
  override async list(): Promise<StoredRunItem[]> {
    return [...this.items.entries()].map(([id, data]) => ({ id, summary: JSON.parse(JSON.stringify(summarizeRunRecord(data))) }))
  }
  override async read(ids: readonly string[]): Promise<StoredRunItem[]> {
    this.reads.push([...ids])
    const items = await super.read(ids)
    return items.map((item) => (this.failing.has(item.id) ? { id: item.id, error: 'not valid JSON (Unexpected end)' } : item))
  }
}

const setup = (storage: MemoryRunStorage) => readyStores(storage)

/** One real record, made by a run through the stores, then copied under 1,000 ids. */
async function library(runs = 1000): Promise<{ storage: IndexedStorage; template: RunRecord }> {
  const maker = setup(new MemoryRunStorage())
  expect(maker.run.startConfig({ config: { ...maker.p.config, seed: 3 }, presetId: maker.p.id, custom: false })).toBe(true)
  const runId = maker.run.runId!
  maker.send({ type: 'runStarted', runId, presetId: maker.p.id, config: { ...maker.p.config, seed: 3 }, dataset: DATASET.name })
  maker.send({
    type: 'progress',
    runId,
    iter: 30,
    totalIters: 2000,
    elapsedMs: 30,
    itersPerSec: 100,
    losses: { firstIter: 1, values: Array.from({ length: 30 }, (_, i) => 2 - i / 100) }
  })
  const last = { iter: 30, loss: 1.7, trainAcc: 0.5, testAcc: 0.42, elapsedMs: 5 }
  maker.send({ type: 'runFinished', runId, status: 'completed', iter: 30, elapsedMs: 9, last })
  const template = toRecord(maker.runs.get(runId)!)!
  const storage = new IndexedStorage()
  for (let n = 0; n < runs; n++) {
    const id = `run-${String(n).padStart(4, '0')}`
    storage.items.set(id, { ...template, id, createdAt: template.createdAt + n })
  }
  return { storage, template }
}

describe('a library of 1,000 runs', () => {
  it('opens from summaries: every run listed, no record read', async () => {
    const { storage } = await library()
    const s = setup(storage)
    await s.runs.load()
    expect(s.runs.warnings).toEqual([])
    expect(s.runs.list).toHaveLength(1000)
    expect(storage.reads).toEqual([])
    const newest = s.runs.list[0]
    expect(newest.id).toBe('run-0999')
    expect(newest.detail).toBe('summary')
    // What the list and the results table show comes from the summary.
    expect(s.runs.lastEvaluation(newest.id)).toMatchObject({ iter: 30, testAcc: 0.42 })
    expect(s.runs.lossCount(newest.id)).toBe(30)
    expect(s.runs.hasWeights(newest)).toBe(false)
    expect(newest.config?.seed).toBe(3)
  })

  it('reads a run whole when a view reads its curves, the runs of one turn in one batch', async () => {
    const { storage } = await library()
    const s = setup(storage)
    await s.runs.load()
    // A chart asks for three runs' curves: it gets nothing yet, then all three arrive together.
    expect(s.runs.lossPoints('run-0001')).toEqual([])
    expect(s.runs.evaluationsOf('run-0002')).toEqual([])
    s.runs.lossPoints('run-0003')
    await settle()
    expect(storage.reads).toEqual([['run-0001', 'run-0002', 'run-0003']])
    expect(s.runs.lossPoints('run-0001')).toHaveLength(30)
    expect(s.runs.evaluationsOf('run-0002').map((e) => e.testAcc)).toEqual([0.42])
    expect(s.runs.get('run-0003')?.detail).toBe('full')
    expect(s.runs.get('run-0004')?.detail).toBe('summary')
    // Read once: asking again reads nothing more.
    s.runs.lossPoints('run-0001')
    await settle()
    expect(storage.reads).toHaveLength(1)
  })

  it('splits a large request into batches the main process accepts', async () => {
    const { storage } = await library()
    const s = setup(storage)
    await s.runs.load()
    const ids = s.runs.list.slice(0, FULL_READ_BATCH + 5).map((e) => e.id)
    const entries = await Promise.all(ids.map((id) => s.runs.ensureFull(id)))
    expect(entries.every((e) => e?.detail === 'full')).toBe(true)
    expect(storage.reads.map((r) => r.length)).toEqual([FULL_READ_BATCH, 5])
  })

  it('never saves a summary over its record; a run followed while its record loads keeps both histories', async () => {
    const { storage } = await library(3)
    const s = setup(storage)
    await s.runs.load()
    const entry = s.runs.get('run-0001')!
    expect(toRecord(entry)).toBeNull()
    // A window reload while the engine trains this run: it is followed, and new losses arrive at once.
    s.runs.follow('run-0001')
    s.runs.progress('run-0001', { iter: 40, totalIters: 2000, elapsedMs: 40, firstIter: 31, values: Array.from({ length: 10 }, () => 1.5) })
    await settle()
    await settle()
    expect(s.runs.lossCount('run-0001')).toBe(40)
    const saved = storage.items.get('run-0001') as RunRecord
    expect(saved.losses.recorded).toBe(40)
    expect(saved.evaluations.map((e) => e.testAcc)).toEqual([0.42])
  })

  it('a record that cannot be read whole is named once, and the summary stays', async () => {
    const { storage } = await library(3)
    storage.failing.add('run-0002')
    const s = setup(storage)
    await s.runs.load()
    s.runs.lossPoints('run-0002')
    await settle()
    expect(s.runs.warnings).toEqual([{ id: 'run-0002', reason: 'not valid JSON (Unexpected end)' }])
    expect(s.runs.get('run-0002')?.detail).toBe('summary')
    s.runs.lossPoints('run-0002')
    await settle()
    expect(storage.reads).toHaveLength(1)
  })
})
