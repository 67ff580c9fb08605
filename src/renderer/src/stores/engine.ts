import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import { PROTOCOL_VERSION, type DatasetInfo, type EngineEvent, type PresetSummary, type ThreadsInfo } from '@engine/protocol'
import type { FieldProblem } from '@engine/config/run-config'
import type { EngineConnection, HostKind } from '@renderer/engine-client/connect'
import { matchMnistFolder, readMnistFiles, type PickedFile } from '@renderer/lib/dataset-files'

/**
 * The engine connection as the UI sees it: is it there, what presets and dataset does it offer, and what
 * went wrong. Alerts keep a stable code plus either the engine's own message (English, written for the
 * user) or an i18n key with parameters for problems the renderer finds itself; the view translates.
 */

export type ConnectionState = 'connecting' | 'ready' | 'restarting' | 'crashed'

/** Engine error codes plus the few the renderer raises on its own. */
export type AlertCode = Extract<EngineEvent, { type: 'error' }>['code'] | 'RUN_FAILED' | 'ENGINE_UNAVAILABLE'

export interface Alert {
  id: number
  code: AlertCode
  /** A message from the engine or host, shown as it is. */
  message?: string
  /** Or a renderer message: an i18n key and its parameters. */
  key?: string
  params?: Record<string, string | number>
  problems?: FieldProblem[]
}

export type Notice = 'engineRestarted' | null

/** Older alerts beyond this are dropped: the list is for the current problem, not a log. */
const MAX_ALERTS = 5

const THREADS_KEY = 'gradient-lab.threads'

function loadThreadPreference(): number | null {
  try {
    const value = Number(localStorage.getItem(THREADS_KEY))
    return Number.isInteger(value) && value >= 1 && value <= 256 ? value : null
  } catch {
    return null // storage unavailable: all cores
  }
}

function saveThreadPreference(count: number): void {
  try {
    localStorage.setItem(THREADS_KEY, String(count))
  } catch {
    // not remembered; this session still uses it
  }
}

