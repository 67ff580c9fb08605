import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import type { EngineEventOf, Evaluation, PresetSummary, RunStatus } from '@engine/protocol'
import { checkRunConfig, type FieldProblem, type RunConfig } from '@engine/config/run-config'
import type { EngineClient } from '@renderer/engine/engine-client'
import type { EngineConnection } from '@renderer/engine/connect'
import { LossHistory, decimateMinMax, type Point } from '@renderer/lib/loss-history'
import { generationLines } from '@renderer/lib/format'
import { useEngineStore } from './engine'

/**
 * The current training run, as the engine reports it. Only one run at a time (the engine refuses a second
 * with RUN_BUSY), so this holds one run's settings, progress, losses and evaluations.
 */

export type RunPhase = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | RunStatus

/** Points per chart line: enough for a smooth plot, few enough to redraw ten times a second. */
export const MAX_CHART_POINTS = 1000

const ACTIVE: readonly RunPhase[] = ['starting', 'running', 'paused', 'stopping']

/** Errors that answer a `startRun` before the run exists (the engine may not echo the run id on them). */
const START_ERRORS = new Set(['INVALID_CONFIG', 'UNKNOWN_PRESET', 'NO_DATASET', 'RUN_BUSY', 'INVALID_MESSAGE'])

function newRunId(): string {
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID().slice(0, 8) : Math.random().toString(36).slice(2, 10)
  return `run-${Date.now().toString(36)}-${random}`
}

