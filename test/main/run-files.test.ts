import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createRunFileStore as createStore,
  isRunFileId,
  MAX_READ_BATCH,
  MAX_RECORD_BYTES,
  type RunFileStore,
  type RunFileStoreOptions
} from '../../src/main/run-files'
import { INDEX_FILE } from '../../src/main/run-index'
import { summarizeRunRecord } from '../../src/main/run-summary'

/*
 * The Electron host's run records, without Electron: the pure file store that src/main/ipc.ts wires to
 * `window.gradientLab.runs`, on a temporary folder.
 */

/** Every store a test opens writes its pending index before the folder goes. */
const opened: RunFileStore[] = []
function createRunFileStore(folder: string, options?: RunFileStoreOptions): RunFileStore {
  const store = createStore(folder, options)
  opened.push(store)
  return store
}
const flushAll = () => Promise.all(opened.splice(0).map((s) => s.flushIndex().catch(() => undefined)))

let dir: string

const record = (id: string, iter = 0) => ({ version: 1, id, iter, losses: { stride: 1, values: [null, 2.3], recorded: 1 } })

describe('run file store', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradient-lab-runs-'))
  })
  afterEach(async () => {
    await flushAll()
    rmSync(dir, { recursive: true, force: true })
  })

  it('writes <id>.json, lists its summary and reads the whole record back', async () => {
    const store = createRunFileStore(join(dir, 'runs'))
    await store.save('run-a', record('run-a'))
    expect(readdirSync(join(dir, 'runs'))).toEqual(['run-a.json'])
    expect(await store.list()).toEqual([{ id: 'run-a', ok: true, data: summarizeRunRecord(record('run-a')) }])
    expect(await store.read(['run-a'])).toEqual([{ id: 'run-a', ok: true, data: record('run-a') }])
  })

  it('replaces a record atomically: no temporary file is left, the last save wins', async () => {
    const store = createRunFileStore(dir)
    // Many saves at once, as periodic saves might pile up: they are written in order.
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save('run-a', record('run-a', i))))
    await store.flushIndex()
    expect(readdirSync(dir).sort()).toEqual([INDEX_FILE, 'run-a.json'])
    expect(JSON.parse(readFileSync(join(dir, 'run-a.json'), 'utf8')).iter).toBe(19)
  })

  it('lists a corrupt file with the reason instead of failing, next to the good ones', async () => {
    const store = createRunFileStore(dir)
    await store.save('run-good', record('run-good'))
    writeFileSync(join(dir, 'run-half.json'), '{"version":1,"id":"run-ha')
    writeFileSync(join(dir, 'notes.txt'), 'not a record')
    const listed = await store.list()
    expect(listed.map((f) => [f.id, f.ok])).toEqual([
      ['run-good', true],
      ['run-half', false]
    ])
    const bad = listed.find((f) => f.id === 'run-half')
    expect(bad && !bad.ok && bad.reason).toMatch(/^not valid JSON/)
  })

  it('cleans up the temporary file of a write that a crash interrupted, and never lists it', async () => {
    writeFileSync(join(dir, 'run-a.json.tmp-99999-deadbeef'), '{"version":1,"id":"run-a","iter":')
    writeFileSync(join(dir, `${INDEX_FILE}.tmp-99999-deadbeef`), '{"format":')
    const store = createRunFileStore(dir)
    expect(await store.list()).toEqual([])
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses ids that are not plain names (no paths, no dot-dot) and oversized records', async () => {
    const store = createRunFileStore(dir)
    for (const id of ['../evil', 'a/b', '..', '.hidden', '', 'x'.repeat(101), 'run a']) {
      expect(isRunFileId(id)).toBe(false)
      await expect(store.save(id, record(id))).rejects.toThrow(/not a valid run id/)
      await expect(store.remove(id)).rejects.toThrow(/not a valid run id/)
    }
    expect(isRunFileId('run-mwzppg53-c5b3675e')).toBe(true)
    await expect(store.save('run-big', { version: 1, id: 'run-big', blob: 'x'.repeat(MAX_RECORD_BYTES) })).rejects.toThrow(/larger than/)
    expect(readdirSync(dir).filter((n) => n !== INDEX_FILE)).toEqual([])
  })

  it('lists an oversized file as unreadable without reading it', async () => {
    const store = createRunFileStore(dir)
    await store.save('run-ok', record('run-ok'))
    // Sparse: 1 GiB on paper, nothing on disk; reading it would allocate the whole gigabyte.
    writeFileSync(join(dir, 'run-huge.json'), '{')
    truncateSync(join(dir, 'run-huge.json'), 1024 ** 3)
    const listed = await store.list()
    expect(listed.find((f) => f.id === 'run-huge')).toEqual({ id: 'run-huge', ok: false, reason: `the file is larger than ${MAX_RECORD_BYTES} bytes` })
    expect(listed.find((f) => f.id === 'run-ok')?.ok).toBe(true)
  })

  it('deletes a record, and deleting a missing one is not an error', async () => {
    const store = createRunFileStore(dir)
    await store.save('run-a', record('run-a'))
    await store.remove('run-a')
    await store.remove('run-a')
    expect(await store.list()).toEqual([])
    expect(await store.read(['run-a'])).toEqual([{ id: 'run-a', ok: false, reason: 'the record no longer exists' }])
  })

  it('creates its folder on first use', async () => {
    const store = createRunFileStore(join(dir, 'deep', 'runs'))
    expect(await store.list()).toEqual([])
    await store.save('run-a', record('run-a'))
    expect(readdirSync(join(dir, 'deep', 'runs'))).toEqual(['run-a.json'])
  })
})

