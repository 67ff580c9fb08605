import { fork, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { EngineError } from '../../engine/protocol/error-codes'
import type { Trial, TrialRun, TrialRunner } from '../../engine/sweep'
import type { Decision } from '../../engine/sweep/asha'
import type { Evaluation } from '../../engine/protocol'
import { FromWorkerSchema, type FromWorker, type ToWorker } from './worker-messages'

const WORKER_ENTRY = resolve(import.meta.dirname, 'trial-worker.ts')

interface Pending {
  trial: number
  onEvaluation(evaluation: Evaluation): Decision
  resolve(run: TrialRun): void
  reject(error: unknown): void
}

/**
 * One `lab sweep` worker: a child process (the same Node and TypeScript loader as this one) holding its
 * own engine session. Runs one trial at a time for the sweep's scheduler.
 */
export class WorkerProcess implements TrialRunner {
  private pending: Pending | null = null
  private exited: string | null = null
  /** Models that could not be written, by trial (the run itself finished). */
  readonly saveProblems = new Map<number, string>()

  private constructor(
    private readonly child: ChildProcess,
    /** Where each trial's model goes when it completes; absent = not saved. */
    private readonly saveTo: ((trial: Trial) => string) | undefined
  ) {
    child.on('message', (raw) => this.receive(raw))
    child.on('exit', (code, signal) => {
      this.exited = `a sweep worker stopped (${signal ?? `exit ${code}`})`
      this.pending?.reject(new EngineError('ENGINE_CRASHED', this.exited))
      this.pending = null
    })
  }

  /** Starts a worker and loads the data in it; resolves with the data's image shape and class count. */
  static async start(options: {
    data?: string
    threads?: number
    saveTo?: (trial: Trial) => string
  }): Promise<{ worker: WorkerProcess; imageShape: number[]; classCount: number }> {
    const child = fork(WORKER_ENTRY, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
    const worker = new WorkerProcess(child, options.saveTo)
    const ready = await new Promise<Extract<FromWorker, { type: 'ready' }>>((resolvePromise, reject) => {
      const onMessage = (raw: unknown): void => {
        const message = FromWorkerSchema.safeParse(raw)
        if (!message.success) return
        if (message.data.type === 'ready') resolvePromise(message.data)
        else if (message.data.type === 'error') reject(new EngineError(message.data.code, message.data.message))
        else return
        child.off('message', onMessage)
      }
      child.on('message', onMessage)
      child.once('exit', (code) => reject(new EngineError('ENGINE_CRASHED', `a sweep worker stopped while loading the data (exit ${code})`)))
      worker.post({
        type: 'open',
        ...(options.data === undefined ? {} : { data: options.data }),
        ...(options.threads === undefined ? {} : { threads: options.threads })
      })
    })
    return { worker, imageShape: ready.imageShape, classCount: ready.classCount }
  }

  run(trial: Trial, onEvaluation: (evaluation: Evaluation) => Decision): Promise<TrialRun> {
    if (this.exited) return Promise.reject(new EngineError('ENGINE_CRASHED', this.exited))
    if (this.pending) return Promise.reject(new Error(`worker busy with trial ${this.pending.trial}`))
    return new Promise<TrialRun>((resolvePromise, reject) => {
      this.pending = { trial: trial.trial, onEvaluation, resolve: resolvePromise, reject }
      const saveTo = this.saveTo?.(trial)
      this.post({
        type: 'run',
        trial: trial.trial,
        config: trial.config,
        ...(trial.presetId ? { presetId: trial.presetId } : {}),
        ...(saveTo ? { saveTo } : {})
      })
    })
  }

  cancel(): void {
    if (this.pending) this.post({ type: 'stop', trial: this.pending.trial })
  }

  /** Lets the worker go: it exits when its channel closes. */
  close(): void {
    if (this.child.connected) this.child.disconnect()
  }

  private post(message: ToWorker): void {
    if (this.child.connected) this.child.send(message)
  }

  private receive(raw: unknown): void {
    const parsed = FromWorkerSchema.safeParse(raw)
    const pending = this.pending
    if (!parsed.success || !pending) return
    const message = parsed.data
    if (message.type === 'evaluation' && message.trial === pending.trial) {
      if (pending.onEvaluation(message.evaluation) === 'stop') this.post({ type: 'stop', trial: pending.trial })
    } else if (message.type === 'finished' && message.trial === pending.trial) {
      this.pending = null
      if (message.saveProblem) this.saveProblems.set(message.trial, message.saveProblem)
      pending.resolve({
        status: message.status,
        iter: message.iter,
        elapsedMs: message.elapsedMs,
        last: message.last,
        ...(message.message ? { message: message.message } : {})
      })
    } else if (message.type === 'error' && (message.trial === undefined || message.trial === pending.trial)) {
      this.pending = null
      pending.reject(new EngineError(message.code, message.trial === undefined ? message.message : `trial ${message.trial}: ${message.message}`))
    }
  }
}
