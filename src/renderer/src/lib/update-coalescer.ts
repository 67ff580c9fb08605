/**
 * Coalesces UI updates. The engine reports progress every ~100 ms and, on top of that, at every
 * evaluation, so a fast run (an evaluation every 10 iterations at hundreds of iterations per second)
 * sends dozens of messages a second. Their data is stored as it comes; redrawing for each would keep
 * the renderer's main thread busy and make frames late. Updates scheduled here are applied together,
 * at most once per interval (80 ms: a little over 12 a second). With interval 0 (the default, and in
 * tests) they are applied at once.
 */
export class UpdateCoalescer {
  private readonly pending = new Map<string, () => void>()
  private timer: ReturnType<typeof setTimeout> | null = null
  private lastFlush = -Infinity
  private interval = 0

  constructor(private readonly now: () => number = () => performance.now()) {}

  setInterval(ms: number): void {
    this.interval = Math.max(0, ms)
    if (this.interval === 0) this.flush()
  }

  /** Runs `apply` now (interval 0) or with the next flush; a later call with the same key replaces it. */
  schedule(key: string, apply: () => void): void {
    if (this.interval === 0) {
      apply()
      return
    }
    this.pending.set(key, apply)
    if (this.timer !== null) return
    const wait = Math.max(0, this.lastFlush + this.interval - this.now())
    this.timer = setTimeout(() => this.flush(), wait)
  }

  /** Applies everything pending now (before a state change that must see the latest values). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    if (this.pending.size === 0) return
    this.lastFlush = this.now()
    const updates = [...this.pending.values()]
    this.pending.clear()
    for (const apply of updates) apply()
  }
}

/** The renderer's one coalescer, shared by the stores so numbers and charts change together. */
export const uiUpdates = new UpdateCoalescer()

/** What main.ts sets for the app (tests keep 0: every update applied at once). */
export const UI_UPDATE_INTERVAL_MS = 80
