import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { PROTOCOL_VERSION, type DatasetEntry } from '@engine/protocol'
import { useEngineStore } from '@renderer/stores/engine'
import { useDatasetsStore } from '@renderer/stores/datasets'
import { DATASET, fakeConnection } from '../fixtures'

const entry = (name: string, stored = true): DatasetEntry => ({
  name,
  source: stored ? 'folders' : 'bundled',
  stored,
  train: 50,
  test: 10,
  channels: 3,
  height: 12,
  width: 12,
  classes: ['a', 'b', 'c'],
  fingerprint: '0123456789abcdef',
  createdAt: stored ? '2026-12-06T12:00:00.000Z' : null,
  skipped: []
})

const flush = async () => {
  for (let i = 0; i < 5; i++) await nextTick()
}

async function setup() {
  const fake = fakeConnection()
  const engine = useEngineStore()
  engine.attach(fake.connection)
  const library = useDatasetsStore()
  fake.send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets: [], dataset: DATASET, activeRunId: null })
  await flush()
  const last = (type: string) =>
    fake.port
      .commands()
      .filter((c) => c.type === type)
      .at(-1) as { type: string; requestId: string; [k: string]: unknown }
  return { fake, engine, library, last }
}

const request = (name: string) => ({
  name,
  settings: { seed: 1 },
  source: async () => ({ kind: 'files' as const, files: [{ path: 'a/1.png', bytes: Uint8Array.from([1, 2, 3]) }] })
})

describe('data library store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('asks a ready engine for its sets and keeps the list of every `datasets` event', async () => {
    const { fake, library, last } = await setup()
    const list = last('listDatasets')
    expect(list).toBeDefined()
    fake.send({ type: 'datasets', requestId: list.requestId, sets: [entry(DATASET.name, false), entry('Leaves')], active: DATASET.name })
    await flush()
    expect(library.sets.map((s) => s.name)).toEqual([DATASET.name, 'Leaves'])
    expect(library.active).toBe(DATASET.name)
  })

  it('imports sent files with progress and a rate, then shows what it skipped', async () => {
    const { fake, library, last } = await setup()
    await library.startImport(request('Leaves'))
    const sent = last('importDataset')
    expect(sent).toMatchObject({ name: 'Leaves', overwrite: false, settings: { seed: 1 }, source: { kind: 'files' } })
    // The file's bytes are transferred, not copied.
    expect(fake.port.sent.at(-1)!.transfer).toHaveLength(1)

    fake.send({ type: 'datasetImportProgress', requestId: sent.requestId, phase: 'decoding', done: 0, total: 60 })
    fake.send({ type: 'datasetImportProgress', requestId: sent.requestId, phase: 'decoding', done: 30, total: 60 })
    await flush()
    expect(library.importing).toMatchObject({ name: 'Leaves', phase: 'decoding', done: 30, total: 60 })

    const imported = { ...entry('Leaves'), skipped: [{ file: 'a/notes.txt', reason: 'not an image' }] }
    fake.send({ type: 'datasetImported', requestId: sent.requestId, entry: imported })
    await flush()
    expect(library.importing).toBeNull()
    expect(library.outcome).toEqual({ kind: 'imported', entry: imported })
  })

  it('asks before replacing a set of the same name, then sends overwrite: true', async () => {
    const { fake, library, last } = await setup()
    fake.send({ type: 'datasets', sets: [entry('Leaves')], active: DATASET.name })
    await flush()
    await library.startImport(request('Leaves'))
    expect(library.replacing?.name).toBe('Leaves')
    expect(fake.port.commands().some((c) => c.type === 'importDataset')).toBe(false)

    await library.answerReplace(true)
    expect(last('importDataset')).toMatchObject({ name: 'Leaves', overwrite: true })
    expect(library.replacing).toBeNull()
  })

  it('asks too when the engine finds the name taken; other failures are the outcome, not app alerts', async () => {
    const { fake, library, engine, last } = await setup()
    await library.startImport(request('Leaves'))
    fake.send({ type: 'datasetImportProgress', requestId: last('importDataset').requestId, phase: 'listing', done: 1, total: 1 })
    fake.send({ type: 'error', requestId: last('importDataset').requestId, code: 'DATASET_EXISTS', message: 'taken' })
    await flush()
    expect(library.replacing?.name).toBe('Leaves')
    await library.answerReplace(false)

    await library.startImport(request('Other'))
    fake.send({ type: 'error', requestId: last('importDataset').requestId, code: 'DATASET_INVALID', message: 'fewer than 2 classes' })
    await flush()
    expect(library.outcome).toEqual({ kind: 'failed', name: 'Other', code: 'DATASET_INVALID', message: 'fewer than 2 classes' })
    expect(engine.alerts).toEqual([])
  })

  it('cancels the import it started', async () => {
    const { fake, library, last } = await setup()
    await library.startImport(request('Leaves'))
    const { requestId } = last('importDataset')
    library.cancelImport()
    expect(last('cancelImport')).toEqual({ type: 'cancelImport', requestId })
    fake.send({ type: 'datasetImportCancelled', requestId })
    await flush()
    expect(library.importing).toBeNull()
    expect(library.outcome).toEqual({ kind: 'cancelled', name: 'Leaves' })
  })

  it("shows the engine's reason when a removal is refused, and loads a set on use", async () => {
    const { fake, library, last } = await setup()
    const removing = library.remove(DATASET.name)
    fake.send({ type: 'error', requestId: last('removeDataset').requestId, code: 'INVALID_REQUEST', message: 'is the loaded set' })
    expect(await removing).toBe(false)
    expect(library.problem).toEqual({ code: 'INVALID_REQUEST', message: 'is the loaded set' })

    const using = library.use('Leaves')
    expect(library.using).toBe('Leaves')
    const info = { ...DATASET, name: 'Leaves', classes: ['a', 'b', 'c'], trainClassCounts: [17, 17, 16] }
    fake.send({ type: 'datasetLoaded', requestId: last('useDataset').requestId, dataset: info })
    expect(await using).toBe(true)
    expect(library.using).toBeNull()
    expect(library.active).toBe('Leaves')
    expect(library.problem).toBeNull()
  })
})
