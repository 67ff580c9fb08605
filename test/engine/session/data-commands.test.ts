import { encode } from 'fast-png'
import { describe, expect, it } from 'vitest'
import type { DataLibrary } from '../../../src/engine/data/data-library'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { entryOf } from '../../../src/engine/hosts/node/node-data-library'
import { EngineError } from '../../../src/engine/protocol/error-codes'
import type { DatasetEntry } from '../../../src/engine/protocol'
import { connectSession } from './session-harness'
import { mnistFiles } from '../data/idx-fixtures'

/** A library in memory: what the Node and IndexedDB libraries do, without their storage. */
function memoryLibrary(): DataLibrary & { sets: Map<string, ImageDataset> } {
  const sets = new Map<string, ImageDataset>()
  const entries = new Map<string, DatasetEntry>()
  return {
    sets,
    async list() {
      return [...entries.values()]
    },
    async save(dataset, info, overwrite) {
      if (sets.has(dataset.name) && !overwrite) throw new EngineError('DATASET_EXISTS', `"${dataset.name}" exists`)
      sets.set(dataset.name, dataset)
      const entry = entryOf({
        format: 'gradient-lab-dataset',
        version: 1,
        name: dataset.name,
        source: info.source,
        train: dataset.train.count,
        test: dataset.test.count,
        channels: dataset.train.channels as 1 | 3,
        height: dataset.train.rows,
        width: dataset.train.cols,
        classes: dataset.classes,
        classCounts: { train: [], test: [] },
        fingerprint: '0123456789abcdef',
        createdAt: '2026-12-06T00:00:00.000Z',
        skipped: info.skipped
      })
      entries.set(dataset.name, entry)
      return entry
    },
    async load(name) {
      const set = sets.get(name)
      if (!set) throw new EngineError('UNKNOWN_DATASET', `no set "${name}"`)
      return set
    },
    async remove(name) {
      if (!sets.delete(name)) throw new EngineError('UNKNOWN_DATASET', `no set "${name}"`)
      entries.delete(name)
    },
    async rename(from, to) {
      const set = sets.get(from)!
      sets.delete(from)
      entries.delete(from)
      await this.save({ ...set, name: to }, { source: 'folders', skipped: [] }, false)
    }
  }
}

/** Two classes of 12×12 colour PNGs: "dark" images have value 10 + k, "light" 240 − k in every channel but one. */
function pngFiles(perClass = 12): { path: string; bytes: Uint8Array }[] {
  const files: { path: string; bytes: Uint8Array }[] = []
  for (const name of ['dark', 'light']) {
    for (let k = 0; k < perClass; k++) {
      const value = name === 'dark' ? 10 + k : 240 - k
      const data = new Uint8Array(12 * 12 * 3).map((_, i) => (i % 3 === 1 ? 128 : value))
      files.push({ path: `${name}/${k}.png`, bytes: encode({ width: 12, height: 12, data, channels: 3, depth: 8 }) })
    }
  }
  return files
}

/** A session on an in-memory library with the two-class "tones" set imported, a quarter of it held out for testing. */
async function sessionWithTones() {
  const connected = connectSession({ library: memoryLibrary() })
  await connected.request('datasetImported', {
    type: 'importDataset',
    requestId: 'i',
    name: 'tones',
    source: { kind: 'files', files: pngFiles() },
    settings: { testSplit: 0.25 }
  })
  return connected
}

