import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkQuota, formatBytes, QuotaExceededError, STORE_CAPS } from '../../src/engine/store-quota'
import { createRunFileStore } from '../../src/main/run-files'
import { createModelFileStore } from '../../src/main/model-files'
import { saveDataSet } from '../../src/engine/hosts/node/dataset-library'

/* The stores' quota: the policy (the smaller of a cap and the store plus half the free space), and the
 * desktop run store refusing a write over it before anything is written. */

const MB = 1000 * 1000
const GiB = 1024 ** 3

describe('checkQuota', () => {
  it('allows a write up to the cap when the disk has room, and refuses one past it naming the cap', () => {
    const base = { store: 'runs' as const, freeBytes: 500 * GiB }
    expect(checkQuota({ ...base, storedBytes: STORE_CAPS.runs - 2 * MB, writeBytes: 2 * MB })).toEqual({ ok: true, quotaBytes: STORE_CAPS.runs })
    const refused = checkQuota({ ...base, storedBytes: STORE_CAPS.runs - MB, writeBytes: 2 * MB })
    expect(refused.ok).toBe(false)
    if (refused.ok) return
    expect(refused.message).toBe(
      'Not saved: this run (2.0 MB) would take saved runs to 4.3 GB, over its cap of 4.3 GB. Delete runs you no longer need in Compare (“Delete many runs”).'
    )
  })

  it('on a nearly full disk, lets a store take only half of the free space', () => {
    const q = { store: 'models' as const, storedBytes: 10 * MB, freeBytes: 100 * MB }
    expect(checkQuota({ ...q, writeBytes: 50 * MB }).ok).toBe(true)
    const refused = checkQuota({ ...q, writeBytes: 51 * MB })
    expect(refused).toMatchObject({ ok: false, quotaBytes: 60 * MB })
    if (!refused.ok) expect(refused.message).toContain('plus half of the 100 MB free')
  })

  it('counts the bytes of the item being replaced as free, and applies the cap alone when free space is unknown', () => {
    const q = { store: 'datasets' as const, storedBytes: 0, writeBytes: 60 * MB, freeBytes: 100 * MB }
    expect(checkQuota(q).ok).toBe(false)
    expect(checkQuota({ ...q, replacedBytes: 40 * MB }).ok).toBe(true)
    expect(checkQuota({ ...q, freeBytes: null })).toEqual({ ok: true, quotaBytes: STORE_CAPS.datasets })
  })

  it('formats sizes as a file manager does', () => {
    expect(formatBytes(999)).toBe('999 bytes')
    expect(formatBytes(1_440_000)).toBe('1.4 MB')
    expect(formatBytes(4 * GiB)).toBe('4.3 GB')
    expect(formatBytes(25 * 1000 ** 3)).toBe('25 GB')
  })
})

describe('the desktop run store under its quota', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('refuses a save that would pass half the free space, before writing anything; a smaller one goes through', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-quota-'))
    dirs.push(dir)
    // A disk of 3,000 bytes, the records on it.
    const used = () => readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0)
    const store = createRunFileStore(dir, { freeBytes: async () => 3000 - used(), indexWriteDelayMs: 60_000 })
    const record = (id: string, size: number) => ({ version: 1, id, blob: 'x'.repeat(size) })
    await store.save('run-a', record('run-a', 1200))
    const before = readFileSync(join(dir, 'run-a.json'), 'utf8')
    const error = await store.save('run-b', record('run-b', 1200)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QuotaExceededError)
    // run-a takes 1,230 bytes and 1,770 are free: the quota is 1,230 + 885.
    expect((error as Error).message).toBe(
      'Not saved: this run (1.2 KB) would take saved runs to 2.5 KB, over its quota of 2.1 KB: what it holds (1.2 KB) plus half of the 1.8 KB free. Delete runs you no longer need in Compare (“Delete many runs”).'
    )
    expect(readdirSync(dir).sort()).toEqual(['run-a.json'])
    expect(readFileSync(join(dir, 'run-a.json'), 'utf8')).toBe(before)
    // Rewriting run-a in place frees its old bytes first: allowed.
    await store.save('run-a', record('run-a', 1400))
    await store.save('run-c', record('run-c', 300))
    expect(readdirSync(dir).sort()).toEqual(['run-a.json', 'run-c.json'])
    await store.flushIndex()
  })
})

describe('the model library and the data library under their quotas', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'lab-quota-'))
    dirs.push(d)
    return d
  }

  it('refuses a model that would pass half the free space, keeping the model it would replace', async () => {
    const dir = tempDir()
    // A disk of 10,000 bytes, the models on it.
    const used = () => readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0)
    const store = createModelFileStore(dir, { freeBytes: async () => 10_000 - used() })
    const id = 'model-abc-def'
    const entry = { version: 1, id, name: 'first' }
    await store.save(id, entry, new Uint8Array(3000))
    // A re-save frees the old files first: 4,040 bytes fit in half of the 10,000.
    await store.save(id, entry, new Uint8Array(4000))
    const error = await store.save('model-abc-ghi', entry, new Uint8Array(3200)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(QuotaExceededError)
    expect((error as Error).message).toMatch(/^Not saved: this model \(3\.2 KB\) would take the model library to 7\.3 KB, over its quota of 7\.0 KB/)
    expect(readdirSync(dir).sort()).toEqual([`${id}.json`, `${id}.safetensors`])
    expect((await store.read(id)).byteLength).toBe(4000)
  })

  it('refuses a data set over the quota with DATASET_WRITE_FAILED, leaving nothing of it', async () => {
    const dir = join(tempDir(), 'datasets')
    const split = (count: number) => ({
      count,
      channels: 1,
      rows: 8,
      cols: 8,
      images: new Uint8Array(count * 64).map((_, i) => i % 251),
      labels: new Uint8Array(count).map((_, i) => i % 2)
    })
    const set = { name: 'digits', classes: ['zero', 'one'], train: split(40), test: split(10) }
    const info = { source: '/photos', skipped: [], createdAt: '2026-12-06T10:00:00.000Z' }
    const error = await saveDataSet(dir, set, info, { freeBytes: async () => 5000 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'DATASET_WRITE_FAILED' })
    expect((error as Error).message).toMatch(/^Not saved: this data set \(\d\.\d KB\) would take the data library to \d\.\d KB, over its quota of 2\.5 KB/)
    expect(readdirSync(dir)).toEqual([])
    await saveDataSet(dir, set, info, { freeBytes: async () => 1_000_000 })
    expect(readdirSync(dir)).toHaveLength(1)
  })
})
