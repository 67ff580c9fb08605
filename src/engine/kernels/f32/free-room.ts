/** Free byte ranges among the resident arrays, kept sorted and merged with their neighbours. */
export class FreeRoom {
  private readonly ranges: { at: number; bytes: number }[] = []

  get freeBytes(): number {
    return this.ranges.reduce((sum, r) => sum + r.bytes, 0)
  }

  /** The start of `bytes` of free room (first fit), now taken; undefined when no range is large enough. */
  take(bytes: number): number | undefined {
    const index = this.ranges.findIndex((r) => r.bytes >= bytes)
    if (index < 0) return undefined
    const range = this.ranges[index]
    const at = range.at
    if (range.bytes === bytes) this.ranges.splice(index, 1)
    else this.ranges[index] = { at: at + bytes, bytes: range.bytes - bytes }
    return at
  }

  give(at: number, bytes: number): void {
    let index = this.ranges.findIndex((r) => r.at > at)
    if (index < 0) index = this.ranges.length
    this.ranges.splice(index, 0, { at, bytes })
    const next = this.ranges[index + 1]
    if (next && at + bytes === next.at) {
      this.ranges[index].bytes += next.bytes
      this.ranges.splice(index + 1, 1)
    }
    const previous = this.ranges[index - 1]
    if (previous && previous.at + previous.bytes === at) {
      previous.bytes += this.ranges[index].bytes
      this.ranges.splice(index, 1)
    }
  }

  /** Drops a free range that ends at `end`; returns where the used room now ends. */
  trimTop(end: number): number {
    const last = this.ranges[this.ranges.length - 1]
    if (!last || last.at + last.bytes !== end) return end
    this.ranges.pop()
    return last.at
  }
}
