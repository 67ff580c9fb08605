import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')

/**
 * The course's networks in numpy (shared/bench/numpy-reference), timed on this machine in this run:
 * NUMPY_REF_DIR, else ../shared next to the checkout, else two levels up (a worktree under wt/).
 */
export const NUMPY_REFERENCE_DIR =
  process.env.NUMPY_REF_DIR ??
  [resolve(ROOT, '../shared/bench/numpy-reference'), resolve(ROOT, '../../shared/bench/numpy-reference')].find((dir) =>
    existsSync(join(dir, 'bench_step.py'))
  ) ??
  resolve(ROOT, '../shared/bench/numpy-reference')

export interface NumpyRow {
  net: string
  step_s: number
  loss_fwd_s: number
  eval_fwd_per100_s: number
  notebook_iter_s: number
  dtype?: string
  threads?: string
}

/**
 * Runs bench_step.py with one BLAS thread, float64 (as the course) unless told; `reps` is its --reps
 * (MLP steps = 20·reps, SimpleConvNet 3·reps, DeepConvNet reps). A reason instead when it cannot run.
 */
export function runNumpyBaseline(only: string, dtype: 'float32' | 'float64' = 'float64', reps?: number): { rows: NumpyRow[] } | { skipped: string } {
  const script = join(NUMPY_REFERENCE_DIR, 'bench_step.py')
  if (!existsSync(script)) return { skipped: `numpy reference not found at ${script} (set NUMPY_REF_DIR)` }
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }
  const args = [script, '--dtype', dtype, '--only', only, ...(reps ? ['--reps', String(reps)] : [])]
  const result = spawnSync('python3', args, { cwd: NUMPY_REFERENCE_DIR, env, encoding: 'utf8' })
  if (result.error) return { skipped: `python3 could not start: ${result.error.message}` }
  if (result.status !== 0) return { skipped: `numpy reference failed: ${result.stderr.trim().split('\n').pop()}` }
  try {
    return {
      rows: result.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as NumpyRow)
    }
  } catch {
    return { skipped: `numpy reference printed something other than JSON lines: ${result.stdout.slice(0, 80)}` }
  }
}
