import type { EngineEventOf, Evaluation } from '@engine/protocol'
import type { Decision, Trial, TrialRun, TrialRunner } from '@engine/sweep'
import type { EngineClient } from '@renderer/engine-client/engine-client'

/** What the page does with a trial's run as it goes: the run library keeps it like any other run. */
export interface TrialRunHooks {
  created(runId: string, trial: Trial): void
  started(event: EngineEventOf<'runStarted'>): void
  progress(event: EngineEventOf<'progress'>): void
  evaluation(runId: string, evaluation: Evaluation): void
  finished(event: EngineEventOf<'runFinished'>): void
  /** The trained network of a trial that ran to its end, as a model file (kept for the best trial's *Save as model*). */
  saved?(trial: Trial, bytes: Uint8Array): void
}

/** Ends of a run whose network is worth keeping: it ran to its end, or its own early stopping ended it. */
const KEEPABLE = new Set(['completed', 'early-stopped'])

/**
 * A sweep engine as the scheduler's TrialRunner: one trial at a time, as an ordinary run (`startRun`).
 * A halving decision to stop sends `stopRun`; the run ends 'stopped' a few iterations later.
 */
export class ClientTrialRunner implements TrialRunner {
  private current: string | null = null
  private failCurrent: ((error: Error) => void) | null = null

  constructor(
    private readonly client: EngineClient,
    private readonly hooks: TrialRunHooks,
    private readonly newId: () => string
  ) {}

  run(trial: Trial, onEvaluation: (evaluation: Evaluation) => Decision): Promise<TrialRun> {
    const runId = this.newId()
    const client = this.client
    return new Promise<TrialRun>((resolve, reject) => {
      let stopping = false
      let started = false
      const offs: Array<() => void> = []
      const end = (): void => {
        offs.forEach((off) => off())
        this.current = null
        this.failCurrent = null
      }
      this.failCurrent = (error) => {
        end()
        reject(error)
      }
      offs.push(
        client.on('runStarted', (event) => {
          if (event.runId !== runId) return
          started = true
          this.hooks.started(event)
        }),
        client.on('progress', (event) => {
          if (event.runId === runId) this.hooks.progress(event)
        }),
        client.on('evaluation', (event) => {
          if (event.runId !== runId) return
          this.hooks.evaluation(runId, event.evaluation)
          if (onEvaluation(event.evaluation) === 'stop' && !stopping) {
            stopping = true
            client.stopRun(runId)
          }
        }),
        client.on('runFinished', (event) => {
          if (event.runId !== runId) return
          this.hooks.finished(event)
          end()
          const run: TrialRun = {
            status: event.status,
            iter: event.iter,
            elapsedMs: event.elapsedMs,
            last: event.last,
            ...(event.message ? { message: event.message } : {})
          }
          if (stopping || !KEEPABLE.has(event.status) || !this.hooks.saved) return resolve(run)
          // The engine's last run is this trial until the next starts, which waits for this answer.
          client.answer(client.saveModel(true), 'modelSaved').then(
            (saved) => {
              this.hooks.saved?.(trial, saved.bytes instanceof Uint8Array ? saved.bytes : new Uint8Array(saved.bytes))
              resolve(run)
            },
            // Keeping the model is a convenience: the trial's result stands without it.
            () => resolve(run)
          )
        }),
        client.on('error', (event) => {
          // Before the run exists the engine may not echo its id (a refused start).
          if (event.runId !== runId && (started || event.runId !== undefined || event.requestId !== undefined)) return
          end()
          reject(new Error(`trial ${trial.trial}: ${event.message}`))
        })
      )
      this.current = runId
      this.hooks.created(runId, trial)
      client.startRun(runId, trial.config, trial.presetId ?? undefined)
    })
  }

  cancel(): void {
    if (this.current) this.client.stopRun(this.current)
  }

  /** The engine died: the trial under way fails (the scheduler then ends the sweep). */
  fail(reason: string): void {
    this.failCurrent?.(new Error(reason))
  }
}
