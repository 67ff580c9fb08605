import { z } from 'zod'
import { EvaluationSchema } from '@engine/protocol'
import { RUN_RECORD_VERSION, RunRecordSchema } from './run-record'

/*
 * A run as the desktop app lists it (src/main/run-summary.ts makes it from the record): everything but the
 * history, and what the history holds. The store shows the list from summaries and loads a record only when
 * a view needs its curves, so 1,000 runs open as fast as 10. Keep in step with src/main/run-summary.ts
 * (test/renderer/run-library.test.ts checks that what main makes passes this schema).
 */
export const RunSummarySchema = RunRecordSchema.pick({
  version: true,
  id: true,
  presetId: true,
  custom: true,
  config: true,
  status: true,
  message: true,
  messageKey: true,
  dataset: true,
  createdAt: true,
  updatedAt: true,
  iter: true,
  totalIters: true,
  elapsedMs: true
}).extend({
  /** The run's last evaluation, without its per-layer statistics. */
  lastEvaluation: EvaluationSchema.nullable(),
  evaluationCount: z.number().int().min(0),
  lossesRecorded: z.number().int().min(0),
  filterSnapshotCount: z.number().int().min(0),
  /** Absent in an index made before runs kept embeddings: none. */
  embeddingSnapshotCount: z.number().int().min(0).default(0),
  hasWeights: z.boolean(),
  hasLandscape: z.boolean()
})
export type RunSummary = z.infer<typeof RunSummarySchema>

export type SummaryCheck = { ok: true; summary: RunSummary } | { ok: false; reason: string }

/** Validates a listed summary; the reason names the first few problems, as for a record. */
export function checkRunSummary(data: unknown): SummaryCheck {
  if (typeof data === 'object' && data !== null && 'version' in data && data.version !== RUN_RECORD_VERSION) {
    return { ok: false, reason: `record version ${String((data as { version: unknown }).version)}, this app reads version ${RUN_RECORD_VERSION}` }
  }
  const parsed = RunSummarySchema.safeParse(data)
  if (parsed.success) return { ok: true, summary: parsed.data }
  const reason = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`)
    .join('; ')
  return { ok: false, reason }
}
