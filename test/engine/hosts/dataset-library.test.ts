/*
 * The data library on disk, in a temporary folder: save, list, load, rename, remove; names refused; a
 * failure at each step of a save leaves nothing behind; a corrupt folder is listed with its problem.
 */
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  DATA_FILE,
  META_FILE,
  checkDataSetName,
  listDataSets,
  loadDataSet,
  removeDataSet,
  renameDataSet,
  saveDataSet,
  slugFor,
  type DataSetInfo
} from '../../../src/engine/hosts/node/dataset-library'
import { datasetFingerprint } from '../../../src/engine/data/fingerprint'
import type { ImageDataset, Split } from '../../../src/engine/data/image-set'
import { Random } from '../../../src/engine/core/random'

function split(random: Random, count: number, channels: number, side: number, classCount: number): Split {
  const images = new Uint8Array(count * channels * side * side)
  for (let i = 0; i < images.length; i++) images[i] = random.int(256)
  const labels = new Uint8Array(count)
  for (let i = 0; i < count; i++) labels[i] = i % classCount
  return { count, channels, rows: side, cols: side, images, labels }
}

function makeSet(name: string, seed = 1, channels = 3): ImageDataset {
  const random = new Random(seed)
  return { name, classes: ['cat', 'dog', 'frog'], train: split(random, 8, channels, 8, 3), test: split(random, 4, channels, 8, 3) }
}

const info: DataSetInfo = { source: '/photos/pets', skipped: [{ file: 'cat/broken.png', reason: 'not a PNG file' }], createdAt: '2025-06-01T10:00:00.000Z' }

async function errorOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

let dir: string
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'gl-library-')), 'datasets')
})
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true })
})

describe('save, list, load', () => {
  it('a missing library lists as empty', async () => {
    expect(await listDataSets(dir)).toEqual([])
  })

  it('stores one folder with the bytes and meta.json, lists it from meta.json, loads it bit for bit', async () => {
    const dataset = makeSet('  Pets  ')
    const meta = await saveDataSet(dir, dataset, info)
    expect(meta).toMatchObject({
      name: 'Pets',
      source: '/photos/pets',
      train: 8,
      test: 4,
      channels: 3,
      height: 8,
      width: 8,
      classes: ['cat', 'dog', 'frog'],
      classCounts: { train: [3, 3, 2], test: [2, 1, 1] },
      fingerprint: datasetFingerprint(dataset),
      createdAt: info.createdAt,
      skipped: info.skipped
    })
    expect(await readdir(dir)).toEqual([slugFor('Pets')])
    expect((await readdir(join(dir, slugFor('Pets')))).sort()).toEqual([DATA_FILE, META_FILE])
    expect(JSON.parse(await readFile(join(dir, slugFor('Pets'), META_FILE), 'utf8'))).toEqual(meta)

    expect(await listDataSets(dir)).toEqual([{ folder: slugFor('Pets'), meta }])
    const loaded = await loadDataSet(dir, 'Pets')
    expect(loaded.meta).toEqual(meta)
    expect(loaded.dataset.name).toBe('Pets')
    for (const name of ['train', 'test'] as const) {
      expect(Buffer.from(loaded.dataset[name].images).equals(Buffer.from(dataset[name].images))).toBe(true)
      expect(Buffer.from(loaded.dataset[name].labels).equals(Buffer.from(dataset[name].labels))).toBe(true)
    }
  })

  it('lists sets by name; a grey set too', async () => {
    await saveDataSet(dir, makeSet('zebra', 2), info)
    await saveDataSet(dir, makeSet('apple', 3, 1), { source: 'x', skipped: [] })
    const list = await listDataSets(dir)
    expect(list.map((entry) => [entry.meta?.name, entry.meta?.channels])).toEqual([
      ['apple', 1],
      ['zebra', 3]
    ])
    expect((await loadDataSet(dir, 'apple')).dataset.train.channels).toBe(1)
  })

  it('refuses a second set of the same name, and replaces it when asked', async () => {
    await saveDataSet(dir, makeSet('Pets', 1), info)
    const error = await errorOf(saveDataSet(dir, makeSet(' Pets', 2), info))
    expect(error.code).toBe('DATASET_EXISTS')
    expect(error.message).toBe('the data library already has a set named "Pets"')

    const replaced = await saveDataSet(dir, makeSet('Pets', 2), info, { overwrite: true })
    expect(replaced.fingerprint).toBe(datasetFingerprint(makeSet('Pets', 2)))
    expect(await readdir(dir)).toEqual([slugFor('Pets')])
    expect((await loadDataSet(dir, 'Pets')).meta.fingerprint).toBe(replaced.fingerprint)
  })

  it('an invalid set is refused before anything is written', async () => {
    const dataset = makeSet('bad')
    dataset.train.labels[0] = 7
    expect((await errorOf(saveDataSet(dir, dataset, info))).code).toBe('DATASET_INVALID')
    expect(await listDataSets(dir)).toEqual([])
  })
})