/** A record the size of a long run's: 20,000 losses and 200 evaluations with per-layer statistics. */
function bigRecord(id: string, n: number) {
  const layers = Array.from({ length: 3 }, (_, l) => ({ name: `affine${l + 1}`, gradMean: n / 1000, histogram: Array.from({ length: 30 }, (_, b) => b) }))
  return {
    version: 1,
    id,
    presetId: n % 2 ? 'vg-relu-he' : 'of-l2',
    custom: false,
    config: { batchSize: 100, iterations: 20_000, seed: n },
    status: 'completed',
    message: null,
    messageKey: null,
    dataset: 'bundled',
    createdAt: 1_700_000_000_000 + n,
    updatedAt: 1_700_000_000_000 + n,
    iter: 20_000,
    totalIters: 20_000,
    elapsedMs: 1000 + n,
    losses: { stride: 1, values: Array.from({ length: 20_000 }, (_, i) => 2.3 / (1 + i / 1000)), recorded: 20_000 },
    evaluations: Array.from({ length: 200 }, (_, i) => ({ iter: i * 100, loss: 0.1, trainAcc: i / 200, testAcc: n / 10_000, elapsedMs: i, layers })),
    filterSnapshots: [],
    weights: n % 3 === 0 ? { iter: 20_000, layers: [], units: null } : null,
    landscape: null
  }
}

