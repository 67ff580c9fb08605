/**
 * `npm run bench:landscape`: what a loss landscape costs. The time per grid point (one inference pass over
 * N images at perturbed weights) for an MLP and a conv preset, a whole 21×21 grid timed end to end, and
 * how far the one-point estimate the app shows before a grid is from the real time.
 * Writes bench/results/landscape.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { BUNDLED_MNIST_DIR } from '../src/cli/engine-connection'
import { decodeMnist } from '../src/engine/data/mnist'
import { readIdxDirectory } from '../src/engine/hosts/node/read-idx-dir'
import { RunInspector } from '../src/engine/inspect/inspect-run'
import { LandscapeJob } from '../src/engine/landscape/landscape'
import { WeightHistory } from '../src/engine/landscape/weight-history'
import { findPreset } from '../src/engine/presets'
import { Trainer } from '../src/engine/train/trainer'
import { timeIt } from './timing'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'

installWasmBackends() // a benchmark is an engine host: it times the WebAssembly kernels, as the app runs them

const ROOT = resolve(import.meta.dirname, '..')
const round2 = (v: number) => Math.round(v * 100) / 100

async function main(): Promise<void> {
  const dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version }
  for (const [presetId, iterations] of [
    ['of-l2', 100],
    ['cnn-simple', 20]
  ] as const) {
    const trainer = new Trainer({ ...findPreset(presetId).config, iterations, evalInterval: 1_000_000, evalSubset: undefined }, dataset)
    const history = new WeightHistory(trainer.network.params)
    while (!trainer.finished) trainer.step()
    const source = new RunInspector(presetId, trainer).landscapeSource(history)
    const perPoint: Record<string, number> = {}
    for (const images of [100, 500, 1000]) {
      const job = new LandscapeJob(source, { plane: 'random', split: 'test', images, grid: 21, span: 1, seed: 1 })
      perPoint[images] = round2(timeIt(() => job.evaluate(0.3, -0.2), presetId === 'cnn-simple' && images === 1000 ? 3 : 7, 1).medianMs)
    }
    const images = presetId === 'cnn-simple' ? 100 : 500
    const job = new LandscapeJob(source, { plane: 'random', split: 'test', images, grid: 21, span: 1, seed: 1 })
    // As the session estimates: a warm-up pass, then one timed point.
    job.evaluate(0, 0)
    const started = performance.now()
    job.evaluate(0, 0)
    const estimateMs = (performance.now() - started) * 441
    const t0 = performance.now()
    await job.run(
      () => {},
      () => false,
      async () => {}
    )
    const gridMs = performance.now() - t0
    results[presetId] = { msPerPointByImages: perPoint, grid21: { images, ms: Math.round(gridMs), estimateMs: Math.round(estimateMs) } }
    console.log(`${presetId}: ms per grid point by images ${JSON.stringify(perPoint)}`)
    console.log(`${presetId}: 21×21 on ${images} test images ${(gridMs / 1000).toFixed(1)} s (one-point estimate ${(estimateMs / 1000).toFixed(1)} s)`)
  }
  mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true })
  writeFileSync(resolve(ROOT, 'bench/results/landscape.json'), JSON.stringify(results, null, 2) + '\n')
}

void main()
