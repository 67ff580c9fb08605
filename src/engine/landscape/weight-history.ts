import { allocateFloats, precisionOf, type FloatArray } from '../core/dtype'
import type { Param } from '../layers/layer'

/**
 * Copies of all of a network's parameters at chosen iterations of its run (the start and evaluations), for
 * the plane of the training path. Kept evenly spaced in bounded memory like the evaluation log: past
 * `capacity` it keeps every 2nd, then every 4th, … snapshot, and always the latest one.
 */
export const WEIGHT_HISTORY_CAPACITY = 24
/** A network larger than this (values) keeps no history: 24 copies of it would cost too much memory. */
export const WEIGHT_HISTORY_MAX_VALUES = 2_000_000

export interface WeightSnapshot {
  iter: number
  /** One flat vector: every parameter in network order. */
  values: FloatArray
}

export class WeightHistory {
  private kept: Array<{ n: number; snapshot: WeightSnapshot }> = []
  private latest: { n: number; snapshot: WeightSnapshot } | null = null
  private received = 0
  private stride = 1
  readonly size: number
  readonly enabled: boolean

  constructor(
    private readonly params: readonly Param[],
    readonly capacity = WEIGHT_HISTORY_CAPACITY
  ) {
    this.size = params.reduce((n, p) => n + p.value.length, 0)
    this.enabled = this.size <= WEIGHT_HISTORY_MAX_VALUES
  }

  record(iter: number): void {
    if (!this.enabled) return
    const n = this.received++
    if (n % this.stride !== 0) {
      // Not kept, only the latest: one spare buffer serves every such snapshot (no allocation per evaluation).
      const spare = this.latest && this.kept.at(-1)?.n !== this.latest.n ? this.latest.snapshot.values : undefined
      this.latest = { n, snapshot: { iter, values: flatten(this.params, this.size, spare) } }
      return
    }
    const snapshot = { iter, values: flatten(this.params, this.size) }
    this.latest = { n, snapshot }
    this.kept.push({ n, snapshot })
    while (this.kept.length > this.capacity) {
      this.stride *= 2
      this.kept = this.kept.filter((k) => k.n % this.stride === 0)
    }
  }

  snapshots(): WeightSnapshot[] {
    const out = this.kept.map((k) => k.snapshot)
    if (this.latest && this.kept.at(-1)?.n !== this.latest.n) out.push(this.latest.snapshot)
    return out
  }
}

export function flatten(params: readonly Param[], size = params.reduce((n, p) => n + p.value.length, 0), into?: FloatArray): FloatArray {
  const out = into ?? allocateFloats(params.length > 0 ? precisionOf(params[0].value) : 'float64', size)
  let at = 0
  for (const p of params) {
    out.set(p.value, at)
    at += p.value.length
  }
  return out
}