describe('names and folders', () => {
  it.each([
    ['', 'a data set name cannot be empty'],
    ['   ', 'a data set name cannot be empty'],
    ['x'.repeat(101), 'a data set name has at most 100 characters (this one has 101)'],
    ['two\nlines', 'a data set name cannot contain control characters or line breaks'],
    ['tab\there', 'a data set name cannot contain control characters or line breaks'],
    ['../evil', 'the data set name "../evil" contains / or \\, which file paths use'],
    ['..\\evil', 'the data set name "..\\evil" contains / or \\, which file paths use'],
    ['a/b', 'the data set name "a/b" contains / or \\, which file paths use'],
    ['..', '".." is not a data set name'],
    ['.', '"." is not a data set name']
  ])('refuses %j', async (name, message) => {
    expect(() => checkDataSetName(name)).toThrow(message)
    const error = await errorOf(saveDataSet(dir, makeSet(name), info))
    expect(error.code).toBe('INVALID_CONFIG')
    expect(error.message).toBe(message)
    expect((await errorOf(loadDataSet(dir, name))).code).toBe('INVALID_CONFIG')
    expect((await errorOf(removeDataSet(dir, name))).code).toBe('INVALID_CONFIG')
    expect(await readdir(join(dir, '..'))).toEqual([]) // nothing written, inside or beside the library
  })

  it('accepts 100 characters, Japanese and punctuation; folders are safe and distinct', async () => {
    expect(checkDataSetName('x'.repeat(100))).toBe('x'.repeat(100))
    const names = ['ひらがな 500', 'Cats!', 'cats?', '..hidden', 'CON', 'Café au lait']
    for (const [i, name] of names.entries()) await saveDataSet(dir, makeSet(name, i + 1), info)
    const folders = await readdir(dir)
    expect(folders).toHaveLength(names.length)
    for (const folder of folders) expect(folder).toMatch(/^[a-z0-9][a-z0-9-]*-[0-9a-f]{8}$/)
    expect(slugFor('ひらがな 500')).toMatch(/^500-[0-9a-f]{8}$/)
    expect(slugFor('Café au lait')).toMatch(/^cafe-au-lait-[0-9a-f]{8}$/)
    expect(slugFor('Cats!')).not.toBe(slugFor('cats?'))
    expect(slugFor('..hidden')).toMatch(/^hidden-/)
    expect((await listDataSets(dir)).map((entry) => entry.meta?.name).sort()).toEqual([...names].sort())
  })

  it('a name whose folder is taken by another set gets the next free folder', async () => {
    await saveDataSet(dir, makeSet('A', 1), info)
    await renameDataSet(dir, 'A', 'B') // B keeps the folder A was given
    await saveDataSet(dir, makeSet('A', 2), info)
    expect((await readdir(dir)).sort()).toEqual([slugFor('A'), `${slugFor('A')}-2`])
    expect((await loadDataSet(dir, 'A')).meta.fingerprint).toBe(datasetFingerprint(makeSet('A', 2)))
    expect((await loadDataSet(dir, 'B')).meta.fingerprint).toBe(datasetFingerprint(makeSet('A', 1)))
  })
})