export const useRunStore = defineStore('run', () => {
  const runId = ref<string | null>(null)
  const presetId = ref<string | null>(null)
  const config = ref<RunConfig | null>(null)
  const phase = ref<RunPhase>('idle')
  const iter = ref(0)
  const totalIters = ref(0)
  const elapsedMs = ref(0)
  const itersPerSec = ref(0)
  /** The engine's message when a run diverged or failed; an i18n key when the renderer ended it. */
  const finishMessage = ref<string | null>(null)
  const finishKey = ref<string | null>(null)
  /** Problems with the settings, by field, from the local check or the engine's INVALID_CONFIG. */
  const fieldProblems = ref<FieldProblem[]>([])

  // Large, append-only data lives outside Vue's deep reactivity; a version counter says when it changed.
  const history = shallowRef<LossHistory | null>(null)
  const evaluations = shallowRef<Evaluation[]>([])
  const lossVersion = ref(0)
  let stopRequested = false
  let client: EngineClient | null = null

  const isActive = computed(() => ACTIVE.includes(phase.value))
  const lastEvaluation = computed<Evaluation | null>(() => evaluations.value.at(-1) ?? null)
  const generation = computed(() => {
    const e = lastEvaluation.value
    return e ? generationLines(e.iter, e.trainAcc, e.testAcc) : null
  })
  const lossPoints = computed<Point[]>(() => {
    void lossVersion.value
    return history.value ? decimateMinMax(history.value.points(), MAX_CHART_POINTS) : []
  })
  const lossCount = computed(() => {
    void lossVersion.value
    return history.value?.recorded ?? 0
  })
  const trainAccPoints = computed(() => decimateMinMax(evaluations.value.map((e) => ({ x: e.iter, y: e.trainAcc })), MAX_CHART_POINTS))
  const testAccPoints = computed(() => decimateMinMax(evaluations.value.map((e) => ({ x: e.iter, y: e.testAcc })), MAX_CHART_POINTS))
  const secondsLeft = computed(() => {
    if (phase.value !== 'running' || itersPerSec.value <= 0) return null
    return Math.max(0, totalIters.value - iter.value) / itersPerSec.value
  })
  const fraction = computed(() => (totalIters.value > 0 ? Math.min(1, iter.value / totalIters.value) : 0))

  function reset(id: string | null, preset: string | null, cfg: RunConfig | null): void {
    runId.value = id
    presetId.value = preset
    config.value = cfg
    iter.value = 0
    totalIters.value = cfg?.iterations ?? 0
    elapsedMs.value = 0
    itersPerSec.value = 0
    finishMessage.value = null
    finishKey.value = null
    fieldProblems.value = []
    history.value = cfg ? new LossHistory(cfg.iterations) : null
    evaluations.value = []
    lossVersion.value++
    stopRequested = false
  }

  function endRun(status: RunPhase, message: string | null, key: string | null = null): void {
    phase.value = status
    finishMessage.value = message
    finishKey.value = key
    itersPerSec.value = 0
  }

  // ---- events -----------------------------------------------------------------------------------

  function onReady(event: EngineEventOf<'ready'>): void {
    if (isActive.value && event.activeRunId !== runId.value) {
      // The engine restarted (or never heard of the run): the run is gone, keep what was drawn.
      endRun('failed', null, 'run.lostOnRestart')
    } else if (!isActive.value && event.activeRunId) {
      // A window reload while the engine keeps training: follow that run; progress fills in the totals.
      reset(event.activeRunId, null, null)
      phase.value = 'running'
    }
  }

  function onRunStarted(event: EngineEventOf<'runStarted'>): void {
    if (event.runId !== runId.value) return
    config.value = event.config
    presetId.value = event.presetId ?? presetId.value
    totalIters.value = event.config.iterations
    if (!history.value) history.value = new LossHistory(event.config.iterations)
    phase.value = 'running'
    if (stopRequested) client?.stopRun(event.runId)
  }

  function onProgress(event: EngineEventOf<'progress'>): void {
    if (event.runId !== runId.value) return
    iter.value = event.iter
    totalIters.value = event.totalIters
    elapsedMs.value = event.elapsedMs
    itersPerSec.value = event.itersPerSec
    if (!history.value) history.value = new LossHistory(event.totalIters)
    if (event.losses.values.length > 0) {
      history.value.push(event.losses.firstIter, event.losses.values)
      lossVersion.value++
    }
  }

  function onEvaluation(event: EngineEventOf<'evaluation'>): void {
    if (event.runId !== runId.value) return
    evaluations.value.push(event.evaluation)
    triggerRef(evaluations)
  }

  function onFinished(event: EngineEventOf<'runFinished'>): void {
    if (event.runId !== runId.value) return
    iter.value = event.iter
    elapsedMs.value = event.elapsedMs
    // The final evaluation may not have arrived as its own event (e.g. a run stopped between two).
    if (event.last && lastEvaluation.value?.iter !== event.last.iter) {
      evaluations.value.push(event.last)
      triggerRef(evaluations)
    }
    endRun(event.status, event.message ?? null)
    if (event.status === 'diverged' || event.status === 'failed') {
      useEngineStore().report({
        code: event.status === 'diverged' ? 'DIVERGED' : 'RUN_FAILED',
        message: event.message ?? undefined,
        key: event.message ? undefined : `run.statusMessage.${event.status}`
      })
    }
  }

  function onPaused(event: EngineEventOf<'runPaused'>): void {
    if (event.runId === runId.value && phase.value !== 'stopping') phase.value = 'paused'
  }

  function onResumed(event: EngineEventOf<'runResumed'>): void {
    if (event.runId === runId.value && phase.value !== 'stopping') phase.value = 'running'
  }

  function onError(event: EngineEventOf<'error'>): void {
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
      if ((status.state === 'crashed' || status.state === 'gave-up') && isActive.value) endRun('failed', null, 'run.lostOnCrash')
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

  /** Starts a preset with the student's seed. Returns false when the settings did not pass the check. */
  function start(preset: PresetSummary, seed: number): boolean {
    if (!client || isActive.value) return false
    const checked = checkRunConfig({ ...preset.config, seed })
    if (!checked.ok) {
      fieldProblems.value = checked.problems
      return false
    }
    const id = newRunId()
    reset(id, preset.id, checked.config)
    phase.value = 'starting'
    client.startRun(id, checked.config, preset.id)
    return true
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
    config,
    phase,
    iter,
    totalIters,
    elapsedMs,
    itersPerSec,
    finishMessage,
    finishKey,
    fieldProblems,
    evaluations,
    isActive,
    lastEvaluation,
    generation,
    lossPoints,
    lossCount,
    trainAccPoints,
    testAccPoints,
    secondsLeft,
    fraction,
    attach,
    start,
    pause,
    resume,
    stop
  }
})
