import { z } from 'zod'
import type { JsonValue } from './field-paths'

const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)])
)

/** What a sweep keeps of a finished trial: the `--json` line, its cost, and what halving saw of it. */
export const TrialResultSchema = z.object({
  trial: z.number().int().min(1),
  /** The varied settings only, by field path. */
  settings: z.record(z.string(), JsonValueSchema),
  seed: z.number().int(),
  /** The last iteration judged: the run's end, or the rung a stopped trial was stopped at. */
  iter: z.number().int(),
  testAcc: z.number().nullable(),
  /** Present when the base run sets a validation split. */
  valAcc: z.number().nullable(),
  trainAcc: z.number().nullable(),
  macs: z.number().nullable(),
  params: z.number().nullable(),
  /** Training time of the run (a stopped trial's includes the few iterations before the stop arrived). */
  elapsedMs: z.number(),
  stoppedEarly: z.boolean(),
  /** How the run ended: 'completed', or the engine's word for another end ('diverged', …). */
  status: z.string(),
  message: z.string().optional(),
  /** The iteration the run really ended at: for a stopped trial, past its rung by the time the stop arrived. */
  ranTo: z.number().int(),
  /** The metric at each rung it reached (halving), to rebuild the rungs when a sweep resumes. */
  rungs: z.array(z.object({ iter: z.number().int(), metric: z.number() }))
})
export type TrialResult = z.infer<typeof TrialResultSchema>

/** A validation split's accuracy when the run has one, else test accuracy: what trials are judged on. */
export function metricOf(evaluation: { testAcc: number | null; valAcc?: number | null }): number {
  return evaluation.valAcc ?? evaluation.testAcc ?? Number.NaN
}

/** The `--json` line of a trial: the keys in its order; `status` and `message` only when it did not complete. */
export function trialLine(r: TrialResult): Record<string, unknown> {
  const line: Record<string, unknown> = {
    trial: r.trial,
    settings: r.settings,
    seed: r.seed,
    iter: r.iter,
    testAcc: r.testAcc,
    valAcc: r.valAcc,
    macs: r.macs,
    params: r.params,
    elapsedMs: Math.round(r.elapsedMs * 10) / 10,
    stoppedEarly: r.stoppedEarly
  }
  if (r.status !== 'completed') {
    line.status = r.status
    if (r.message) line.message = r.message
  }
  return line
}

/** Ends of a run that count as finished: its last iteration, or its own early stopping (config.earlyStopping). */
const RAN_TO_ITS_END = new Set(['completed', 'early-stopped'])

/**
 * The best trial: the highest validation accuracy (test accuracy without a split) among those that ran to
 * their end; ties go to the lower trial number. Null when none did.
 */
export function bestTrial(results: readonly TrialResult[]): TrialResult | null {
  let best: TrialResult | null = null
  for (const r of [...results].sort((a, b) => a.trial - b.trial)) {
    if (r.stoppedEarly || !RAN_TO_ITS_END.has(r.status) || r.testAcc === null) continue
    if (!best || metricOf(r) > metricOf(best)) best = r
  }
  return best
}

/** The last `--json` line. */
export function doneLine(results: readonly TrialResult[]): Record<string, unknown> {
  const best = bestTrial(results)
  return { done: true, trials: results.length, stoppedEarly: results.filter((r) => r.stoppedEarly).length, best: best ? trialLine(best) : null }
}
