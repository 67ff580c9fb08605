/**
 * `npm run bench`: the engine's speed against the course's numpy code measured in the same run (ratios,
 * not absolute times: these machines are noisy), whole preset runs, and the engine's memory per dataset.
 * Flags: --quick (skip the whole-preset runs). Writes bench/results/latest.json.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { BUNDLED_MNIST_DIR } from '../src/cli/engine-connection'
import { decodeMnist, type MnistDataset } from '../src/engine/data/mnist'
import { firstImages } from '../src/engine/data/batch'
import { readIdxDirectory } from '../src/engine/hosts/node/read-idx-dir'
import { findPreset } from '../src/engine/presets'
import { Trainer } from '../src/engine/train/trainer'
import { runNumpyBaseline } from './numpy-baseline'
import { writeFullSizeSet } from './synth-mnist'
import { timeIt } from './timing'

const ROOT = resolve(import.meta.dirname, '..')
const quick = process.argv.includes('--quick')
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version }

function mlpTimings(dataset: MnistDataset) {
  const config = { ...findPreset('vg-relu-he').config, evalInterval: 1_000_000_000, iterations: 1_000_000_000 }
  const trainer = new Trainer(config, dataset)
  const step = timeIt(() => trainer.step(), 300, 20)
  const hundred = firstImages(dataset.test, 100)
  const eval100 = timeIt(() => trainer.accuracy(hundred), 100, 10)
  // The notebook's iteration, as bench_step.py defines it: a step, one extra loss forward on a batch,
  // and a tenth of evaluating 10,000 test images + the batch. Our loop needs no extra loss forward.
  const notebookIterMs = step.medianMs + ((10_000 + 100) / 100) * eval100.medianMs / 10
  return { stepMs: step.medianMs, eval100Ms: eval100.medianMs, notebookIterMs }
}

function presetWallTimes(dataset: MnistDataset) {
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

function memoryOf(dir: string): number {
  const probe = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench/memory-probe.ts'), dir], { encoding: 'utf8', cwd: ROOT })
  if (probe.status !== 0) throw new Error(`memory probe failed: ${probe.stderr}`)
  return (JSON.parse(probe.stdout) as { engineBytes: number }).engineBytes
}

async function main(): Promise<void> {
  const dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))

  const ours = mlpTimings(dataset)
  const numpy = runNumpyBaseline('mlp')
  results.mlp = { engine: ours, numpy }
  console.log('MLP 784-40-20-10 (vg-relu-he), float64, batch 100, one thread')
  console.log(`  engine: step ${ours.stepMs.toFixed(3)} ms, eval ${ours.eval100Ms.toFixed(3)} ms / 100 images, notebook iteration ${ours.notebookIterMs.toFixed(3)} ms`)
  if ('rows' in numpy) {
    const np = numpy.rows[0]
    const ratios = {
      step: (np.step_s * 1000) / ours.stepMs,
      eval: (np.eval_fwd_per100_s * 1000) / ours.eval100Ms,
      notebookIter: (np.notebook_iter_s * 1000) / ours.notebookIterMs
    }
    results.mlpSpeedupOverNumpy = ratios
    console.log(`  numpy:  step ${(np.step_s * 1000).toFixed(3)} ms, eval ${(np.eval_fwd_per100_s * 1000).toFixed(3)} ms / 100 images, notebook iteration ${(np.notebook_iter_s * 1000).toFixed(3)} ms`)
    console.log(`  engine speed / numpy speed: step ×${ratios.step.toFixed(2)}, eval ×${ratios.eval.toFixed(2)}, notebook iteration ×${ratios.notebookIter.toFixed(2)} (>1 = engine faster)`)
  } else {
    console.log(`  numpy baseline skipped: ${numpy.skipped}`)
  }

  if (!quick) {
    const runs = presetWallTimes(dataset)
    results.presetRuns = runs
    console.log('Whole runs on the bundled set (no UI, one thread):')
    for (const r of runs) console.log(`  ${r.preset} seed ${r.seed}: ${r.iterations} iterations, train ${r.trainAcc}, test ${r.testAcc}, ${(r.wallMs / 1000).toFixed(1)} s`)
  }

  const fullDir = mkdtempSync(join(tmpdir(), 'mnist-70k-'))
  try {
    writeFullSizeSet(fullDir, dataset.train, dataset.test)
    const memory = { bundledBytes: memoryOf(BUNDLED_MNIST_DIR), fullSizeBytes: memoryOf(fullDir) }
    results.memory = memory
    const mb = (b: number) => (b / 1024 / 1024).toFixed(1)
    console.log(`Engine memory for a loaded dataset: bundled 10,000 images ${mb(memory.bundledBytes)} MiB; 70,000 images ${mb(memory.fullSizeBytes)} MiB`)
  } finally {
    rmSync(fullDir, { recursive: true, force: true })
  }

  mkdirSync(join(ROOT, 'bench/results'), { recursive: true })
  writeFileSync(join(ROOT, 'bench/results/latest.json'), JSON.stringify(results, null, 2) + '\n')
}

void main()
