/**
 * Run records for `npm run bench:library`, shaped like the longest runs the app keeps: a 5-hidden-layer MLP
 * trained for 40,000 iterations, so its losses are 20,001 means of two iterations and its 4,000 evaluations
 * are thinned to 1,001, each with the per-layer statistics (mean |∂L/∂W| and a 20-bin activation histogram
 * per hidden layer) the engine sends. As JSON one is about 1.5 MB, the size README's "Saved runs" gives for
 * a long run. Values come from a seeded generator, so two runs differ as two seeds would.
 */
import { findPreset } from '../src/engine/presets/index'

const ITERATIONS = 40_000
const LOSS_STRIDE = 2
const EVALUATIONS = 1_001
const HIDDEN = [100, 100, 100, 100, 100]
const BINS = 20

/** Mulberry32: small, seeded, good enough for plausible curves. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const round = (value: number, digits: number): number => Number(value.toPrecision(digits))

export function longRunRecord(id: string, createdAt: number, seed: number): Record<string, unknown> {
  const next = random(seed)
  const base = findPreset('vg-relu-he').config
  const config = { ...base, network: { ...base.network, hidden: HIDDEN }, iterations: ITERATIONS, evalInterval: 40, seed }
  const lossAt = (iter: number): number => 0.05 + 2.25 * Math.exp(-iter / 3000) + 0.08 * next()

  const values: (number | null)[] = [null]
  for (let slot = 1; slot <= ITERATIONS / LOSS_STRIDE; slot++) values.push(round(lossAt(slot * LOSS_STRIDE), 8))

  const evaluations = []
  for (let e = 0; e < EVALUATIONS; e++) {
    const iter = Math.round(((e + 1) * ITERATIONS) / EVALUATIONS)
    const progress = 1 - Math.exp(-iter / 4000)
    const layers = [...HIDDEN, 10].map((units, i) => ({
      name: `Affine${i + 1}`,
      depth: i + 1,
      meanAbsGrad: round(1e-3 * (i + 1) * (0.5 + next()), 10),
      activation:
        i === HIDDEN.length
          ? null
          : { lo: 0, hi: 4, counts: Array.from({ length: BINS }, () => Math.floor(next() * units * 20)), below: 0, above: Math.floor(next() * 20) }
    }))
    evaluations.push({
      iter,
      loss: round(lossAt(iter), 8),
      trainAcc: round(0.1 + 0.88 * progress + 0.01 * next(), 6),
      testAcc: round(0.1 + 0.86 * progress + 0.01 * next(), 6),
      elapsedMs: iter * 3,
      layers
    })
  }

  return {
    version: 1,
    id,
    presetId: 'vg-relu-he',
    custom: true,
    config,
    status: 'completed',
    message: null,
    messageKey: null,
    dataset: 'MNIST (bundled, 8,000 / 2,000)',
    createdAt,
    updatedAt: createdAt + ITERATIONS * 3,
    iter: ITERATIONS,
    totalIters: ITERATIONS,
    elapsedMs: ITERATIONS * 3,
    losses: { stride: LOSS_STRIDE, values, recorded: ITERATIONS },
    evaluations,
    filterSnapshots: [],
    weights: null,
    landscape: null
  }
}
