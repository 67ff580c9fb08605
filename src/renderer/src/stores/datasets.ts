import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { DatasetEntry, EngineEvent, ImportSettings } from '@engine/protocol'
import { EngineRequestError, type EngineClient } from '@renderer/engine-client/engine-client'
import { ImportRate } from '@renderer/lib/data/import-rate'
import { useEngineStore } from './engine'

/**
 * The data library as #/data and #/train see it: the engine's list of sets, the one loaded, and an import
 * in flight (progress, rate, cancel) or just ended (what it skipped). Errors of these requests are the
 * view's to show (`problem`), not app-wide alerts.
 */

/** A folder on the engine's machine (desktop) or the files a page picked (browser). */
export type ImportSource = { kind: 'directory'; path: string } | { kind: 'files'; files: Array<{ path: string; bytes: Uint8Array }> }

export interface ImportRequest {
  name: string
  settings: ImportSettings
  /** Made on each attempt: sent files are transferred to the engine, so a retry (replace) reads them again. */
  source: () => Promise<ImportSource>
}

export interface ImportRunning {
  requestId: string
  name: string
  phase: string
  done: number
  total: number
  /** Files (or records) per second in this phase; null until measurable. */
  rate: number | null
}

export type ImportOutcome =
  { kind: 'imported'; entry: DatasetEntry } | { kind: 'cancelled'; name: string } | { kind: 'failed'; name: string; code: string; message: string }

export interface Problem {
  code: string
  message: string
}

const problemOf = (error: unknown): Problem =>
  error instanceof EngineRequestError
    ? { code: error.code, message: error.message }
    : { code: 'ERROR', message: error instanceof Error ? error.message : String(error) }

export const useDatasetsStore = defineStore('datasets', () => {
  const engine = useEngineStore()
  const sets = shallowRef<DatasetEntry[]>([])
  const listed = ref(false)
  const importing = ref<ImportRunning | null>(null)
  const outcome = ref<ImportOutcome | null>(null)
  /** An import whose name is taken, waiting for the user to say whether to replace the stored set. */
  const replacing = shallowRef<ImportRequest | null>(null)
  /** The name of a set being loaded on request. */
  const using = ref<string | null>(null)
  const problem = ref<Problem | null>(null)

  /** The loaded set's name (the engine's `datasetLoaded` keeps it current, whoever asked). */
  const active = computed(() => engine.dataset?.name ?? null)

  function client(): EngineClient | null {
    return engine.ready ? engine.client : null
  }

  // Every `datasets` event (after an import, a rename, a removal, or our own request) is the new list.
  let listening: EngineClient | null = null
  watch(
    () => engine.client,
    (c) => {
      if (!c || c === listening) return
      listening = c
      c.on('datasets', (event) => {
        sets.value = event.sets
        listed.value = true
      })
    },
    { immediate: true }
  )
  // A new engine (first start, or after a crash) lists its library; an import in flight died with the old one.
  watch(
    () => engine.ready,
    (ready) => {
      if (!ready) return
      if (importing.value) {
        outcome.value = { kind: 'failed', name: importing.value.name, code: 'ENGINE_CRASHED', message: '' }
        importing.value = null
      }
      void refresh()
    },
    { immediate: true }
  )
  // The host loads the bundled set after the engine is ready, and any loaded set may be new to the list.
  watch(
    () => engine.dataset?.name,
    () => void refresh()
  )

  async function ask<T extends EngineEvent['type']>(send: (c: EngineClient) => string, answer: T): Promise<Extract<EngineEvent, { type: T }> | null> {
    const c = client()
    if (!c) return null
    problem.value = null
    try {
      return await c.answer(send(c), answer)
    } catch (error) {
      problem.value = problemOf(error)
      return null
    }
  }

  async function refresh(): Promise<void> {
    await ask((c) => c.listDatasets(), 'datasets')
  }

  async function use(name: string): Promise<boolean> {
    if (name === active.value) return true
    using.value = name
    try {
      return (await ask((c) => c.useDataset(name), 'datasetLoaded')) !== null
    } finally {
      using.value = null
    }
  }

  async function remove(name: string): Promise<boolean> {
    return (await ask((c) => c.removeDataset(name), 'datasets')) !== null
  }

  async function rename(from: string, to: string): Promise<boolean> {
    return (await ask((c) => c.renameDataset(from, to.trim()), 'datasets')) !== null
  }

  const nameTaken = (name: string): boolean => sets.value.some((s) => s.name === name.trim())

  /** Starts an import; a name already in the library first asks (see `replacing`). */
  async function startImport(request: ImportRequest, overwrite = false): Promise<void> {
    const c = client()
    if (!c || importing.value) return
    outcome.value = null
    problem.value = null
    if (!overwrite && nameTaken(request.name)) {
      replacing.value = request
      return
    }
    let source: ImportSource
    try {
      source = await request.source()
    } catch (error) {
      outcome.value = { kind: 'failed', name: request.name, ...problemOf(error) }
      return
    }
    const requestId = c.importDataset({ name: request.name, source, settings: request.settings, overwrite })
    importing.value = { requestId, name: request.name, phase: '', done: 0, total: 0, rate: null }
    const rate = new ImportRate()
    const offs: Array<() => void> = []
    const end = (result: ImportOutcome): void => {
      offs.forEach((off) => off())
      if (importing.value?.requestId === requestId) importing.value = null
      // The engine says the name is taken (listed after we looked): ask, as for a name we knew of.
      if (result.kind === 'failed' && result.code === 'DATASET_EXISTS' && !overwrite) replacing.value = request
      else outcome.value = result
    }
    offs.push(
      c.on('datasetImportProgress', (e) => {
        if (e.requestId !== requestId || !importing.value) return
        importing.value = { ...importing.value, phase: e.phase, done: e.done, total: e.total, rate: rate.update(e.phase, e.done) ?? importing.value.rate }
      }),
      c.on('datasetImported', (e) => e.requestId === requestId && end({ kind: 'imported', entry: e.entry })),
      c.on('datasetImportCancelled', (e) => e.requestId === requestId && end({ kind: 'cancelled', name: request.name })),
      c.on('error', (e) => e.requestId === requestId && end({ kind: 'failed', name: request.name, code: e.code, message: e.message }))
    )
  }

  function cancelImport(): void {
    if (importing.value) client()?.cancelImport(importing.value.requestId)
  }

  /** The user's answer to "replace the stored set?". */
  async function answerReplace(replace: boolean): Promise<void> {
    const request = replacing.value
    replacing.value = null
    if (replace && request) await startImport(request, true)
  }

  function dismissOutcome(): void {
    outcome.value = null
  }

  return {
    sets,
    listed,
    active,
    importing,
    outcome,
    replacing,
    using,
    problem,
    refresh,
    use,
    remove,
    rename,
    nameTaken,
    startImport,
    cancelImport,
    answerReplace,
    dismissOutcome
  }
})
