import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import { bestTrial, expandTrials, runCost, SweepScheduler, type SweepSpec, type Trial, type TrialResult } from '@engine/sweep'
import type { DatasetInfo } from '@engine/protocol'
import { browserEnginePool, electronEnginePool, type EnginePool } from '@renderer/engine-client/engine-pool'
import { ClientTrialRunner, type TrialRunHooks } from '@renderer/lib/sweeps/client-trial-runner'
import { prepareEngine } from '@renderer/lib/sweeps/prepare-engine'
import { loadSweep, saveSweep, type StoredSweep, type SweepKind } from '@renderer/lib/sweeps/sweep-storage'
import { newRunId } from './current-run'
import { useEngineStore } from './engine'
import { useRunLibraryStore } from './run-library'

/**
 * The sweep of this page: its definition, its trials, and their results. Trials run on a small pool of
 * extra engines (one per core by default), scheduled by the engine's own SweepScheduler (with halving
 * when asked), each trial an ordinary run in the run library. The definition and the finished trials are
 * saved after every trial, so a reload or a restart shows them and can run the rest.
 */
export type SweepPhase = 'idle' | 'preparing' | 'running' | 'cancelling' | 'finished' | 'interrupted' | 'failed'

/** A trial's run as it goes, for the progress list. */
export interface TrialLive {
  iter: number
  total: number
}

/** The most engines a sweep uses: the cores (the page itself also needs a little). */
export function maxWorkers(): number {
  return Math.max(1, globalThis.navigator?.hardwareConcurrency || 1)
}

