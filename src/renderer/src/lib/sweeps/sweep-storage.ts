import { z } from 'zod'
import { checkSweepSpec, TrialResultSchema, type SweepSpec, type TrialResult } from '@engine/sweep'

/**
 * The sweep on this page, kept in localStorage (the app's own storage on both hosts, as the queue is):
 * its definition and its finished trials, saved at each trial's end, so after a reload or a restart the
 * sweep shows what it finished and can run the rest. The definition is checked again on the way back.
 */
export const SWEEP_STORAGE_KEY = 'gradient-lab.sweep.v1'

export type SweepKind = 'custom' | 'scaling'

export interface StoredSweep {
  spec: SweepSpec
  kind: SweepKind
  /** The data set the trials trained on: a resume uses it again. */
  dataset: string
  workers: number
  results: TrialResult[]
  /** Each trial's run in the run library, by trial number. */
  runIds: Record<string, string>
  createdAt: number
}

const StoredSchema = z.object({
  spec: z.unknown(),
  kind: z.enum(['custom', 'scaling']),
  dataset: z.string(),
  workers: z.number().int().min(1),
  results: z.array(TrialResultSchema),
  runIds: z.record(z.string(), z.string()),
  createdAt: z.number()
})

export function loadSweep(storage: Storage | undefined = globalThis.localStorage): StoredSweep | null {
  const text = storage?.getItem(SWEEP_STORAGE_KEY)
  if (!text) return null
  try {
    const parsed = StoredSchema.safeParse(JSON.parse(text))
    if (!parsed.success) return null
    return { ...parsed.data, spec: checkSweepSpec(parsed.data.spec) }
  } catch {
    // Not JSON, or a definition that no longer reads (a preset gone): nothing to resume.
    return null
  }
}

export function saveSweep(sweep: StoredSweep | null, storage: Storage | undefined = globalThis.localStorage): void {
  try {
    if (sweep) storage?.setItem(SWEEP_STORAGE_KEY, JSON.stringify(sweep))
    else storage?.removeItem(SWEEP_STORAGE_KEY)
  } catch {
    // Storage full or disabled: the sweep still runs, it only cannot be resumed.
  }
}