describe('a library of 1,000 runs', () => {
  const RUNS = 1000
  let reads: string[]
  /** Counts the files read as text, to see which records a call parsed. */
  const counting = () => ({
    readText: (path: string) => {
      reads.push(path)
      return readFile(path, 'utf8')
    }
  })
  const recordReads = () => reads.filter((p) => !p.endsWith(INDEX_FILE))

  // Written once, as the app does, through the store (the index follows every save); the tests run in order.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradient-lab-library-'))
    const writer = createRunFileStore(dir)
    for (let n = 0; n < RUNS; n++) {
      const id = `run-${String(n).padStart(4, '0')}`
      // A few records of full size; the rest keep their summary's counts with little history, to write fast.
      const full = bigRecord(id, n)
      await writer.save(id, n < 3 ? full : { ...full, losses: { stride: 1, values: [2.3], recorded: 20_000 }, evaluations: full.evaluations.slice(-2) })
    }
    await writer.flushIndex()
  }, 120_000)
  beforeEach(() => {
    reads = []
  })
  afterEach(flushAll)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('lists every run from the index, reading no record', async () => {
    // A new store on the same folder: the app started again.
    const store = createRunFileStore(dir, counting())
    const listed = await store.list()
    expect(recordReads()).toEqual([])
    expect(listed).toHaveLength(RUNS)
    expect(listed.every((f) => f.ok)).toBe(true)
    const first = listed[0]
    expect(first.ok && first.data).toEqual(summarizeRunRecord(bigRecord('run-0000', 0)))
    const summary = first.ok ? (first.data as Record<string, unknown>) : {}
    expect(summary).toMatchObject({ id: 'run-0000', evaluationCount: 200, lossesRecorded: 20_000, hasWeights: true, hasLandscape: false })
    expect(listed[4].ok && listed[4].data).toMatchObject({ id: 'run-0004', evaluationCount: 2, hasWeights: false })
    expect(summary.lastEvaluation).toEqual({ iter: 19_900, loss: 0.1, trainAcc: 199 / 200, testAcc: 0, elapsedMs: 199 })
    expect(summary).not.toHaveProperty('losses')
    expect(summary).not.toHaveProperty('evaluations')
    // What goes over IPC is small: the summaries of 1,000 runs, not 1,000 records.
    expect(Buffer.byteLength(JSON.stringify(listed))).toBeLessThan(RUNS * 2_000)
    expect(Buffer.byteLength(JSON.stringify(bigRecord('run-0000', 0)))).toBeGreaterThan(200_000)
  })

  it('reads whole records only when asked, a batch at a time', async () => {
    const store = createRunFileStore(dir, counting())
    await store.list()
    const got = await store.read(['run-0001', 'run-0002'])
    expect(recordReads().map((p) => p.slice(dir.length + 1))).toEqual(['run-0001.json', 'run-0002.json'])
    expect(got.map((f) => f.ok && (f.data as { losses: { values: unknown[] } }).losses.values.length)).toEqual([20_000, 20_000])
    await expect(store.read(Array.from({ length: MAX_READ_BATCH + 1 }, (_, i) => `run-${String(i).padStart(4, '0')}`))).rejects.toThrow(/at most/)
  })

  it('rebuilds a missing index once, then reads no record again', async () => {
    rmSync(join(dir, INDEX_FILE))
    const rebuilding = createRunFileStore(dir, counting())
    expect(await rebuilding.list()).toHaveLength(RUNS)
    expect(recordReads()).toHaveLength(RUNS)
    await rebuilding.flushIndex()
    reads = []
    const next = createRunFileStore(dir, counting())
    expect((await next.list()).map((f) => f.id)).toEqual((await rebuilding.list()).map((f) => f.id))
    expect(recordReads()).toEqual([])
  })

  it('reads again only the records changed behind its back, and drops the ones deleted', async () => {
    const store = createRunFileStore(dir, counting())
    await store.list()
    // Edited by another program (or restored from a backup), and one deleted.
    const edited = { ...bigRecord('run-0500', 500), status: 'stopped', evaluations: [] }
    writeFileSync(join(dir, 'run-0500.json'), JSON.stringify(edited))
    rmSync(join(dir, 'run-0501.json'))
    reads = []
    const listed = await store.list()
    expect(recordReads().map((p) => p.slice(dir.length + 1))).toEqual(['run-0500.json'])
    expect(listed).toHaveLength(RUNS - 1)
    expect(listed.find((f) => f.id === 'run-0500')).toEqual({ id: 'run-0500', ok: true, data: summarizeRunRecord(edited) })
    expect(listed.some((f) => f.id === 'run-0501')).toBe(false)
  })

  it('a damaged index is rebuilt, and a record saved after the last index write is picked up', async () => {
    writeFileSync(join(dir, INDEX_FILE), '{"format":"gradient-lab-run-index","summaryVersion":1,"entries":')
    // A save whose index write never happened (the app was killed within the delay).
    writeFileSync(join(dir, 'run-late.json'), JSON.stringify(bigRecord('run-late', 7)))
    const store = createRunFileStore(dir, counting())
    const listed = await store.list()
    // run-0501 was deleted by the test before.
    expect(listed).toHaveLength(RUNS)
    expect(recordReads()).toHaveLength(RUNS)
    expect(listed.find((f) => f.id === 'run-late')).toEqual({ id: 'run-late', ok: true, data: summarizeRunRecord(bigRecord('run-late', 7)) })
  })
})
