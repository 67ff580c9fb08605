/**
 * A bounded, evenly thinned list of a run's items in arrival order (filter snapshots): up to `capacity`
 * are kept exactly; beyond that every 2nd, then every 4th, … is kept, the first one included, and the
 * latest always. The same scheme as the evaluation log, so the timeline spans the whole run.
 */
export class ThinnedLog<T> {
  private kept: { n: number; item: T }[] = []
  private latest: { n: number; item: T } | null = null
  private received = 0
  private stride = 1

  constructor(readonly capacity: number) {}

  static from<T>(items: readonly T[], capacity: number): ThinnedLog<T> {
    const log = new ThinnedLog<T>(capacity)
    for (const item of items) log.push(item)
    return log
  }

  get count(): number {
    return this.received
  }

  push(item: T): void {
    const n = this.received++
    this.latest = { n, item }
    if (n % this.stride !== 0) return
    this.kept.push({ n, item })
    while (this.kept.length > this.capacity) {
      this.stride *= 2
      this.kept = this.kept.filter((k) => k.n % this.stride === 0)
    }
  }

  items(): T[] {
    const out = this.kept.map((k) => k.item)
    if (this.latest && this.kept.at(-1)?.n !== this.latest.n) out.push(this.latest.item)
    return out
  }
}

/** Four significant digits: plenty for a picture, and a stored snapshot stays small. */
export function roundForStorage(values: readonly number[]): number[] {
  return values.map((v) => (v === 0 || !Number.isFinite(v) ? v : Number(v.toPrecision(4))))
}
