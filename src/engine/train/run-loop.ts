import { yieldToEventLoop } from '../core/yield'
import type { Evaluation, RunStatus } from '../protocol/messages'
import type { Trainer } from './trainer'
import type { EvaluationJob } from './evaluation-job'
import { explainDivergence } from './divergence'

/** Train this long before giving the event loop a turn: short enough for a snappy stop and pause. */
const SLICE_MS = 40
/**
 * Progress this often: a slice ends as soon as it is due, so the gap is this plus at most one step or
 * evaluated chunk, and the renderer (which draws at most every 80 ms) still gets ≥ 10 updates a second.
 */
const PROGRESS_MS = 80

export interface Progress {
  iter: number
  totalIters: number
  elapsedMs: number
  itersPerSec: number
  losses: { firstIter: number; values: (number | null)[] }
  /** While an evaluation runs: images evaluated so far, of how many. */
  evaluating?: { done: number; total: number }
}

export interface Finish {
  status: RunStatus
  iter: number
  elapsedMs: number
  last: Evaluation | null
  message?: string
  /** With early stopping: the best validation accuracy and its iteration. */
  best?: { iter: number; valAcc: number }
}

export interface RunListener {
  progress(progress: Progress): void
  evaluation(evaluation: Evaluation): void
  paused(iter: number): void
  resumed(iter: number): void
  finished(finish: Finish): void
}

/**
 * Drives a Trainer in time slices: progress and evaluations out, pause/resume/stop in. An evaluation
 * runs in slices too, a batch of images at a time, with its progress reported; training waits for it.
 * Elapsed time counts training and evaluating, not pauses.
 */
export class RunLoop {
  private state: 'idle' | 'running' | 'paused' | 'stopping' | 'done' = 'idle'
  private activeMs = 0
  private sliceStartedAt = 0
  private pendingLosses: number[] = []
  private pendingFirstIter = 1
  private lastProgressAt = 0
  private last: Evaluation | null = null
  /** The evaluation under way, of the iteration just trained. */
  private evaluating: { iter: number; loss: number; job: EvaluationJob } | null = null
  private wake: (() => void) | null = null
  private readonly startMs: number
  private readonly firstIter: number

  constructor(
    private readonly trainer: Trainer,
    private readonly listener: RunListener,
    private readonly now: () => number = () => performance.now(),
    /** A run resumed from a checkpoint continues its training time and knows its last evaluation. */
    resumed: { elapsedMs: number; last: Evaluation | null } = { elapsedMs: 0, last: null }
  ) {
    this.activeMs = resumed.elapsedMs
    this.startMs = resumed.elapsedMs
    this.firstIter = trainer.iterationsDone
    this.last = resumed.last
  }

  /** Training time so far (between slices: exact). */
  get elapsedMs(): number {
    return this.activeMs
  }

  get lastEvaluation(): Evaluation | null {
    return this.last
  }

  get isActive(): boolean {
    return this.state === 'running' || this.state === 'paused' || this.state === 'stopping'
  }

  get iter(): number {
    return this.trainer.iterationsDone
  }

  /** Runs to the end (or until stopped); resolves when `finished` has been reported. */
  async run(): Promise<void> {
    if (this.state !== 'idle') throw new Error('RunLoop.run called twice')
    this.state = 'running'
    this.lastProgressAt = this.now()
    try {
      while (!this.trainer.finished || this.evaluating) {
        // Read through a method: pause() and stop() change the state while this loop awaits.
        if (this.currentState() === 'paused') await new Promise<void>((resolve) => (this.wake = resolve))
        // A stop lets an evaluation under way end first: a run always stops at a whole iteration.
        if (this.currentState() === 'stopping' && !this.evaluating) return this.finish('stopped')
        const outcome = this.runSlice()
        if (outcome) return this.finish('diverged', outcome)
        await yieldToEventLoop()
      }
      const early = this.trainer.stoppedEarly
      this.finish(early ? 'early-stopped' : 'completed', early ?? undefined)
    } catch (error) {
      this.finish('failed', error instanceof Error ? error.message : String(error))
    }
  }