export const useSweepsStore = defineStore('sweeps', () => {
  const engine = useEngineStore()
  const runs = useRunLibraryStore()
  const stored = loadSweep()
  const sweep = shallowRef<StoredSweep | null>(stored)
  const trials = shallowRef<Trial[]>(stored ? safeExpand(stored.spec) : [])
  const results = shallowRef<TrialResult[]>(stored?.results ?? [])
  const live = ref<Record<number, TrialLive>>({})
  const phase = ref<SweepPhase>(stored ? (stored.results.length < trials.value.length ? 'interrupted' : 'finished') : 'idle')
  const error = ref<string | null>(null)
  /** The best trial's trained network (this page only: a reload leaves its run, which can be re-run). */
  const bestModel = shallowRef<{ trial: number; bytes: Uint8Array } | null>(null)
  const pendingModels = new Map<number, Uint8Array>()
  let scheduler: SweepScheduler | null = null
  let pool: EnginePool | null = null
  let makePool: () => EnginePool = defaultPool
  /** Ends the wait for the engines when the sweep is cancelled before its trials start. */
  let abortPreparing: (() => void) | null = null

  const running = computed(() => phase.value === 'preparing' || phase.value === 'running' || phase.value === 'cancelling')
  const remaining = computed(() => trials.value.length - results.value.length)
  const canResume = computed(() => !running.value && !!sweep.value && remaining.value > 0 && !!engine.dataset && engine.ready)
  const best = computed(() => bestTrial(results.value))
  const fields = computed(() => (sweep.value ? Object.keys(sweep.value.spec.grid ?? sweep.value.spec.random?.space ?? {}) : []))

  function defaultPool(): EnginePool {
    const bridge = globalThis.window?.gradientLab
    return bridge?.host === 'electron' ? electronEnginePool(bridge) : browserEnginePool()
  }

  /** Tests give fake engines. */
  function usePool(factory: () => EnginePool): void {
    makePool = factory
  }

  /** Checks a sweep and runs it from the start; returns the problem's sentence when it is not a sweep. */
  async function start(spec: SweepSpec, options: { workers: number; kind?: SweepKind }): Promise<string | null> {
    if (running.value) return 'a sweep is running'
    const dataset = engine.dataset
    if (!dataset) return 'no data set is loaded'
    let expanded: Trial[]
    try {
      expanded = expandTrials(spec)
    } catch (problem) {
      return (problem as Error).message
    }
    sweep.value = {
      spec,
      kind: options.kind ?? 'custom',
      dataset: dataset.name,
      workers: clampWorkers(options.workers),
      results: [],
      runIds: {},
      createdAt: Date.now()
    }
    trials.value = expanded
    results.value = []
    bestModel.value = null
    saveSweep(sweep.value)
    await runSweep()
    return null
  }

  /** Runs the trials a reload or a cancel left. */
  async function resume(): Promise<void> {
    if (canResume.value) await runSweep()
  }

  async function runSweep(): Promise<void> {
    const current = sweep.value!
    const dataset = engine.dataset!
    error.value = null
    live.value = {}
    phase.value = 'preparing'
    const workers = Math.min(clampWorkers(current.workers), Math.max(1, remaining.value))
    pool = makePool()
    try {
      const aborted = new Promise<'aborted'>((resolve) => (abortPreparing = () => resolve('aborted')))
      const engines = await pool.open(workers)
      const prepared = await Promise.race([Promise.all(engines.map((e) => prepareEngine(e.client, current.dataset, { threads: 1 }))), aborted])
      abortPreparing = null
      if (prepared === 'aborted') {
        phase.value = 'interrupted'
        return
      }
      const runners = engines.map((e) => {
        const runner = new ClientTrialRunner(e.client, hooks(), newRunId)
        e.onFailure((reason) => runner.fail(reason))
        return runner
      })
      phase.value = 'running'
      scheduler = markRaw(
        new SweepScheduler({
          trials: trials.value,
          runners,
          halving: current.spec.halving ?? null,
          kept: results.value,
          cost: (trial) => costOf(trial, dataset),
          onTrialFinished: (result) => {
            results.value = [...results.value, result]
            const bytes = pendingModels.get(result.trial)
            pendingModels.delete(result.trial)
            if (bytes && bestTrial(results.value)?.trial === result.trial) bestModel.value = markRaw({ trial: result.trial, bytes })
            delete live.value[result.trial]
            save()
          }
        })
      )
      await scheduler.run()
      phase.value = remaining.value > 0 ? 'interrupted' : 'finished'
    } catch (failure) {
      error.value = failure instanceof Error ? failure.message : String(failure)
      phase.value = 'failed'
    } finally {
      abortPreparing = null
      scheduler = null
      pool?.close()
      pool = null
      live.value = {}
    }
  }

  /** The run library keeps every trial as a run; the live list follows its iterations. */
  function hooks(): TrialRunHooks {
    return {
      created(runId, trial) {
        runs.create({ id: runId, presetId: trial.presetId, custom: true, config: trial.config })
        sweep.value = { ...sweep.value!, runIds: { ...sweep.value!.runIds, [trial.trial]: runId } }
        live.value = { ...live.value, [trial.trial]: { iter: 0, total: trial.config.iterations } }
      },
      started(event) {
        runs.started(event.runId, { config: event.config, presetId: event.presetId, dataset: event.dataset })
      },
      progress(event) {
        const trial = trialOfRun(event.runId)
        if (trial !== null && live.value[trial]) live.value[trial] = { iter: event.iter, total: event.totalIters }
        const values: number[] = []
        for (const v of event.losses.values) {
          if (v === null) break
          values.push(v)
        }
        runs.progress(event.runId, { iter: event.iter, totalIters: event.totalIters, elapsedMs: event.elapsedMs, firstIter: event.losses.firstIter, values })
      },
      evaluation(runId, evaluation) {
        runs.evaluation(runId, evaluation)
      },
      finished(event) {
        runs.finish(event.runId, { status: event.status, iter: event.iter, elapsedMs: event.elapsedMs, last: event.last, message: event.message ?? null })
      },
      saved(trial, bytes) {
        pendingModels.set(trial.trial, bytes)
      }
    }
  }

  function trialOfRun(runId: string): number | null {
    const entry = Object.entries(sweep.value?.runIds ?? {}).find(([, id]) => id === runId)
    return entry ? Number(entry[0]) : null
  }

  function save(): void {
    if (!sweep.value) return
    sweep.value = { ...sweep.value, results: results.value }
    saveSweep(sweep.value)
  }

  /** Stops every trial under way; the finished ones stay, and Resume runs the rest. */
  function cancel(): void {
    if (!running.value) return
    phase.value = 'cancelling'
    if (scheduler) scheduler.cancel()
    else abortPreparing?.()
  }

  /** Forgets the sweep (its trials stay in the run library). */
  function clear(): void {
    if (running.value) return
    sweep.value = null
    trials.value = []
    results.value = []
    bestModel.value = null
    error.value = null
    phase.value = 'idle'
    saveSweep(null)
  }

  function runIdOf(trial: number): string | null {
    return sweep.value?.runIds[trial] ?? null
  }

  function trialOf(trial: number): Trial | null {
    return trials.value.find((t) => t.trial === trial) ?? null
  }

  return {
    sweep,
    trials,
    results,
    live,
    phase,
    error,
    bestModel,
    running,
    remaining,
    canResume,
    best,
    fields,
    usePool,
    start,
    resume,
    cancel,
    clear,
    runIdOf,
    trialOf
  }
})

function clampWorkers(n: number): number {
  return Math.max(1, Math.min(maxWorkers(), Math.floor(n) || 1))
}

function safeExpand(spec: SweepSpec): Trial[] {
  try {
    return expandTrials(spec)
  } catch {
    return []
  }
}

function costOf(trial: Trial, dataset: DatasetInfo): { params: number; macs: number } | null {
  const split = dataset.train
  return runCost(trial.config, [split.channels, split.rows, split.cols], dataset.classes.length)
}
