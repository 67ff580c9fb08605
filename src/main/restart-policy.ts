/*
 * When to restart a crashed engine. Pure, so it is unit-tested without Electron.
 *
 * At most `maxRestarts` restarts within any `windowMs` (sliding); the delay doubles with each crash in the
 * window (250 ms, 500 ms, 1 s, 2 s, 4 s with the defaults). One crash more than that and the engine stays
 * down: something is wrong that restarting will not fix, and a crash loop would only burn the CPU.
 */

export interface RestartPolicyOptions {
  maxRestarts?: number
  windowMs?: number
  baseDelayMs?: number
  maxDelayMs?: number
}

export type RestartDecision =
  { action: 'restart'; attempt: number; maxRestarts: number; delayMs: number } | { action: 'give-up'; crashes: number; windowMs: number }

export class RestartPolicy {
  readonly maxRestarts: number
  readonly windowMs: number
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number
  private crashes: number[] = []

  constructor(options: RestartPolicyOptions = {}) {
    this.maxRestarts = options.maxRestarts ?? 5
    this.windowMs = options.windowMs ?? 60_000
    this.baseDelayMs = options.baseDelayMs ?? 250
    this.maxDelayMs = options.maxDelayMs ?? 8_000
  }

  /** Records a crash at `now` and decides what to do about it. */
  onCrash(now: number): RestartDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs)
    this.crashes.push(now)
    const attempt = this.crashes.length
    if (attempt > this.maxRestarts) return { action: 'give-up', crashes: attempt, windowMs: this.windowMs }
    const delayMs = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1))
    return { action: 'restart', attempt, maxRestarts: this.maxRestarts, delayMs }
  }

  reset(): void {
    this.crashes = []
  }
}
