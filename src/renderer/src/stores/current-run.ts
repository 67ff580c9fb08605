import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { EngineEventOf, Evaluation, PresetSummary, RunStatus } from '@engine/protocol'
import { checkRunConfig, type FieldProblem, type RunConfig } from '@engine/config/run-config'
import type { EngineClient } from '@renderer/engine-client/engine-client'
import type { EngineConnection } from '@renderer/engine-client/connect'
import { decimateMinMax, type Point } from '@renderer/lib/loss-history'
import { generationLines } from '@renderer/lib/format'
import { useEngineStore } from './engine'
import { useRunLibraryStore } from './run-library'
import { uiUpdates } from '@renderer/lib/update-coalescer'

/**
 * The current training run, as the engine reports it. Only one run at a time (the engine refuses a second
 * with RUN_BUSY), so this holds one run's phase and progress; its settings and metric history live in its
 * entry in the runs store (which keeps every run and saves it), so this store only reads them from there.
 */

/** 'interrupted': the engine died under the run; its history stays, and it can resume from its recovery checkpoint. */
export type RunPhase = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | RunStatus | 'interrupted'

/** Points per chart line: enough for a smooth plot, few enough to redraw ten times a second. */
export const MAX_CHART_POINTS = 1000

const ACTIVE: readonly RunPhase[] = ['starting', 'running', 'paused', 'stopping']
/** At most this often a running run's recovery checkpoint is refreshed. */
export const RECOVERY_MS = 15_000

/** Errors that answer a `startRun` before the run exists (the engine may not echo the run id on them). */
const START_ERRORS = new Set(['INVALID_CONFIG', 'UNKNOWN_PRESET', 'NO_DATASET', 'RUN_BUSY', 'INVALID_MESSAGE'])

/** What a start needs: the settings, and where they came from (for the run's label and its record). */
export interface RunRequest {
  config: RunConfig
  /** The preset the settings came from, also for a custom run. */
  presetId: string | null
  /** Settings other than the seed differ from the preset's. */
  custom: boolean
  /** A checkpoint file to continue (from the model library): the run goes on from its iteration. */
  resumeFrom?: Uint8Array
}

export function newRunId(): string {
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID().slice(0, 8) : Math.random().toString(36).slice(2, 10)
  return `run-${Date.now().toString(36)}-${random}`
}