describe('the data library through the session', () => {
  it('imports sent files with progress, stores and loads the set, and lists it beside the bundled set', async () => {
    const library = memoryLibrary()
    const { session, request, events } = connectSession({ library })
    await session.loadDataset('bundled', mnistFiles(12, 5))
    const imported = await request('datasetImported', {
      type: 'importDataset',
      requestId: 'i1',
      name: 'tones',
      source: { kind: 'files', files: pngFiles() },
      settings: { testSplit: 0.25, seed: 2 }
    })
    expect(imported.entry).toMatchObject({ name: 'tones', train: 18, test: 6, channels: 3, height: 12, width: 12, classes: ['dark', 'light'], stored: true })
    expect(events.some((e) => e.type === 'datasetImportProgress' && e.requestId === 'i1')).toBe(true)
    const loaded = events.find((e) => e.type === 'datasetLoaded' && e.requestId === 'i1')
    expect(loaded).toMatchObject({ dataset: { name: 'tones', classes: ['dark', 'light'], train: { count: 18, channels: 3, rows: 12, cols: 12 } } })
    const listed = await request('datasets', { type: 'listDatasets', requestId: 'l1' })
    expect(listed.sets.map((s) => [s.name, s.source, s.stored])).toEqual([
      ['bundled', 'bundled', false],
      ['tones', 'folders', true]
    ])
    expect(listed.active).toBe('tones')
    // The bundled set comes back by name; a taken name is refused with its own code.
    expect((await request('datasetLoaded', { type: 'useDataset', requestId: 'u1', name: 'bundled' })).dataset.name).toBe('bundled')
    const taken = await request('error', { type: 'importDataset', requestId: 'i2', name: 'tones', source: { kind: 'files', files: pngFiles() } })
    expect(taken.code).toBe('DATASET_EXISTS')
    expect((await request('datasetLoaded', { type: 'useDataset', requestId: 'u2', name: 'tones' })).dataset.train.channels).toBe(3)
  })

  it('serves a gallery page per class, in colour, augmented on request with a seed', async () => {
    const { request } = await sessionWithTones()
    const light = await request('datasetSamples', { type: 'getDatasetSamples', requestId: 's1', split: 'train', label: 1, start: 2, count: 4 })
    expect(light.total).toBe(9)
    expect(light.labels).toEqual([1, 1, 1, 1])
    expect(light.pixels.byteLength).toBe(4 * 3 * 12 * 12)
    const pixels = light.pixels instanceof Uint8Array ? light.pixels : new Uint8Array(light.pixels)
    // Channel-first: the green plane (the second 144 bytes) is the 128 the files hold.
    expect(Array.from(pixels.subarray(144, 288))).toEqual(new Array(144).fill(128))
    expect(pixels[0]).toBeGreaterThan(200)
    const all = await request('datasetSamples', { type: 'getDatasetSamples', requestId: 's2', split: 'test', count: 100 })
    expect(all.indices).toEqual([0, 1, 2, 3, 4, 5])
    const augment = { shift: 3, flip: true, noise: 0.1 }
    const a = await request('datasetSamples', { type: 'getDatasetSamples', requestId: 's3', split: 'train', count: 3, augment, seed: 5 })
    const b = await request('datasetSamples', { type: 'getDatasetSamples', requestId: 's4', split: 'train', count: 3, augment, seed: 5 })
    const plain = await request('datasetSamples', { type: 'getDatasetSamples', requestId: 's5', split: 'train', count: 3 })
    expect(Buffer.from(a.pixels as Uint8Array).equals(Buffer.from(b.pixels as Uint8Array))).toBe(true)
    expect(Buffer.from(a.pixels as Uint8Array).equals(Buffer.from(plain.pixels as Uint8Array))).toBe(false)
    expect((await request('error', { type: 'getDatasetSamples', requestId: 's6', split: 'train', label: 7, count: 3 })).message).toMatch(
      /class 7 does not exist: "tones" has 2 classes/
    )
  })

  it('renames and removes stored sets, but not the loaded one or the bundled one', async () => {
    const library = memoryLibrary()
    const { session, request } = connectSession({ library })
    await session.loadDataset('bundled', mnistFiles(12, 5))
    await request('datasetImported', { type: 'importDataset', requestId: 'i', name: 'tones', source: { kind: 'files', files: pngFiles() } })
    expect((await request('error', { type: 'removeDataset', requestId: 'r1', name: 'tones' })).message).toMatch(/"tones" is the loaded set/)
    await request('datasetLoaded', { type: 'useDataset', requestId: 'u', name: 'bundled' })
    expect((await request('error', { type: 'removeDataset', requestId: 'r2', name: 'bundled' })).message).toMatch(/"bundled" is the loaded set/)
    const renamed = await request('datasets', { type: 'renameDataset', requestId: 'n', from: 'tones', to: 'shades' })
    expect(renamed.sets.map((s) => s.name)).toEqual(['bundled', 'shades'])
    const removed = await request('datasets', { type: 'removeDataset', requestId: 'r3', name: 'shades' })
    expect(removed.sets.map((s) => s.name)).toEqual(['bundled'])
    expect((await request('error', { type: 'useDataset', requestId: 'u2', name: 'shades' })).code).toBe('UNKNOWN_DATASET')
  })

  it('cancels an import: nothing is stored and the loaded set stays', async () => {
    const library = memoryLibrary()
    const { session, client, next, events } = connectSession({ library })
    await session.loadDataset('bundled', mnistFiles(12, 5))
    client.postMessage({ type: 'importDataset', requestId: 'big', name: 'many', source: { kind: 'files', files: pngFiles(400) } })
    await next('datasetImportProgress', (e) => e.requestId === 'big')
    client.postMessage({ type: 'cancelImport', requestId: 'big' })
    await next('datasetImportCancelled', (e) => e.requestId === 'big')
    expect(library.sets.size).toBe(0)
    expect(events.some((e) => e.type === 'datasetImported')).toBe(false)
    expect(events.filter((e) => e.type === 'datasetLoaded').map((e) => (e as { dataset: { name: string } }).dataset.name)).toEqual(['bundled'])
  })
})

describe('an image file classified by the model', () => {
  it('is converted as an import would store it, then classified; a non-image is one clear error', async () => {
    const { request, next } = await sessionWithTones()
    const config = {
      network: { kind: 'layers', init: 'he', layers: [{ kind: 'conv2d', filters: 4, size: 3 }, { kind: 'relu' }, { kind: 'affine', units: 10 }] },
      optimizer: { kind: 'adam', lr: 0.01 },
      batchSize: 6,
      iterations: 30,
      evalInterval: 30,
      seed: 1,
      trainAccuracy: 'batch-before-update'
    }
    request('runStarted', { type: 'startRun', runId: 'r', config })
    const finished = await next('runFinished', (e) => e.runId === 'r')
    expect(finished.last?.testAcc).toBe(1)
    // A 24×24 RGBA file of the "light" kind: alpha composited over white, resized to the model's 12×12.
    const rgba = new Uint8Array(24 * 24 * 4).map((_, i) => (i % 4 === 3 ? 255 : i % 4 === 1 ? 128 : 236))
    const file = encode({ width: 24, height: 24, data: rgba, channels: 4, depth: 8 })
    const prediction = await request('imagePrediction', { type: 'classifyImage', requestId: 'c', bytes: file })
    expect([prediction.channels, prediction.rows, prediction.cols]).toEqual([3, 12, 12])
    expect(Array.from(prediction.pixels as Uint8Array).slice(0, 3)).toEqual([236, 236, 236])
    expect(prediction.scores).toHaveLength(2)
    expect(prediction.probabilities[1]).toBeGreaterThan(0.9)
    const bad = await request('error', { type: 'classifyImage', requestId: 'd', bytes: new TextEncoder().encode('hello') })
    expect(bad.code).toBe('INVALID_REQUEST')
    expect(bad.message).toMatch(/^the file is not an image the lab reads/)
  })
})
