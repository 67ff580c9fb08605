/** The course's numpy code (bench_step.py, one BLAS thread) as a peer: float32 or float64. */
import { runNumpyBaseline } from '../numpy-baseline'
import type { NetId, PeerResult } from './types'

const ONLY: Record<NetId, string> = { 'vg-relu-he': 'mlp', 'cnn-simple': 'simple', 'cnn-deep': 'deep' }

function netId(name: string): NetId | undefined {
  if (name.startsWith('MLP')) return 'vg-relu-he'
  if (name.startsWith('Simple')) return 'cnn-simple'
  if (name.startsWith('Deep')) return 'cnn-deep'
  return undefined
}

/** `reps` = bench_step.py --reps: MLP 20·reps steps, SimpleConvNet 3·reps, DeepConvNet reps. */
export function runNumpy(ids: NetId[], dtype: 'float32' | 'float64', reps: number): PeerResult {
  if (ids.length === 0) return { rows: [], threads: 1, dtype, notes: [] }
  const result = runNumpyBaseline(ids.map((id) => ONLY[id]).join(','), dtype, reps)
  if ('skipped' in result) return result
  const rows = result.rows.flatMap((row) => {
    const name = netId(row.net)
    return name ? [{ name, stepSeconds: row.step_s, evalSeconds: row.eval_fwd_per100_s }] : []
  })
  const threads = Number(result.rows[0]?.threads ?? 1)
  return { rows, threads: Number.isFinite(threads) ? threads : 1, dtype: (result.rows[0]?.dtype as 'float32' | 'float64' | undefined) ?? dtype, notes: [] }
}
