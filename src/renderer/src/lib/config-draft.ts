import { checkRunConfig, type FieldProblem, type RunConfig } from '@engine/config/run-config'
import { datasetProblems } from '@engine/config/dataset-fit'
import type { DatasetInfo } from '@engine/protocol'
import { planLayers } from '@engine/model/layer-plan'

/**
 * The settings form's model: a RunConfig being edited, which may be invalid while the student types
 * (NaN where a number is half-written). Checked with the engine's own schema, plus the checks that need
 * the loaded dataset, so the form says exactly what the engine would.
 */

export type DraftCheck = { ok: true; config: RunConfig; problems: [] } | { ok: false; problems: FieldProblem[] }

export function cloneConfig<T>(config: T): T {
  return JSON.parse(JSON.stringify(config)) as T
}

/** JSON with sorted keys: equal configs give equal strings whatever the key order. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`)
    return `{${entries.join(',')}}`
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null'
  return JSON.stringify(value) ?? 'null'
}

/** The settings that make an experiment, without the seed: runs with equal keys differ only by chance. */
export function experimentKey(config: RunConfig): string {
  const { seed: _seed, ...rest } = config
  return stableStringify(rest)
}

/** A changed seed keeps a preset's run a preset run (that is how its spread over seeds is measured). */
export function sameExceptSeed(a: RunConfig, b: RunConfig): boolean {
  return experimentKey(a) === experimentKey(b)
}

export function checkDraft(draft: RunConfig, dataset: DatasetInfo | null): DraftCheck {
  const stack = stackProblems(draft, dataset)
  if (stack.length > 0) {
    const checked = checkRunConfig(draft)
    return { ok: false, problems: [...(checked.ok ? [] : checked.problems), ...stack] }
  }
  const checked = checkRunConfig(draft)
  if (!checked.ok) {
    // The dataset checks too, for the fields that are fine by themselves: every message shows at once.
    const flagged = new Set(checked.problems.map((p) => p.field))
    const extra = fitsDataset(draft, dataset).filter((p) => !flagged.has(p.field) && !flagged.has(p.field === 'batchSize' ? 'trainLimit' : p.field))
    return { ok: false, problems: [...checked.problems, ...extra] }
  }
  const problems = fitsDataset(checked.config, dataset)
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: checked.config, problems: [] }
}

/** What a layer list is planned for: the loaded set's [C, H, W] and class count (MNIST's before one is loaded). */
export function planInput(dataset: DatasetInfo | null): { inputShape: [number, number, number]; classCount: number } {
  if (!dataset) return { inputShape: [1, 28, 28], classCount: 10 }
  return { inputShape: [dataset.train.channels, dataset.train.rows, dataset.train.cols], classCount: dataset.classes.length }
}

/** Where a layer list does not connect (the editor marks the row; Start stays disabled). */
function stackProblems(draft: RunConfig, dataset: DatasetInfo | null): FieldProblem[] {
  if (draft.network?.kind !== 'layers' || !Array.isArray(draft.network.layers)) return []
  const { inputShape, classCount } = planInput(dataset)
  const plan = planLayers(draft.network.layers, inputShape, classCount)
  const rows = plan.rows.filter((r) => r.problem?.startsWith('does not fit')).map((r) => ({ field: `network.layers.${r.index}`, message: r.problem! }))
  const last = draft.network.layers.length - 1
  return plan.problem ? [...rows, { field: `network.layers.${Math.max(0, last)}`, message: plan.problem }] : rows
}

/** The engine's own dataset checks, so the form shows them before the engine would refuse the run. */
export function fitsDataset(config: RunConfig, dataset: DatasetInfo | null): FieldProblem[] {
  if (!dataset) return []
  // A draft may hold NaN where a number is half-typed: such a field is reported by the schema, not here.
  const usable = (v: number | undefined) => v === undefined || Number.isFinite(v)
  if (!usable(config.batchSize) || !usable(config.trainLimit) || !usable(config.testLimit)) return []
  return datasetProblems(config, dataset)
}
