import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createModelFileStore, isModelFileId } from '../../src/main/model-files'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gl-models-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const ID = 'model-abc123-xyz789'
const entry = (name: string) => ({ version: 1, id: ID, name, savedAt: 1, size: 4, summary: {} })

describe('model files in the user-data folder', () => {
  it('saves a model and its entry, lists the entry and reads the bytes back exactly', async () => {
    const store = createModelFileStore(dir)
    const bytes = new Uint8Array([0, 1, 254, 255])
    await store.save(ID, entry('first'), bytes)
    expect(await store.list()).toEqual([{ id: ID, ok: true, data: entry('first') }])
    expect(Array.from(await store.read(ID))).toEqual([0, 1, 254, 255])
    expect((await readdir(dir)).sort()).toEqual([`${ID}.json`, `${ID}.safetensors`])
  })

  it('a rename rewrites only the entry; remove deletes both files', async () => {
    const store = createModelFileStore(dir)
    await store.save(ID, entry('first'), new Uint8Array([7]))
    await store.saveEntry(ID, entry('renamed'))
    expect(await store.list()).toEqual([{ id: ID, ok: true, data: entry('renamed') }])
    expect(Array.from(await store.read(ID))).toEqual([7])
    await store.remove(ID)
    expect(await readdir(dir)).toEqual([])
  })

  it('refuses ids that could leave the folder or name a reserved file', async () => {
    const store = createModelFileStore(dir)
    for (const bad of ['../evil', 'model-a/b-c', 'CON', 'model-ABC-def', '', 'model-a-b.json']) {
      expect(isModelFileId(bad)).toBe(false)
      await expect(store.save(bad, entry('x'), new Uint8Array(1))).rejects.toThrow(/not a valid model id/)
      await expect(store.read(bad)).rejects.toThrow(/not a valid model id/)
    }
    expect(await readdir(dir)).toEqual([])
  })

  it('a failed write leaves the previous model intact and no temporary file behind', async () => {
    const store = createModelFileStore(dir)
    await store.save(ID, entry('first'), new Uint8Array([1, 2, 3]))
    // An entry that cannot be serialised fails before anything is written…
    const circular: Record<string, unknown> = {}
    circular.self = circular
    await expect(store.save(ID, circular, new Uint8Array([9]))).rejects.toThrow()
    // …and a write into a folder that has become a file fails at the disk, with the reason.
    const blocked = createModelFileStore(join(dir, `${ID}.safetensors`, 'sub'))
    await expect(blocked.save(ID, entry('x'), new Uint8Array([9]))).rejects.toThrow()
    expect(Array.from(await store.read(ID))).toEqual([1, 2, 3])
    expect(JSON.parse(await readFile(join(dir, `${ID}.json`), 'utf8'))).toEqual(entry('first'))
    expect((await readdir(dir)).some((n) => n.includes('.tmp-'))).toBe(false)
  })

  it('lists a damaged entry with its reason, skips an entry without its model file, and cleans stale temporary files', async () => {
    const store = createModelFileStore(dir)
    await writeFile(join(dir, 'model-aa-bb.json'), '{not json')
    await writeFile(join(dir, 'model-aa-bb.safetensors'), 'x')
    await writeFile(join(dir, 'model-cc-dd.json'), JSON.stringify(entry('orphan')))
    await writeFile(join(dir, 'model-ee-ff.safetensors.tmp-1-abcd'), 'half')
    const listed = await store.list()
    expect(listed).toHaveLength(2)
    expect(listed[0]).toMatchObject({ id: 'model-aa-bb', ok: false, reason: expect.stringMatching(/not valid JSON/) })
    expect(listed[1]).toMatchObject({ id: 'model-cc-dd', ok: false })
    expect((await readdir(dir)).some((n) => n.includes('.tmp-'))).toBe(false)
  })
})
