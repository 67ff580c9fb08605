import { describe, expect, it } from 'vitest'
import type { ImageDataset } from '../../../../src/engine/data/image-set'
import { datasetFingerprint } from '../../../../src/engine/data/fingerprint'
import type { DatasetEntry } from '../../../../src/engine/protocol'
import { encodeStoredSet } from '../../../../src/engine/data/stored-set'
import { createSetLibrary, type SetChange, type SetStore } from '../../../../src/engine/hosts/web/set-library'

/*
 * The browser's data library over a Map store standing in for IndexedDB (no fake-indexeddb package here):
 * what is listed, what loads back, names taken, and a failing store leaving everything as it was.
 */

function tinySet(name: string, shift = 0): ImageDataset {
  const images = (count: number) => Uint8Array.from({ length: count * 3 * 8 * 8 }, (_, i) => (i * 7 + shift) % 256)
  return {
    name,
    classes: ['cat', 'dog'],
    train: { count: 4, channels: 3, rows: 8, cols: 8, images: images(4), labels: Uint8Array.from([0, 1, 0, 1]) },
    test: { count: 2, channels: 3, rows: 8, cols: 8, images: images(2), labels: Uint8Array.from([1, 0]) }
  }
}

/** A Map store whose commits apply all at once (or, when told to fail, not at all). */
function mapStore() {
  const entries = new Map<string, DatasetEntry>()
  const bytes = new Map<string, Uint8Array>()
  const state = { failNext: false, bytesRead: 0 }
  const store: SetStore = {
    entries: async () => [...entries.values()].map((e) => structuredClone(e)),
    entry: async (name) => entries.get(name),
    bytes: async (name) => {
      state.bytesRead++
      return bytes.get(name)
    },
    async commit(change: SetChange) {
      if (state.failNext) {
        state.failNext = false
        throw new Error('QuotaExceededError')
      }
      if (change.put) {
        entries.set(change.put.entry.name, change.put.entry)
        bytes.set(change.put.entry.name, change.put.bytes)
      }
      for (const name of change.delete ?? []) {
        entries.delete(name)
        bytes.delete(name)
      }
      if (change.rename) {
        const moved = bytes.get(change.rename.from)!
        entries.delete(change.rename.from)
        bytes.delete(change.rename.from)
        entries.set(change.rename.to.name, change.rename.to)
        bytes.set(change.rename.to.name, moved)
      }
    }
  }
  return { store, entries, bytes, state }
}

const info = { source: 'folders' as const, skipped: [{ file: 'cat/x.txt', reason: 'not an image' }] }
const at = () => new Date('2026-12-06T12:00:00Z')