export const useEngineStore = defineStore('engine', () => {
  const connection = shallowRef<EngineConnection | null>(null)
  const host = ref<HostKind | null>(null)
  const state = ref<ConnectionState>('connecting')
  const presets = shallowRef<PresetSummary[]>([])
  const dataset = ref<DatasetInfo | null>(null)
  /** Which matrix kernels the engine runs ('wasm' unless something, e.g. a CSP, forbids WebAssembly). */
  const kernels = ref<'wasm' | 'ts' | null>(null)
  /** The engine's threads (what it uses, the most it has, whether it can use more than one). */
  const threads = ref<ThreadsInfo | null>(null)
  /** Name of the dataset being loaded, or null. */
  const datasetLoading = ref<string | null>(null)
  const alerts = ref<Alert[]>([])
  const notice = ref<Notice>(null)
  let nextAlertId = 1
  let pendingLoadRequest: string | null = null

  const ready = computed(() => state.value === 'ready')
  const client = computed(() => connection.value?.client ?? null)

  function report(alert: Omit<Alert, 'id'>): void {
    // The same problem reported twice (e.g. an engine `error` and the run's `runFinished`) shows once.
    const duplicate = alerts.value.some(
      (a) => a.code === alert.code && a.message === alert.message && a.key === alert.key && JSON.stringify(a.params) === JSON.stringify(alert.params)
    )
    if (duplicate) return
    alerts.value = [...alerts.value, { ...alert, id: nextAlertId++ }].slice(-MAX_ALERTS)
  }

  function dismissAlert(id: number): void {
    alerts.value = alerts.value.filter((a) => a.id !== id)
  }

  function dismissNotice(): void {
    notice.value = null
  }

  function onEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'ready':
        if (event.protocolVersion !== PROTOCOL_VERSION) {
          state.value = 'crashed'
          report({ code: 'PROTOCOL_MISMATCH', key: 'errors.protocolMismatch', params: { engine: event.protocolVersion, app: PROTOCOL_VERSION } })
          return
        }
        presets.value = event.presets
        dataset.value = event.dataset
        kernels.value = event.kernels ?? null
        threads.value = event.threads ?? null
        state.value = 'ready'
        applyThreadPreference()
        break
      case 'threads':
        threads.value = event.threads
        break
      case 'datasetLoading':
        datasetLoading.value = event.name
        break
      case 'datasetLoaded':
        dataset.value = event.dataset
        datasetLoading.value = null
        pendingLoadRequest = null
        break
      case 'error':
        // A failed import ends the loading state; the engine keeps the previous dataset active.
        if (datasetLoading.value !== null && ((pendingLoadRequest !== null && event.requestId === pendingLoadRequest) || event.code.startsWith('DATASET_'))) {
          datasetLoading.value = null
          pendingLoadRequest = null
        }
        // A visualization request's error is shown by the view that asked, not as an app-wide alert.
        if (client.value?.isInspectionRequest(event.requestId)) break
        report({ code: event.code, message: event.message, problems: event.problems })
        break
      default:
        break
    }
  }

  /** A new engine (first start or a restart) uses the thread count the student chose, if any. */
  function applyThreadPreference(): void {
    const wanted = loadThreadPreference()
    const info = threads.value
    if (wanted === null || !info?.available || wanted === info.wanted) return
    client.value?.setThreads(Math.min(wanted, info.max))
  }

  /** Keeps `count` threads for the engine (the rest of the cores stay free for the page), remembered. */
  function setThreads(count: number): void {
    saveThreadPreference(count)
    client.value?.setThreads(count)
  }

  /** Subscribes to a connection and starts it. Called once at startup (and by tests with a fake). */
  function attach(conn: EngineConnection): void {
    connection.value = markRaw(conn)
    host.value = conn.host
    conn.client.onAny(onEvent)
    conn.onStatus((status) => {
      switch (status.state) {
        case 'connected':
          state.value = 'connecting'
          if (status.restarted) notice.value = 'engineRestarted'
          break
        case 'crashed':
          state.value = 'crashed'
          // A run or import in flight died with the engine.
          datasetLoading.value = null
          report({ code: 'ENGINE_CRASHED', key: 'errors.engineCrashed', params: { reason: status.reason ?? '' } })
          break
        case 'restarting':
          state.value = 'restarting'
          break
        case 'gave-up':
          state.value = 'crashed'
          report({ code: 'ENGINE_UNAVAILABLE', key: 'errors.engineGaveUp', params: { reason: status.reason ?? '' } })
          break
      }
    })
    conn.start()
  }

  /** Browser host: the files of a folder picked with `<input webkitdirectory>`. */
  async function importFolderFiles(files: readonly PickedFile[]): Promise<void> {
    const conn = connection.value
    if (!conn || !ready.value) return
    const match = matchMnistFolder(files)
    if (!match.ok) {
      // Named before anything is sent, so the student knows which file to look for.
      report({ code: 'DATASET_MISSING_FILE', key: 'dataset.missingFiles', params: { files: match.missing.join(', ') } })
      return
    }
    datasetLoading.value = match.folder
    try {
      const buffers = await readMnistFiles(match.files)
      pendingLoadRequest = conn.client.loadDataset(match.folder, buffers)
    } catch (error) {
      datasetLoading.value = null
      report({ code: 'DATASET_INVALID', key: 'dataset.readFailed', params: { reason: error instanceof Error ? error.message : String(error) } })
    }
  }

  /** Electron host: the native dialog; the engine loads the folder and reports on the port. */
  async function importWithDialog(): Promise<void> {
    const choose = connection.value?.chooseDatasetDirectory
    if (!choose) return
    try {
      const choice = await choose()
      if (!choice.canceled) datasetLoading.value = choice.directory
    } catch (error) {
      report({ code: 'DATASET_INVALID', key: 'dataset.readFailed', params: { reason: error instanceof Error ? error.message : String(error) } })
    }
  }

  /** Electron host: a folder to import into the data library, or null when the dialog was cancelled. */
  async function chooseImportDirectory(): Promise<string | null> {
    const choose = connection.value?.chooseImportDirectory
    if (!choose) return null
    const choice = await choose()
    return choice.canceled ? null : choice.directory
  }

  return {
    host,
    kernels,
    threads,
    setThreads,
    state,
    ready,
    client,
    presets,
    dataset,
    datasetLoading,
    alerts,
    notice,
    attach,
    report,
    dismissAlert,
    dismissNotice,
    importFolderFiles,
    importWithDialog,
    chooseImportDirectory
  }
})
