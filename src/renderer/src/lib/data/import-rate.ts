/** Files per second of an import's current phase, from its progress events (each phase restarts the clock). */
export class ImportRate {
  private phase: string | null = null
  private startedAt = 0
  private startDone = 0

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Takes a progress event; returns the phase's rate so far, or null until there is time to measure. */
  update(phase: string, done: number): number | null {
    const t = this.now()
    if (phase !== this.phase) {
      this.phase = phase
      this.startedAt = t
      this.startDone = done
      return null
    }
    const seconds = (t - this.startedAt) / 1000
    return seconds > 0 ? (done - this.startDone) / seconds : null
  }
}
