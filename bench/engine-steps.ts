/**
 * The engine's own rows for `npm run bench`: seconds per training step and per 100-image evaluation of a
 * preset (the Trainer a user gets), with the default matrix kernels or the plain TypeScript ones, and
 * with the preset's default precision or an explicit one.
 */
import { firstImages } from '../src/engine/data/batch'
import type { ImageDataset } from '../src/engine/data/image-set'
import { wasmF32Kernels, setBackend, setKernelThreads } from '../src/engine/kernels/backend'
import { nodeKernelThreads } from '../src/engine/hosts/node/kernel-threads'
import { findPreset } from '../src/engine/presets'
import { Trainer } from '../src/engine/train/trainer'
import type { NetId, PeerRow } from './peers/types'
import { median } from './report'

export type Precision = 'float32' | 'float64'

export interface Reps {
  warmup: number
  steps: number
  evals: number
}

/**
 * The preset's config with `precision` set when asked. RunConfig gains `precision` on main; spreading it
 * in this way compiles with and without that field, and an engine without it ignores it.
 */
export function engineConfig(id: NetId, precision?: Precision) {
  const preset = findPreset(id)
  const config = { ...preset.config, ...(precision ? { precision } : {}) } as typeof preset.config
  return { ...config, iterations: 1e9, evalInterval: 1e9 }
}

/** The precision a config computes in. */
export function dtypeOf(config: object): Precision {
  return ((config as { precision?: string }).precision as Precision | undefined) ?? 'float32'
}

/** Uses `threads` threads for the float32 products and waits until they are all ready; the count in use. */
export async function useThreads(threads: number): Promise<number> {
  setKernelThreads(nodeKernelThreads, threads)
  const deadline = Date.now() + 10_000
  while ((wasmF32Kernels()?.activeThreads ?? 1) < threads && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  return wasmF32Kernels()?.activeThreads ?? 1
}

/** Times one preset; `ts` = plain TypeScript kernels (the default is put back afterwards). */
export function engineRow(id: NetId, dataset: ImageDataset, reps: Reps, options: { precision?: Precision; ts?: boolean } = {}): PeerRow & { dtype: Precision } {
  const config = engineConfig(id, options.precision)
  if (options.ts) setBackend('ts')
  try {
    const trainer = new Trainer(config, dataset)
    for (let i = 0; i < reps.warmup; i++) trainer.step()
    const steps: number[] = []
    for (let i = 0; i < reps.steps; i++) {
      const t0 = performance.now()
      trainer.step()
      steps.push(performance.now() - t0)
    }
    const hundred = firstImages(dataset.test, 100)
    for (let i = 0; i < Math.min(reps.warmup, 20); i++) trainer.accuracy(hundred)
    const evals: number[] = []
    for (let i = 0; i < reps.evals; i++) {
      const t0 = performance.now()
      trainer.accuracy(hundred)
      evals.push(performance.now() - t0)
    }
    return { name: id, stepSeconds: median(steps) / 1000, evalSeconds: median(evals) / 1000, dtype: dtypeOf(trainer.config) }
  } finally {
    if (options.ts) setBackend('auto')
  }
}

/** Whole vg-relu-he runs (2,000 iterations with their evaluations), three seeds: `--whole-runs`. */
export function presetWallTimes(dataset: ImageDataset) {
  const rows = []
  for (const seed of [1, 2, 3]) {
    const trainer = new Trainer({ ...findPreset('vg-relu-he').config, seed }, dataset)
    const t0 = performance.now()
    let last = null
    while (!trainer.finished) last = trainer.step().evaluation ?? last
    rows.push({ preset: 'vg-relu-he', seed, iterations: 2000, testAcc: last?.testAcc, trainAcc: last?.trainAcc, wallMs: Math.round(performance.now() - t0) })
  }
  return rows
}
