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
}

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
          resolve({ status: event.status, iter: event.iter, elapsedMs: event.elapsedMs, last: event.last, ...(event.message ? { message: event.message } : {}) })
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
