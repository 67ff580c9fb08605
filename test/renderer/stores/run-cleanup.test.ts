import { describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useRunLibraryStore } from '@renderer/stores/run-library'
import { MemoryRunStorage } from '@renderer/lib/storage/memory-storage'
import { withoutIpcPrefix } from '@renderer/lib/storage/electron-storage'
import { assertBrowserQuota } from '@renderer/lib/storage/browser-quota'
import { QuotaExceededError } from '@engine/store-quota'
import { ageCutoff, MAX_AGE_DAYS, runsOlderThan } from '@renderer/lib/storage/run-cleanup'
import type { RunRecord } from '@renderer/lib/storage/run-record'
import { preset } from '../fixtures'

/* Bulk delete and "delete runs older than …": the cutoff, which runs it picks, and the store's removeMany. */

const DAY = 24 * 60 * 60 * 1000
const NOW = Date.UTC(2026, 11, 6, 14, 0)

describe('ageCutoff', () => {
  it('counts days, weeks and 30-day months back from now', () => {
    expect(ageCutoff(1, 'days', NOW)).toBe(NOW - DAY)
    expect(ageCutoff(2, 'weeks', NOW)).toBe(NOW - 14 * DAY)
    expect(ageCutoff(3, 'months', NOW)).toBe(NOW - 90 * DAY)
  })

  it('refuses an age that is not a whole number from 1, or more than ten years', () => {
    for (const amount of [0, -3, 1.5, Number.NaN]) expect(ageCutoff(amount, 'days', NOW)).toBeNull()
    expect(ageCutoff(MAX_AGE_DAYS, 'days', NOW)).toBe(NOW - MAX_AGE_DAYS * DAY)
    expect(ageCutoff(MAX_AGE_DAYS + 1, 'days', NOW)).toBeNull()
    expect(ageCutoff(122, 'months', NOW)).toBeNull()
  })
})

describe('runsOlderThan', () => {
  it('picks the runs created before the cutoff, never a live one, and not one created at the cutoff', () => {
    const cutoff = NOW - 30 * DAY
    const runs = [
      { id: 'old', createdAt: cutoff - 1, live: false },
      { id: 'old-live', createdAt: cutoff - DAY, live: true },
      { id: 'at-cutoff', createdAt: cutoff, live: false },
      { id: 'new', createdAt: NOW, live: false }
    ]
    expect(runsOlderThan(runs, cutoff)).toEqual(['old'])
  })
})

function record(id: string, createdAt: number, status: RunRecord['status'] = 'completed'): RunRecord {
  return {
    version: 1,
    id,
    presetId: 'vg-relu-he',
    custom: false,
    config: { ...preset('vg-relu-he', 'vanishing-gradient').config, seed: 1 },
    status,
    message: null,
    messageKey: null,
    dataset: 'MNIST',
    createdAt,
    updatedAt: createdAt,
    iter: 10,
    totalIters: 10,
    elapsedMs: 5,
    losses: { stride: 1, values: [null, 2.1], recorded: 1 },
    evaluations: [],
    filterSnapshots: [],
    weights: null,
    landscape: null,
    confusions: [],
    embeddingSnapshots: [],
    embeddingImages: null
  }
}

/** Fails the removal of one id, as a full or read-only disk would. */
class FailingStorage extends MemoryRunStorage {
  failOn = ''
  override async remove(id: string): Promise<void> {
    if (id === this.failOn) throw new Error('EACCES: permission denied')
    return super.remove(id)
  }
}

async function storeWith(storage: MemoryRunStorage, records: RunRecord[]) {
  for (const r of records) storage.items.set(r.id, JSON.parse(JSON.stringify(r)))
  setActivePinia(createPinia())
  const runs = useRunLibraryStore()
  runs.attachStorage(storage)
  await runs.load()
  return runs
}

describe('runs.removeMany', () => {
  it('deletes the runs from the list and from storage, and keeps the others', async () => {
    const storage = new MemoryRunStorage()
    const runs = await storeWith(storage, [record('a', 1), record('b', 2), record('c', 3)])
    expect(await runs.removeMany(['a', 'c', 'unknown'])).toBe(2)
    expect(runs.list.map((e) => e.id)).toEqual(['b'])
    expect([...storage.items.keys()]).toEqual(['b'])
  })

  it('stops at a failure, reports it, and lists again the runs still stored', async () => {
    const storage = new FailingStorage()
    storage.failOn = 'b'
    const runs = await storeWith(storage, [record('a', 1), record('b', 2), record('c', 3)])
    expect(await runs.removeMany(['a', 'b', 'c'])).toBe(1)
    expect(runs.storageError).toMatch(/permission denied/)
    expect(runs.list.map((e) => e.id).sort()).toEqual(['b', 'c'])
    expect([...storage.items.keys()].sort()).toEqual(['b', 'c'])
  })
})

describe('a save refused by the quota', () => {
  class FullStorage extends MemoryRunStorage {
    override async save(): Promise<void> {
      throw new QuotaExceededError('Not saved: this run (1.4 MB) would take saved runs to 4.3 GB, over its cap of 4.3 GB.')
    }
  }

  it('is shown with the quota message', async () => {
    const runs = await storeWith(new FullStorage(), [])
    const entry = runs.create({ id: 'run-q', presetId: 'vg-relu-he', custom: false, config: record('run-q', 1).config })
    runs.started(entry.id, { config: record('run-q', 1).config, dataset: 'MNIST' })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(runs.storageError).toBe('Not saved: this run (1.4 MB) would take saved runs to 4.3 GB, over its cap of 4.3 GB.')
  })

  it("reaches the renderer without Electron's IPC prefix", () => {
    const error = new Error("Error invoking remote method 'runs:save': QuotaExceededError: Not saved: this run (1.4 MB) would take …")
    expect(withoutIpcPrefix(error)).toBe('Not saved: this run (1.4 MB) would take …')
    expect(withoutIpcPrefix(new Error('disk full'))).toBe('disk full')
  })
})

describe('the quota in the browser version', () => {
  it('refuses a write over half of what the browser says is free, counting a replaced item as freed', async () => {
    const free = async () => 1000
    await expect(assertBrowserQuota({ store: 'models', storedBytes: 0, writeBytes: 501, freeBytes: free })).rejects.toThrow(
      /^Not saved: this model \(501 bytes\) would take the model library to 501 bytes, over its quota of 500 bytes/
    )
    await expect(assertBrowserQuota({ store: 'models', storedBytes: 0, writeBytes: 501, replacedBytes: 10, freeBytes: free })).resolves.toBeUndefined()
    await expect(assertBrowserQuota({ store: 'runs', storedBytes: 10, writeBytes: 10 ** 9, freeBytes: async () => null })).resolves.toBeUndefined()
  })
})