  private currentState(): typeof this.state {
    return this.state
  }

  pause(): void {
    if (this.state !== 'running') return
    this.state = 'paused'
    this.flushProgress()
    this.listener.paused(this.iter)
  }

  resume(): void {
    if (this.state !== 'paused') return
    this.state = 'running'
    this.listener.resumed(this.iter)
    this.wakeUp()
  }

  stop(): void {
    if (!this.isActive) return
    this.state = 'stopping'
    this.wakeUp()
  }

  /**
   * Finishes an evaluation under way at once, between slices: a save must see the run at a whole
   * iteration, its evaluation reported (a checkpoint resumed later never evaluates it).
   */
  completeEvaluation(): void {
    if (!this.evaluating) return
    const started = this.now()
    this.evaluating.job.finish()
    this.activeMs += this.now() - started
    this.reportEvaluation(this.activeMs)
  }

  /**
   * Trains (or evaluates) until the slice's time is up; returns a divergence message if the loss stopped
   * being finite.
   */
  private runSlice(): string | null {
    this.sliceStartedAt = this.now()
    const training = this.currentState() !== 'stopping'
    do {
      if (this.evaluating) {
        this.evaluating.job.advance()
        if (this.evaluating.job.finished) this.reportEvaluation(this.activeMs + (this.now() - this.sliceStartedAt))
      } else {
        const result = this.trainer.trainStep()
        if (this.pendingLosses.length === 0) this.pendingFirstIter = result.iter
        this.pendingLosses.push(result.loss)
        if (!Number.isFinite(result.loss)) {
          this.activeMs += this.now() - this.sliceStartedAt
          this.flushProgress()
          return explainDivergence(result.iter, result.loss, this.trainer.config)
        }
        if (result.evaluation) {
          this.evaluating = { iter: result.iter, loss: result.loss, job: result.evaluation }
          // The losses up to this iteration go out before its evaluation starts.
          this.flushProgress(this.activeMs + (this.now() - this.sliceStartedAt))
        }
      }
      const now = this.now()
      if (now - this.sliceStartedAt >= SLICE_MS || now - this.lastProgressAt >= PROGRESS_MS) break
    } while (this.evaluating || (training && !this.trainer.finished))
    this.activeMs += this.now() - this.sliceStartedAt
    if (this.now() - this.lastProgressAt >= PROGRESS_MS || (this.trainer.finished && !this.evaluating)) this.flushProgress()
    return null
  }

  private reportEvaluation(elapsedMs: number): void {
    const { iter, loss, job } = this.evaluating!
    this.evaluating = null
    this.last = { iter, loss, ...job.finish(), elapsedMs }
    this.listener.evaluation(this.last)
  }

  private flushProgress(elapsedMs = this.activeMs): void {
    if (this.pendingLosses.length === 0 && !this.evaluating) return
    const iter = this.iter
    const job = this.evaluating?.job
    this.listener.progress({
      iter,
      totalIters: this.trainer.config.iterations,
      elapsedMs,
      // Speed of this session of the run (a resumed run's earlier iterations took their own time).
      itersPerSec: elapsedMs > this.startMs ? ((iter - this.firstIter) / (elapsedMs - this.startMs)) * 1000 : 0,
      // No losses while an evaluation runs: then the next iteration is where they will start.
      losses: {
        firstIter: this.pendingLosses.length > 0 ? this.pendingFirstIter : iter + 1,
        values: this.pendingLosses.map((v) => (Number.isFinite(v) ? v : null))
      },
      ...(job ? { evaluating: { done: job.done, total: job.total } } : {})
    })
    this.pendingLosses = []
    this.lastProgressAt = this.now()
  }

  private finish(status: RunStatus, message?: string): void {
    this.state = 'done'
    this.flushProgress()
    const best = this.trainer.bestValidation
    this.listener.finished({ status, iter: this.iter, elapsedMs: this.activeMs, last: this.last, message, ...(best ? { best } : {}) })
  }

  private wakeUp(): void {
    const wake = this.wake
    this.wake = null
    wake?.()
  }
}
