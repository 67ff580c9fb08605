import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRunFileStore, isRunFileId, MAX_RECORD_BYTES } from '../../src/main/run-files'

/*
 * The Electron host's run records, without Electron: the pure file store that src/main/ipc.ts wires to
 * `window.gradientLab.runs`, on a temporary folder.
 */

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradient-lab-runs-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const record = (id: string, iter = 0) => ({ version: 1, id, iter, losses: { stride: 1, values: [null, 2.3], recorded: 1 } })

describe('run file store', () => {
  it('writes <id>.json and lists it back', async () => {
    const store = createRunFileStore(join(dir, 'runs'))
    await store.save('run-a', record('run-a'))
    expect(readdirSync(join(dir, 'runs'))).toEqual(['run-a.json'])
    expect(await store.list()).toEqual([{ id: 'run-a', ok: true, data: record('run-a') }])
  })

  it('replaces a record atomically: no temporary file is left, the last save wins', async () => {
    const store = createRunFileStore(dir)
    // Many saves at once, as periodic saves might pile up: they are written in order.
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save('run-a', record('run-a', i))))
    expect(readdirSync(dir)).toEqual(['run-a.json'])
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
    expect(readdirSync(dir)).toEqual([])
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
  })

  it('creates its folder on first use', async () => {
    const store = createRunFileStore(join(dir, 'deep', 'runs'))
    expect(await store.list()).toEqual([])
    await store.save('run-a', record('run-a'))
    expect(readdirSync(join(dir, 'deep', 'runs'))).toEqual(['run-a.json'])
  })
})
