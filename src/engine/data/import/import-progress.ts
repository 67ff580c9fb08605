import { cancelled } from './import-errors'
import type { ImportOptions } from './import-types'

/** How often (in files or records) progress is reported and a cancel is noticed. */
export const PROGRESS_EVERY = 100

/**
 * One phase of an import: counts its steps, reports progress every PROGRESS_EVERY steps and at its end,
 * and throws as soon as it notices the signal was aborted.
 */
export class PhaseProgress {
  private done = 0

  constructor(
    private readonly name: string,
    private readonly options: ImportOptions,
    readonly phase: string,
    private readonly total: number
  ) {
    this.checkCancelled()
    this.report()
  }

  /** One step done. */
  step(): void {
    this.done++
    this.checkCancelled()
    if (this.done % PROGRESS_EVERY === 0 && this.done < this.total) this.report()
  }

  /** Reports the phase complete. */
  finish(): void {
    this.checkCancelled()
    this.done = this.total
    this.report()
  }

  checkCancelled(): void {
    if (this.options.signal?.aborted) throw cancelled(this.name)
  }

  private report(): void {
    this.options.onProgress?.({ phase: this.phase, done: this.done, total: this.total })
  }
}