export const useCurrentRunStore = defineStore('current-run', () => {
  const runs = useRunLibraryStore()
  const runId = ref<string | null>(null)
  const presetId = ref<string | null>(null)
  const custom = ref(false)
  const config = ref<RunConfig | null>(null)
  const phase = ref<RunPhase>('idle')
  const iter = ref(0)
  const totalIters = ref(0)
  const elapsedMs = ref(0)
  const itersPerSec = ref(0)
  /** While the engine evaluates an iteration (training waits): images done, of how many; null otherwise. */
  const evaluating = ref<{ done: number; total: number } | null>(null)
  /** The engine's message when a run diverged or failed; an i18n key when the renderer ended it. */
  const finishMessage = ref<string | null>(null)
  const finishKey = ref<string | null>(null)
  /** Problems with the settings, by field, from the local check or the engine's INVALID_CONFIG. */
  const fieldProblems = ref<FieldProblem[]>([])
  let stopRequested = false
  let client: EngineClient | null = null
  /**
   * The active run's latest checkpoint, kept here (outside the engine) so a run survives the engine dying:
   * taken at an evaluation at most every RECOVERY_MS, and offered as "Resume from iteration N".
   */
  const recovery = shallowRef<{ runId: string; iter: number; bytes: Uint8Array } | null>(null)
  let recoveryAt = -Infinity
  let recoveryPending = false
  const canResumeFromRecovery = computed(() => phase.value === 'interrupted' && recovery.value !== null && recovery.value.runId === runId.value)

  const isActive = computed(() => ACTIVE.includes(phase.value))
  /** Everything a new run needs: the engine up, a dataset in, no run going. */
  const canStart = computed(() => {
    const engine = useEngineStore()
    return engine.ready && !!engine.dataset && engine.datasetLoading === null && !isActive.value
  })
  const evaluations = computed<Evaluation[]>(() => runs.evaluationsOf(runId.value))
  const lastEvaluation = computed<Evaluation | null>(() => evaluations.value.at(-1) ?? null)
  const generation = computed(() => {
    const e = lastEvaluation.value
    return e ? generationLines(e.iter, e.trainAcc, e.testAcc) : null
  })
  /** Losses at stored resolution (up to 20,000 points): what smoothing works on. */
  const rawLossPoints = computed<Point[]>(() => runs.lossPoints(runId.value))
  const lossPoints = computed<Point[]>(() => decimateMinMax(rawLossPoints.value, MAX_CHART_POINTS))
  const lossCount = computed(() => runs.lossCount(runId.value))
  const trainAccPoints = computed(() =>
    decimateMinMax(
      evaluations.value.map((e) => ({ x: e.iter, y: e.trainAcc })),
      MAX_CHART_POINTS
    )
  )
  const testAccPoints = computed(() =>
    decimateMinMax(
      evaluations.value.map((e) => ({ x: e.iter, y: e.testAcc })),
      MAX_CHART_POINTS
    )
  )
  const secondsLeft = computed(() => {
    if (phase.value !== 'running' || itersPerSec.value <= 0) return null
    return Math.max(0, totalIters.value - iter.value) / itersPerSec.value
  })
  const fraction = computed(() => (totalIters.value > 0 ? Math.min(1, iter.value / totalIters.value) : 0))

  function reset(id: string | null, preset: string | null, cfg: RunConfig | null, isCustom = false): void {
    runId.value = id
    presetId.value = preset
    custom.value = isCustom
    config.value = cfg
    iter.value = 0
    totalIters.value = cfg?.iterations ?? 0
    elapsedMs.value = 0
    itersPerSec.value = 0
    evaluating.value = null
    finishMessage.value = null
    finishKey.value = null
    fieldProblems.value = []
    stopRequested = false
    // Each run takes its first recovery checkpoint at its first evaluation.
    recoveryAt = -Infinity
  }

  function endRun(status: RunPhase, message: string | null, key: string | null = null): void {
    const id = runId.value
    const wasStarting = phase.value === 'starting'
    phase.value = status
    finishMessage.value = message
    finishKey.value = key
    itersPerSec.value = 0
    evaluating.value = null
    if (!id) return
    if (status === 'idle' && wasStarting) runs.discard(id)
    else if (status === 'completed' || status === 'stopped' || status === 'diverged' || status === 'failed' || status === 'interrupted') {
      runs.finish(id, { status, iter: iter.value, elapsedMs: elapsedMs.value, message, messageKey: key })
    }
  }

  // ---- events -----------------------------------------------------------------------------------

  function onReady(event: EngineEventOf<'ready'>): void {
    uiUpdates.flush()
    if (isActive.value && event.activeRunId !== runId.value) {
      // The engine restarted (or never heard of the run): the run is gone, keep what was drawn.
      endRun('interrupted', null, 'run.lostOnRestart')
    } else if (!isActive.value && event.activeRunId) {
      // A window reload while the engine keeps training: follow that run; progress fills in the totals.
      const entry = runs.follow(event.activeRunId)
      reset(event.activeRunId, entry.presetId, entry.config, entry.custom)
      phase.value = 'running'
    }
  }

  function onRunStarted(event: EngineEventOf<'runStarted'>): void {
    if (event.runId !== runId.value) return
    config.value = event.config
    presetId.value = presetId.value ?? event.presetId ?? null
    totalIters.value = event.config.iterations
    phase.value = 'running'
    runs.started(event.runId, { config: event.config, presetId: event.presetId, dataset: event.dataset })
    if (stopRequested) client?.stopRun(event.runId)
  }

  function onProgress(event: EngineEventOf<'progress'>): void {
    if (event.runId !== runId.value) return
    // The numbers change with the charts, at most ~12 times a second however often the engine reports.
    uiUpdates.schedule('run', () => {
      if (event.runId !== runId.value || !isActive.value) return
      iter.value = event.iter
      totalIters.value = event.totalIters
      elapsedMs.value = event.elapsedMs
      itersPerSec.value = phase.value === 'paused' ? 0 : event.itersPerSec
    })
    // A key of its own: the evaluation's end clears it without dropping a pending iteration count.
    uiUpdates.schedule('run-evaluating', () => {
      if (event.runId === runId.value) evaluating.value = event.evaluating ?? null
    })
    // An evaluation's progress brings no losses: only the progress line changes, the run's entry (and
    // every view that follows it) is left alone.
    if (event.evaluating && event.losses.values.length === 0) return
    runs.progress(event.runId, {
      iter: event.iter,
      totalIters: event.totalIters,
      elapsedMs: event.elapsedMs,
      firstIter: event.losses.firstIter,
      // A diverged run's last loss is not finite (null): the history keeps the finite ones before it.
      values: finitePrefix(event.losses.values)
    })
  }

  /** Asks the engine for a checkpoint of the running run, now and then (the answer arrives between slices). */
  function takeRecoveryCheckpoint(id: string, iter: number): void {
    if (!client || recoveryPending || performance.now() - recoveryAt < RECOVERY_MS) return
    recoveryPending = true
    recoveryAt = performance.now()
    const c = client
    c.answer(c.saveModel(true), 'modelSaved').then(
      (saved) => {
        recoveryPending = false
        if (saved.runId !== id || runId.value !== id) return
        const bytes = saved.bytes instanceof Uint8Array ? saved.bytes : new Uint8Array(saved.bytes)
        recovery.value = { runId: id, iter: saved.summary.iteration || iter, bytes }
      },
      () => (recoveryPending = false)
    )
  }

  function onEvaluation(event: EngineEventOf<'evaluation'>): void {
    if (event.runId === runId.value && phase.value === 'running') takeRecoveryCheckpoint(event.runId, event.evaluation.iter)
    if (event.runId !== runId.value) return
    uiUpdates.schedule('run-evaluating', () => (evaluating.value = null))
    runs.evaluation(event.runId, event.evaluation)
  }

  function onFinished(event: EngineEventOf<'runFinished'>): void {
    if (event.runId !== runId.value) return
    uiUpdates.flush()
    iter.value = event.iter
    elapsedMs.value = event.elapsedMs
    phase.value = event.status
    finishMessage.value = event.message ?? null
    finishKey.value = null
    itersPerSec.value = 0
    evaluating.value = null
    runs.finish(event.runId, { status: event.status, iter: event.iter, elapsedMs: event.elapsedMs, last: event.last, message: event.message ?? null })
    if (event.status === 'diverged' || event.status === 'failed') {
      useEngineStore().report({
        code: event.status === 'diverged' ? 'DIVERGED' : 'RUN_FAILED',
        message: event.message ?? undefined,
        key: event.message ? undefined : `run.statusMessage.${event.status}`
      })
    }
  }

  function onPaused(event: EngineEventOf<'runPaused'>): void {
    uiUpdates.flush()
    if (event.runId === runId.value && phase.value !== 'stopping') {
      phase.value = 'paused'
      itersPerSec.value = 0
      runs.setPaused(event.runId, true)
    }
  }

  function onResumed(event: EngineEventOf<'runResumed'>): void {
    if (event.runId === runId.value && phase.value !== 'stopping') {
      phase.value = 'running'
      runs.setPaused(event.runId, false)
    }
  }

  function onError(event: EngineEventOf<'error'>): void {
    uiUpdates.flush()
    const ours = event.runId !== undefined && event.runId === runId.value
    const answersStart = phase.value === 'starting' && event.runId === undefined && START_ERRORS.has(event.code)
    if (!ours && !answersStart) return
    if (event.problems) fieldProblems.value = event.problems
    // A start that was refused leaves nothing to show; a run that broke mid-way keeps its charts.
    if (phase.value === 'starting') endRun('idle', null)
    else if (isActive.value) endRun('failed', event.message)
  }

  // ---- commands ---------------------------------------------------------------------------------

  /** Subscribes to the engine's events, and to host status so a crash ends the run at once. */
  function attach(connection: Pick<EngineConnection, 'client' | 'onStatus'>): void {
    const engineClient = connection.client
    client = engineClient
    connection.onStatus((status) => {
      if ((status.state === 'crashed' || status.state === 'gave-up') && isActive.value) endRun('interrupted', null, 'run.lostOnCrash')
    })
    engineClient.on('ready', onReady)
    engineClient.on('runStarted', onRunStarted)
    engineClient.on('progress', onProgress)
    engineClient.on('evaluation', onEvaluation)
    engineClient.on('runFinished', onFinished)
    engineClient.on('error', onError)
    engineClient.on('runPaused', onPaused)
    engineClient.on('runResumed', onResumed)
  }

  /**
   * Starts a run with these settings. Returns false (and names the fields) when they do not pass the
   * check, or when a run cannot start now.
   */
  function startConfig(request: RunRequest): boolean {
    if (!client || isActive.value) return false
    const checked = checkRunConfig(request.config)
    if (!checked.ok) {
      fieldProblems.value = checked.problems
      return false
    }
    const id = newRunId()
    reset(id, request.presetId, checked.config, request.custom)
    runs.create({ id, presetId: request.presetId, custom: request.custom, config: checked.config })
    phase.value = 'starting'
    // The engine needs no preset id; it is sent for a preset's own settings so its events name the preset.
    const preset = request.custom ? undefined : (request.presetId ?? undefined)
    if (request.resumeFrom) client.continueFrom(id, checked.config, request.resumeFrom, preset)
    else client.startRun(id, checked.config, preset)
    return true
  }

  /** After the engine died under a run: a new run continuing from its last recovery checkpoint. */
  function resumeInterrupted(): boolean {
    const saved = recovery.value
    if (!saved || !canResumeFromRecovery.value || !config.value) return false
    return startConfig({ config: config.value, presetId: presetId.value, custom: custom.value, resumeFrom: saved.bytes })
  }

  /** Starts a preset with the student's seed (the preset's own settings otherwise). */
  function start(preset: PresetSummary, seed: number): boolean {
    return startConfig({ config: { ...preset.config, seed }, presetId: preset.id, custom: false })
  }

  function pause(): void {
    if (client && runId.value && phase.value === 'running') client.pauseRun(runId.value)
  }

  function resume(): void {
    if (client && runId.value && phase.value === 'paused') client.resumeRun(runId.value)
  }

  /** Works in every active phase; before `runStarted` the stop is sent as soon as the run exists. */
  function stop(): void {
    if (!client || !runId.value || !isActive.value) return
    if (phase.value === 'starting') {
      stopRequested = true
      return
    }
    phase.value = 'stopping'
    client.stopRun(runId.value)
  }

  return {
    runId,
    presetId,
    custom,
    config,
    phase,
    iter,
    totalIters,
    elapsedMs,
    itersPerSec,
    evaluating,
    finishMessage,
    finishKey,
    fieldProblems,
    evaluations,
    isActive,
    canStart,
    lastEvaluation,
    generation,
    rawLossPoints,
    lossPoints,
    lossCount,
    trainAccPoints,
    testAccPoints,
    secondsLeft,
    fraction,
    attach,
    start,
    startConfig,
    pause,
    resume,
    stop,
    recovery,
    canResumeFromRecovery,
    resumeInterrupted
  }
})

/** The losses up to the first one that is not finite. */
function finitePrefix(values: readonly (number | null)[]): number[] {
  const end = values.findIndex((v) => v === null)
  return (end < 0 ? values : values.slice(0, end)) as number[]
}
