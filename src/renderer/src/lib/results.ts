import type { RunConfig } from '@engine/config/run-config'
import type { Evaluation } from '@engine/protocol'
import type { Point } from './loss-history'
import { experimentKey } from './config-draft'
import { toCsv } from './csv'
import { meanAndSd } from './stats'

/**
 * The results table, as the course reports it: final training and test accuracy per run, and per
 * experiment (same settings, different seeds) the mean ± standard deviation over its completed runs.
 */

export interface RunResultInput {
  id: string
  label: string
  presetId: string | null
  custom: boolean
  config: RunConfig
  status: string
  iter: number
  elapsedMs: number
  last: Evaluation | null
}

export interface RunResult extends RunResultInput {
  seed: number
  trainAcc: number | null
  testAcc: number | null
  group: string
}

export interface Stat {
  mean: number
  sd: number
  n: number
}

export interface ResultGroup {
  key: string
  label: string
  runs: RunResult[]
  /** Over completed runs only: a stopped or diverged run's last accuracy is not a final result. */
  train: Stat
  test: Stat
}

export function toResult(input: RunResultInput): RunResult {
  return {
    ...input,
    seed: input.config.seed,
    trainAcc: input.last?.trainAcc ?? null,
    testAcc: input.last?.testAcc ?? null,
    group: `${input.presetId ?? ''}|${experimentKey(input.config)}`
  }
}

/** Groups in the order their first run appears; runs within a group by seed. */
export function groupResults(results: readonly RunResult[]): ResultGroup[] {
  const groups = new Map<string, RunResult[]>()
  for (const r of results) {
    const list = groups.get(r.group)
    if (list) list.push(r)
    else groups.set(r.group, [r])
  }
  return [...groups.entries()].map(([key, runs]) => {
    const sorted = [...runs].sort((a, b) => a.seed - b.seed)
    // A run that stopped early finished too: its last evaluation is its result.
    const done = sorted.filter((r) => r.status === 'completed' || r.status === 'early-stopped')
    return {
      key,
      label: sorted[0].label,
      runs: sorted,
      train: meanAndSd(done.map((r) => r.trainAcc).filter((v): v is number => v !== null)),
      test: meanAndSd(done.map((r) => r.testAcc).filter((v): v is number => v !== null))
    }
  })
}

export const RESULTS_CSV_HEADER = [
  'experiment',
  'run_id',
  'preset_id',
  'custom',
  'seed',
  'status',
  'iterations',
  'train_acc',
  'test_acc',
  'wall_s',
  'experiment_completed_runs',
  'experiment_train_acc_mean',
  'experiment_train_acc_sd',
  'experiment_test_acc_mean',
  'experiment_test_acc_sd'
] as const

/** One row per run, with its experiment's mean and standard deviation repeated on each of its rows. */
export function resultsCsv(groups: readonly ResultGroup[]): string {
  const rows = groups.flatMap((g) =>
    g.runs.map((r) => [
      g.label,
      r.id,
      r.presetId,
      r.custom,
      r.seed,
      r.status,
      r.iter,
      r.trainAcc,
      r.testAcc,
      Math.round(r.elapsedMs) / 1000,
      g.test.n,
      g.train.mean,
      g.train.sd,
      g.test.mean,
      g.test.sd
    ])
  )
  return toCsv(RESULTS_CSV_HEADER, rows)
}

export interface RunCurves {
  id: string
  label: string
  seed: number
  /** Per-iteration losses at stored resolution. */
  losses: readonly Point[]
  evaluations: readonly Evaluation[]
}

export const CURVES_CSV_HEADER = ['run_id', 'label', 'seed', 'series', 'iter', 'value'] as const

/** Long format (one value per row): loss, train_acc and test_acc of every run, ready for any plotting tool. */
export function curvesCsv(runs: readonly RunCurves[]): string {
  const rows: (string | number | null)[][] = []
  for (const run of runs) {
    for (const p of run.losses) rows.push([run.id, run.label, run.seed, 'loss', p.x, Number.isFinite(p.y) ? p.y : null])
    for (const e of run.evaluations) rows.push([run.id, run.label, run.seed, 'train_acc', e.iter, e.trainAcc])
    for (const e of run.evaluations) rows.push([run.id, run.label, run.seed, 'test_acc', e.iter, e.testAcc])
  }
  return toCsv(CURVES_CSV_HEADER, rows)
}
