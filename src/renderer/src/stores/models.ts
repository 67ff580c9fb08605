import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { decodeModelFile, readModelSummary, type ModelSummary } from '@engine/model-file/model-file'
import type { EngineEventOf, Evaluation } from '@engine/protocol'
import type { EngineClient } from '../engine-client/engine-client'
import { createModelStorage, safeFileName, type ModelStorage, type StoredModel } from '../lib/models/model-storage'
import { pytorchProjectZip } from '../lib/models/pytorch-export'
import { useEngineStore } from './engine'
import { useCurrentRunStore } from './current-run'

/** A library entry: the stored model and what its file says (or why it cannot be read). */
export interface ModelEntry {
  id: string
  name: string
  addedAt: string
  size: number
  summary: ModelSummary | null
  /** A checkpoint's last evaluation (which test images its accuracy counted); null for a plain model. */
  lastEvaluation: Evaluation | null
  problem: string | null
}

export interface EvaluationState {
  modelId: string
  requestId: string | null
  done: number
  total: number
  result: EngineEventOf<'modelEvaluation'> | null
  error: string | null
}

export type SaveOutcome = { saved: true; id: string } | { saved: false; conflict: true }

const newModelId = (): string => `model-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

/**
 * The model library: saved models (safetensors files) with their summaries, and what can be done with
 * one: evaluate it on the loaded data, open it for the visual views, continue its training, export it
 * (safetensors as stored, or ONNX made by the engine), rename, delete. Saving over a name asks first.
 */
export const useModelsStore = defineStore('models', () => {
  const stored = shallowRef<StoredModel[]>([])
  const loading = ref(false)
  const error = ref<string | null>(null)
  const evaluation = ref<EvaluationState | null>(null)
  /** The model the engine has open (visual views and the draw view use it). */
  const openModelId = ref<string | null>(null)
  let storage: ModelStorage = createModelStorage()
  let client: EngineClient | null = null

  const entries = computed<ModelEntry[]>(() =>
    stored.value
      .map((m) => {
        try {
          const file = decodeModelFile(m.bytes)
          return {
            id: m.id,
            name: m.name,
            addedAt: m.addedAt,
            size: m.bytes.length,
            summary: file.summary,
            lastEvaluation: file.checkpoint?.lastEvaluation ?? null,
            problem: null
          }
        } catch (e) {
          return { id: m.id, name: m.name, addedAt: m.addedAt, size: m.bytes.length, summary: null, lastEvaluation: null, problem: (e as Error).message }
        }
      })
      .sort((a, b) => b.addedAt.localeCompare(a.addedAt))
  )

  function attach(engineClient: EngineClient, store?: ModelStorage): void {
    client = engineClient
    if (store) storage = store
    engineClient.on('modelEvaluationProgress', (event) => {
      const state = evaluation.value
      if (state && state.requestId === event.requestId) evaluation.value = { ...state, done: event.done, total: event.total }
    })
    // A new run replaces the engine's open model.
    engineClient.on('runStarted', () => (openModelId.value = null))
    void refresh()
  }

  async function refresh(): Promise<void> {
    loading.value = true
    try {
      stored.value = await storage.list()
      error.value = null
    } catch (e) {
      error.value = (e as Error).message
    } finally {
      loading.value = false
    }
  }

  function bytesOf(id: string): Uint8Array {
    const model = stored.value.find((m) => m.id === id)
    if (!model) throw new Error(`no model ${id} in the library`)
    return model.bytes
  }

  function engine(): EngineClient {
    if (!client) throw new Error('the engine is not connected')
    return client
  }

  /** Saves the active (paused) or last run as a checkpoint under `name`; a taken name needs `overwrite`. */
  async function saveRun(name: string, overwrite = false): Promise<SaveOutcome> {
    const clean = name.trim()
    if (!clean) throw new Error('a model needs a name')
    const existing = stored.value.find((m) => m.name === clean)
    if (existing && !overwrite) return { saved: false, conflict: true }
    const c = engine()
    const saved = await c.answer(c.saveModel(true), 'modelSaved')
    const bytes = saved.bytes instanceof Uint8Array ? saved.bytes : new Uint8Array(saved.bytes)
    const model: StoredModel = { id: existing?.id ?? newModelId(), name: clean, bytes, addedAt: new Date().toISOString() }
    await storage.put(model)
    await refresh()
    return { saved: true, id: model.id }
  }

  /** Adds files to the library after checking each is a model; a bad file is named and nothing is stored for it. */
  async function importFiles(files: { name: string; bytes: Uint8Array }[]): Promise<string[]> {
    const problems: string[] = []
    for (const file of files) {
      try {
        readModelSummary(file.bytes)
      } catch (e) {
        problems.push(`${file.name}: ${(e as Error).message}`)
        continue
      }
      const name = file.name.replace(/\.safetensors$/i, '') || 'imported model'
      await storage.put({ id: newModelId(), name, bytes: file.bytes, addedAt: new Date().toISOString() })
    }
    await refresh()
    return problems
  }

  async function rename(id: string, name: string): Promise<void> {
    const clean = name.trim()
    if (!clean) throw new Error('a model needs a name')
    const model = stored.value.find((m) => m.id === id)
    if (!model) return
    await storage.put({ ...model, name: clean })
    await refresh()
  }

  async function remove(id: string): Promise<void> {
    await storage.remove(id)
    if (openModelId.value === id) openModelId.value = null
    await refresh()
  }

  /** Opens a model in the engine: the visual views, evaluation, prediction and export then use it. */
  async function open(id: string): Promise<EngineEventOf<'modelLoaded'>> {
    const c = engine()
    const loaded = await c.answer(c.loadModel(bytesOf(id)), 'modelLoaded')
    openModelId.value = id
    return loaded
  }

  async function evaluate(id: string): Promise<void> {
    const state: EvaluationState = { modelId: id, requestId: null, done: 0, total: useEngineStore().dataset?.test.count ?? 0, result: null, error: null }
    evaluation.value = state
    try {
      await open(id)
      const c = engine()
      const requestId = c.evaluateModel()
      evaluation.value = { ...state, requestId }
      const result = await c.answer(requestId, 'modelEvaluation')
      if (evaluation.value?.requestId === requestId) evaluation.value = { ...evaluation.value, done: result.n, total: result.n, result }
    } catch (e) {
      if (evaluation.value?.modelId === id) evaluation.value = { ...evaluation.value, error: (e as Error).message }
    }
  }

  function cancelEvaluation(): void {
    const state = evaluation.value
    if (state?.requestId && !state.result) client?.cancelEvaluation(state.requestId)
    evaluation.value = null
  }

  /** Continues a checkpoint as a new run: to its own total, or as far again when it had reached it. */
  function continueTraining(id: string): boolean {
    const entry = entries.value.find((e) => e.id === id)
    const summary = entry?.summary
    if (!summary || summary.kind !== 'checkpoint') return false
    const total = summary.config.iterations > summary.iteration ? summary.config.iterations : summary.iteration + summary.config.iterations
    return useCurrentRunStore().startConfig({
      config: { ...summary.config, iterations: total },
      presetId: summary.presetId,
      custom: summary.presetId === null,
      resumeFrom: bytesOf(id)
    })
  }

  function exportSafetensors(id: string): void {
    const model = stored.value.find((m) => m.id === id)
    if (model) download(model.bytes, safeFileName(model.name, 'safetensors'), 'application/octet-stream')
  }

  async function exportOnnx(id: string): Promise<void> {
    const model = stored.value.find((m) => m.id === id)
    if (!model) return
    await open(id)
    const c = engine()
    const exported = await c.answer(c.exportOnnx(), 'modelExported')
    download(
      exported.bytes instanceof Uint8Array ? exported.bytes : new Uint8Array(exported.bytes),
      safeFileName(model.name, 'onnx'),
      'application/octet-stream'
    )
  }

  /** A library model as a PyTorch project (.zip) that continues its run (issue 20). */
  async function exportPytorch(id: string): Promise<void> {
    const model = stored.value.find((m) => m.id === id)
    if (!model) return
    const project = await pytorchProjectZip(model.name, model.bytes)
    download(project.bytes, project.fileName, 'application/zip')
  }

  /** The active (paused) or last run, as a checkpoint, straight into a PyTorch project (not kept in the library). */
  async function exportRunPytorch(name: string): Promise<void> {
    const c = engine()
    const saved = await c.answer(c.saveModel(true), 'modelSaved')
    const project = await pytorchProjectZip(name, saved.bytes instanceof Uint8Array ? saved.bytes : new Uint8Array(saved.bytes))
    download(project.bytes, project.fileName, 'application/zip')
  }

  return {
    entries,
    loading,
    error,
    evaluation,
    openModelId,
    attach,
    refresh,
    saveRun,
    importFiles,
    rename,
    remove,
    open,
    evaluate,
    cancelEvaluation,
    continueTraining,
    exportSafetensors,
    exportOnnx,
    exportPytorch,
    exportRunPytorch
  }
})

/** A file for the user: the desktop app's save dialog, or the browser's download. */
function download(bytes: Uint8Array, fileName: string, type: string): void {
  const bridge = globalThis.window?.gradientLab
  if (bridge?.host === 'electron' && bridge.models) {
    void bridge.models.saveModelFile(fileName, bytes)
    return
  }
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