describe('rename and remove', () => {
  it('rename rewrites meta.json only; the old name is gone, the new one loads', async () => {
    await saveDataSet(dir, makeSet('Pets'), info)
    const folder = join(dir, slugFor('Pets'))
    const bytesBefore = await stat(join(folder, DATA_FILE))
    const renamed = await renameDataSet(dir, 'Pets', '  My pets ')
    expect(renamed.name).toBe('My pets')
    expect(await readdir(dir)).toEqual([slugFor('Pets')])
    expect((await stat(join(folder, DATA_FILE))).mtimeMs).toBe(bytesBefore.mtimeMs)
    expect(JSON.parse(await readFile(join(folder, META_FILE), 'utf8')).name).toBe('My pets')
    expect((await loadDataSet(dir, 'My pets')).dataset.name).toBe('My pets')
    expect((await errorOf(loadDataSet(dir, 'Pets'))).code).toBe('UNKNOWN_DATASET')
    expect(await renameDataSet(dir, 'My pets', 'My pets')).toEqual(renamed)
  })

  it('rename refuses a taken name, an unknown set and a bad name', async () => {
    await saveDataSet(dir, makeSet('one', 1), info)
    await saveDataSet(dir, makeSet('two', 2), info)
    expect((await errorOf(renameDataSet(dir, 'one', 'two'))).code).toBe('DATASET_EXISTS')
    const unknown = await errorOf(renameDataSet(dir, 'three', 'four'))
    expect(unknown.code).toBe('UNKNOWN_DATASET')
    expect(unknown.message).toBe(`the data library (${dir}) has no set named "three"`)
    expect((await errorOf(renameDataSet(dir, 'one', '../two'))).code).toBe('INVALID_CONFIG')
  })

  it('remove deletes the folder; an unknown name is refused', async () => {
    await saveDataSet(dir, makeSet('Pets'), info)
    await saveDataSet(dir, makeSet('Other', 2), info)
    await removeDataSet(dir, 'Pets')
    expect(await readdir(dir)).toEqual([slugFor('Other')])
    expect((await errorOf(removeDataSet(dir, 'Pets'))).code).toBe('UNKNOWN_DATASET')
  })
})

describe('a failed save leaves nothing behind', () => {
  it('a write failing mid-set (meta.json, after the bytes were written)', async () => {
    const failing = (async (path: any, ...rest: any[]) => {
      if (String(path).includes(META_FILE)) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
      return (open as any)(path, ...rest)
    }) as typeof open
    const error = await errorOf(saveDataSet(dir, makeSet('Pets'), info, { ops: { open: failing } }))
    expect(error.code).toBe('DATASET_WRITE_FAILED')
    expect(error.message).toBe(`could not save the data set "Pets" in ${dir}: ENOSPC: no space left on device; nothing of it was kept`)
    expect(await readdir(dir)).toEqual([])
  })

  it('the final rename failing; a replaced set is then kept as it was', async () => {
    await saveDataSet(dir, makeSet('Pets', 1), info)
    let failures = 0
    const failing = (async (from: any, to: any) => {
      // Once: moving the new set into place fails; moving the old one back succeeds.
      if (String(from).includes('.tmp-') && !String(from).includes('replaced') && String(to).endsWith(slugFor('Pets')) && failures++ === 0) {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })
      }
      return rename(from, to)
    }) as typeof rename
    const error = await errorOf(saveDataSet(dir, makeSet('Pets', 2), info, { overwrite: true, ops: { rename: failing } }))
    expect(error.code).toBe('DATASET_WRITE_FAILED')
    expect(failures).toBe(1)
    expect(await readdir(dir)).toEqual([slugFor('Pets')])
    expect((await loadDataSet(dir, 'Pets')).meta.fingerprint).toBe(datasetFingerprint(makeSet('Pets', 1)))

    const fresh = await errorOf(
      saveDataSet(dir, makeSet('New', 3), info, {
        ops: { rename: ((from: any, to: any) => (String(to).endsWith(slugFor('New')) ? Promise.reject(new Error('EIO')) : rename(from, to))) as typeof rename }
      })
    )
    expect(fresh.code).toBe('DATASET_WRITE_FAILED')
    expect(await readdir(dir)).toEqual([slugFor('Pets')])
  })
})

