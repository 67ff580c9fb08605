/**
 * `npm run bench:embed`: what embeddings cost, on cnn-simple trained 300 iterations on the bundled MNIST.
 * A 1,000-image projection by PCA, t-SNE (1,000 steps) and UMAP (500 epochs) of the default layer (relu2,
 * 100 values), after the activations; and a run's snapshot at N = 500 (config.embedding) by PCA, UMAP and
 * t-SNE against what the run spends between two snapshots anyway (20 steps and their two evaluations),
 * measured in the same run. Wall and CPU time (the CPU figure is steadier on a shared machine).
 * Writes bench/results/embed.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { BUNDLED_MNIST_DIR } from '../src/cli/engine-connection'
import type { EmbedMethod } from '../src/engine/config/embedding'
import { decodeMnist } from '../src/engine/data/mnist'
import { embedJob } from '../src/engine/embed/embed'
import { project } from '../src/engine/embed/projection'
import { InferenceCopy } from '../src/engine/explain/inference-copy'
import { readIdxDirectory } from '../src/engine/hosts/node/read-idx-dir'
import { findPreset } from '../src/engine/presets'
import type { EngineEvent } from '../src/engine/protocol'
import { runEmbeddings } from '../src/engine/session/run-embeddings'
import { Trainer } from '../src/engine/train/trainer'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'

installWasmBackends() // a benchmark is an engine host: it times the WebAssembly kernels, as the app runs them

const ROOT = resolve(import.meta.dirname, '..')

/** Wall and CPU milliseconds of one call. */
function measure<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  const value = fn()
  const wallMs = performance.now() - t0
  const used = process.cpuUsage(cpu)
  return { value, wallMs: Math.round(wallMs), cpuMs: Math.round((used.user + used.system) / 1000) }
}

async function main(): Promise<void> {
  const dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version }
  const preset = findPreset('cnn-simple').config
  const trainer = new Trainer({ ...preset, iterations: 1000 }, dataset)
  const training = measure(() => {
    while (trainer.iterationsDone < 300) trainer.step()
  })
  console.log(`cnn-simple: 300 iterations in ${(training.wallMs / 1000).toFixed(1)} s`)
  const copy = new InferenceCopy(trainer.network, preset.network)
  copy.sync()

  const activations = measure(() => embedJob(copy, dataset.test, { method: 'pca', count: 1000 }).activations)
  const projections: Record<string, unknown> = { activations: { wallMs: activations.wallMs, cpuMs: activations.cpuMs } }
  console.log(`activations of relu2 for 1,000 test images: ${activations.wallMs} ms (CPU ${activations.cpuMs} ms)`)
  for (const method of ['pca', 'tsne', 'umap'] as EmbedMethod[]) {
    const timed = measure(() => project(method, activations.value, { seed: 1 }))
    projections[method] = { wallMs: timed.wallMs, cpuMs: timed.cpuMs, settings: timed.value.settings }
    console.log(`${method} of 1,000 points (100 values): ${(timed.wallMs / 1000).toFixed(2)} s (CPU ${(timed.cpuMs / 1000).toFixed(2)} s)`)
  }
  results.projection1000 = projections

  // What the run spends between two snapshots anyway: a 1,000-iteration run keeps one every 20 iterations
  // (run-embeddings.ts: about 50 per run), here 20 steps with their two evaluations.
  const gap = 20
  const interval = measure(() => {
    for (let k = 0; k < gap; k++) trainer.step()
  })
  console.log(`cnn-simple: ${gap} steps with their evaluations (every ${preset.evalInterval}): ${interval.wallMs} ms (CPU ${interval.cpuMs} ms)`)
  const snapshots: Record<string, unknown> = { between: { steps: gap, wallMs: interval.wallMs, cpuMs: interval.cpuMs } }
  for (const method of ['pca', 'umap', 'tsne'] as EmbedMethod[]) {
    const events: EngineEvent[] = []
    const record = runEmbeddings(
      'bench',
      trainer,
      { ...trainer.config, embedding: { n: 500, method } },
      { emit: (e) => events.push(e), emitError: (e) => console.error(e) }
    )!
    // The first snapshot starts from scratch; the later ones from the previous layout (fewer epochs/steps).
    const first = measure(() => record(trainer.iterationsDone))
    for (let k = 0; k < gap; k++) trainer.step()
    const later = measure(() => record(trainer.iterationsDone))
    const bytes = JSON.stringify(events.at(-1)).length
    snapshots[method] = {
      firstWallMs: first.wallMs,
      firstCpuMs: first.cpuMs,
      laterWallMs: later.wallMs,
      laterCpuMs: later.cpuMs,
      bytes,
      ofTrainingCpu: +(later.cpuMs / interval.cpuMs).toFixed(2)
    }
    console.log(
      `snapshot N=500 ${method}: first ${first.wallMs} ms (CPU ${first.cpuMs}), later ${later.wallMs} ms (CPU ${later.cpuMs}) = ${(later.cpuMs / interval.cpuMs).toFixed(2)}× the training's CPU between two snapshots; ${bytes} bytes as JSON`
    )
  }
  results.snapshot500 = snapshots
  mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true })
  writeFileSync(resolve(ROOT, 'bench/results/embed.json'), JSON.stringify(results, null, 2) + '\n')
}

void main()
