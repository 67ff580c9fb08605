/*
 * What the run list needs of a record, without its history: the settings, status and times, the last
 * evaluation (without its per-layer statistics), and how much history the full record holds. A summary is a
 * few kilobytes where a record is up to ~1.5 MB, so 1,000 of them list at once; the renderer loads a full
 * record only when a view needs its curves (runs:read). Pure, so the index is tested without Electron.
 *
 * The renderer validates summaries with its RunSummarySchema (src/renderer/src/lib/storage/run-summary.ts):
 * keep the two in step, as test/renderer/run-library.test.ts checks.
 */

/** Bumped when the summary's shape changes: an index of another version is rebuilt. */
export const RUN_SUMMARY_VERSION = 1

/** Copied from the record as they are (small values; the renderer checks them). */
const COPIED_FIELDS = [
  'version',
  'id',
  'presetId',
  'custom',
  'config',
  'status',
  'message',
  'messageKey',
  'dataset',
  'createdAt',
  'updatedAt',
  'iter',
  'totalIters',
  'elapsedMs'
] as const

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

export function summarizeRunRecord(record: unknown): Record<string, unknown> {
  if (!isObject(record)) throw new Error('not a run record (expected a JSON object)')
  const summary: Record<string, unknown> = {}
  for (const field of COPIED_FIELDS) if (field in record) summary[field] = record[field]
  const evaluations = Array.isArray(record.evaluations) ? record.evaluations : []
  const last: unknown = evaluations.at(-1)
  if (isObject(last)) {
    // Per-layer statistics are the heavy part of an evaluation, and no list shows them.
    const { layers: _layers, ...rest } = last
    summary.lastEvaluation = rest
  } else summary.lastEvaluation = null
  summary.evaluationCount = evaluations.length
  summary.lossesRecorded = isObject(record.losses) && typeof record.losses.recorded === 'number' ? record.losses.recorded : 0
  summary.filterSnapshotCount = Array.isArray(record.filterSnapshots) ? record.filterSnapshots.length : 0
  summary.embeddingSnapshotCount = Array.isArray(record.embeddingSnapshots) ? record.embeddingSnapshots.length : 0
  summary.hasWeights = record.weights != null
  summary.hasLandscape = record.landscape != null
  return summary
}