describe('damaged folders', () => {
  it('a corrupt or missing meta.json is listed with its problem, the other sets as usual', async () => {
    await saveDataSet(dir, makeSet('Good'), info)
    await mkdir(join(dir, 'broken'))
    await writeFile(join(dir, 'broken', META_FILE), '{ not json')
    await mkdir(join(dir, 'empty'))
    await mkdir(join(dir, 'partial'))
    await writeFile(join(dir, 'partial', META_FILE), JSON.stringify({ format: 'gradient-lab-dataset', version: 1, name: 'Partial' }))
    await mkdir(join(dir, 'future'))
    await writeFile(join(dir, 'future', META_FILE), JSON.stringify({ format: 'gradient-lab-dataset', version: 9 }))
    await mkdir(join(dir, '.tmp-leftover')) // a write that never finished: not a set
    await writeFile(join(dir, 'stray.txt'), 'not a folder')

    const list = await listDataSets(dir)
    expect(list[0].meta?.name).toBe('Good')
    expect(list.slice(1)).toEqual([
      { folder: 'broken', problem: 'meta.json is not valid JSON' },
      { folder: 'empty', problem: 'meta.json is missing' },
      { folder: 'future', problem: 'made by a newer Gradient Lab (format version 9; this one reads 1)' },
      { folder: 'partial', problem: expect.stringMatching(/^meta\.json: source: /) }
    ])
    expect((await errorOf(loadDataSet(dir, 'Partial'))).code).toBe('UNKNOWN_DATASET')

    // A damaged folder is removed by the folder name the listing gave; a set's folder name is not its name.
    await removeDataSet(dir, 'broken')
    expect((await errorOf(removeDataSet(dir, slugFor('Good')))).code).toBe('UNKNOWN_DATASET')
    expect((await listDataSets(dir)).map((entry) => entry.meta?.name ?? entry.folder)).toEqual(['Good', 'empty', 'future', 'partial'])
  })

  it('bytes that are corrupt, or disagree with meta.json, are refused on load', async () => {
    await saveDataSet(dir, makeSet('Pets', 1), info)
    const file = join(dir, slugFor('Pets'), DATA_FILE)
    const bytes = await readFile(file)
    bytes[bytes.length - 20] ^= 0xff // an image byte
    await writeFile(file, bytes)
    const corrupt = await errorOf(loadDataSet(dir, 'Pets'))
    expect(corrupt.code).toBe('DATASET_INVALID')
    expect(corrupt.message).toMatch(new RegExp(`^the data set "Pets" \\(${slugFor('Pets')}/dataset.safetensors\\): .*(fingerprint|label)`))

    await saveDataSet(dir, makeSet('Other', 2), info)
    await writeFile(file, await readFile(join(dir, slugFor('Other'), DATA_FILE)))
    const swapped = await errorOf(loadDataSet(dir, 'Pets'))
    expect(swapped.code).toBe('DATASET_INVALID')
    expect(swapped.message).toMatch(/its fingerprint is [0-9a-f]{16} but meta.json says [0-9a-f]{16}/)

    await rm(file)
    expect((await errorOf(loadDataSet(dir, 'Pets'))).message).toMatch(/^the data set "Pets" cannot be read: ENOENT/)
  })
})
