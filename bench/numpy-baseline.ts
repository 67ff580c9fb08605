import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** The course's networks in numpy (shared/bench/numpy-reference), timed on this machine in this run. */
export const NUMPY_REFERENCE_DIR = process.env.NUMPY_REF_DIR ?? resolve(import.meta.dirname, '../../shared/bench/numpy-reference')

export interface NumpyRow {
  net: string
  step_s: number
  loss_fwd_s: number
  eval_fwd_per100_s: number
  notebook_iter_s: number
}

/** Runs bench_step.py single-threaded in float64 (as the course); null with a reason when it cannot. */
export function runNumpyBaseline(only: string): { rows: NumpyRow[] } | { skipped: string } {
  const script = join(NUMPY_REFERENCE_DIR, 'bench_step.py')
  if (!existsSync(script)) return { skipped: `numpy reference not found at ${script} (set NUMPY_REF_DIR)` }
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }
  const result = spawnSync('python3', [script, '--dtype', 'float64', '--only', only], { cwd: NUMPY_REFERENCE_DIR, env, encoding: 'utf8' })
  if (result.status !== 0) return { skipped: `numpy reference failed: ${result.stderr.trim().split('\n').pop()}` }
  return { rows: result.stdout.trim().split('\n').map((line) => JSON.parse(line) as NumpyRow) }
}