describe('browser data library', () => {
  it('lists a saved set from its entry alone and loads the same images back', async () => {
    const { store, state } = mapStore()
    const library = createSetLibrary(store, { now: at })
    const set = tinySet('Pets')
    const entry = await library.save(set, info, false)
    expect(entry).toMatchObject({
      name: 'Pets',
      source: 'folders',
      stored: true,
      train: 4,
      test: 2,
      channels: 3,
      height: 8,
      width: 8,
      classes: ['cat', 'dog'],
      createdAt: '2026-12-06T12:00:00.000Z'
    })
    expect(entry.fingerprint).toBe(datasetFingerprint(set))
    expect(entry.skipped).toEqual(info.skipped)

    expect(await library.list()).toEqual([entry])
    expect(state.bytesRead).toBe(0) // listing never reads the images

    const loaded = await library.load('Pets')
    expect(Array.from(loaded.train.images)).toEqual(Array.from(set.train.images))
    expect(Array.from(loaded.test.labels)).toEqual([1, 0])
    expect(datasetFingerprint(loaded)).toBe(entry.fingerprint)
  })

  it('refuses a taken name unless told to replace it', async () => {
    const { store } = mapStore()
    const library = createSetLibrary(store, { now: at })
    await library.save(tinySet('Pets'), info, false)
    await expect(library.save(tinySet('Pets', 1), info, false)).rejects.toMatchObject({ code: 'DATASET_EXISTS' })
    const replaced = await library.save(tinySet('Pets', 1), info, true)
    expect(replaced.fingerprint).toBe(datasetFingerprint(tinySet('Pets', 1)))
    expect((await library.list()).map((e) => e.name)).toEqual(['Pets'])
  })

  it('renames a set (its bytes move with it, the new name loads) and refuses a taken or unknown name', async () => {
    const { store, bytes } = mapStore()
    const library = createSetLibrary(store, { now: at })
    await library.save(tinySet('A'), info, false)
    await library.save(tinySet('B', 3), info, false)
    await expect(library.rename('A', 'B')).rejects.toMatchObject({ code: 'DATASET_EXISTS' })
    await expect(library.rename('Nope', 'C')).rejects.toMatchObject({ code: 'UNKNOWN_DATASET' })
    await library.rename('A', 'Z')
    expect((await library.list()).map((e) => e.name)).toEqual(['B', 'Z'])
    expect(bytes.has('A')).toBe(false)
    expect((await library.load('Z')).name).toBe('Z')
  })

  it('removes a set whole; a failing store is DATASET_WRITE_FAILED and changes nothing', async () => {
    const { store, state, entries, bytes } = mapStore()
    const library = createSetLibrary(store, { now: at })
    await library.save(tinySet('A'), info, false)

    state.failNext = true
    await expect(library.save(tinySet('B'), info, false)).rejects.toMatchObject({
      code: 'DATASET_WRITE_FAILED',
      message: expect.stringContaining('nothing was changed')
    })
    expect([...entries.keys()]).toEqual(['A'])
    expect([...bytes.keys()]).toEqual(['A'])

    await library.remove('A')
    expect(await library.list()).toEqual([])
    await expect(library.load('A')).rejects.toMatchObject({ code: 'UNKNOWN_DATASET' })
  })

  it('does not load bytes that disagree with their entry', async () => {
    const { store, entries } = mapStore()
    const library = createSetLibrary(store, { now: at })
    await library.save(tinySet('A'), info, false)
    entries.set('A', { ...entries.get('A')!, fingerprint: '0000000000000000' })
    await expect(library.load('A')).rejects.toMatchObject({ code: 'DATASET_INVALID' })
  })

  it('refuses a set over the quota before writing anything, counting a replaced set as freed', async () => {
    const { store, state } = mapStore()
    const set = tinySet('Pets') // 6 images of 3×8×8: 6 × 193 bytes of images and labels
    // Half of the free space may be used: 2 KB free lets 1 KB in, which the set's ~2.6 KB file exceeds.
    const tight = createSetLibrary(store, { now: at, freeBytes: async () => 2000 })
    await expect(tight.save(set, info, false)).rejects.toMatchObject({
      code: 'DATASET_WRITE_FAILED',
      message: expect.stringMatching(/^Not saved: this data set .* would take the data library to .*Delete data sets you no longer need in Data\.$/)
    })
    expect(await tight.list()).toEqual([])
    const roomy = createSetLibrary(store, { now: at, freeBytes: async () => 1_000_000 })
    await roomy.save(set, info, false)
    // Replacing it: the old set's room (6 × 193 bytes) comes back. With free space a little under twice the
    // new file, the write fits only because of that.
    const fileBytes = encodeStoredSet(set, { source: 'folders', createdAt: at().toISOString(), skipped: 1 }).byteLength
    const free = 2 * fileBytes - 400
    await expect(createSetLibrary(store, { now: at, freeBytes: async () => free }).save({ ...set, name: 'Other' }, info, false)).rejects.toMatchObject({
      code: 'DATASET_WRITE_FAILED'
    })
    await expect(createSetLibrary(store, { now: at, freeBytes: async () => free }).save(set, info, true)).resolves.toMatchObject({ name: 'Pets' })
    expect(state.bytesRead).toBe(0)
  })
})
