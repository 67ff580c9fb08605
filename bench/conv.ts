/**
 * `npx tsx bench/conv.ts [--quick]`: the course's conv nets in the engine against the numpy reference
 * (shared/bench/numpy-reference, one BLAS thread, float64) measured in the same run — ratios, not absolute
 * times: these machines are shared and noisy — and the engine's peak memory while training cnn-deep.
 * Step = sample a batch of 100, forward, backward, Adam update. The engine trains on real digits (its
 * products skip zeros); numpy times random pixels (its cost does not depend on values).
 * Writes bench/results/conv.json.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { BUNDLED_MNIST_DIR } from '../src/cli/engine-connection'
import { decodeMnist } from '../src/engine/data/mnist'
import type { ImageDataset } from '../src/engine/data/image-set'
import { firstImages } from '../src/engine/data/batch'
import { readIdxDirectory } from '../src/engine/hosts/node/read-idx-dir'
import { backendKind, setBackend, type BackendKind } from '../src/engine/kernels/backend'
import { findPreset } from '../src/engine/presets'
import { Trainer } from '../src/engine/train/trainer'
import { runNumpyBaseline, type NumpyRow } from './numpy-baseline'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'

installWasmBackends() // a benchmark is an engine host: it times the WebAssembly kernels, as the app runs them

const ROOT = resolve(import.meta.dirname, '..')
const quick = process.argv.includes('--quick')
const MiB = 1024 * 1024

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** A trainer that never evaluates by itself, past its first steps (buffers sized, gradients realistic). */
function warmTrainer(id: string, dataset: ImageDataset, warmup: number): Trainer {
  const trainer = new Trainer({ ...findPreset(id).config, iterations: 1e9, evalInterval: 1e9 }, dataset)
  for (let i = 0; i < warmup; i++) trainer.step()
  return trainer
}

function stepTimes(id: string, dataset: ImageDataset) {
  const deep = id === 'cnn-deep'
  const trainer = warmTrainer(id, dataset, quick ? 2 : deep ? 10 : 20)
  const steps: number[] = []
  for (let i = 0; i < (quick ? 3 : deep ? 9 : 21); i++) {
    const t0 = performance.now()
    trainer.step()
    steps.push(performance.now() - t0)
  }
  const hundred = firstImages(trainer.test, 100)
  const evals: number[] = []
  for (let i = 0; i < (quick ? 2 : 5); i++) {
    const t0 = performance.now()
    trainer.accuracy(hundred)
    evals.push(performance.now() - t0)
  }
  const stepMs = median(steps)
  const eval100Ms = median(evals)
  // The notebook's average iteration: a step plus a tenth of evaluating 5,000 + 1,000 images (every 10
  // iterations). numpy's figure also has the extra loss forward the notebook runs; the engine needs none.
  return { stepMs, eval100Ms, notebookIterMs: stepMs + (60 * eval100Ms) / 10 }
}

/** Run in a child process: trains cnn-deep and samples memory after every step and a full evaluation. */
function memoryProbe(id: string): void {
  const gc = (globalThis as { gc?: () => void }).gc
  const used = () => {
    const m = process.memoryUsage()
    return m.heapUsed + m.arrayBuffers
  }
  void (async () => {
    const dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
    gc?.()
    const base = used()
    const config = { ...findPreset(id).config, iterations: 12, evalInterval: 1e9 }
    const trainer = new Trainer(config, dataset)
    let peak = 0
    const arrayBuffers: number[] = []
    while (!trainer.finished) {
      trainer.step() // the 12th, last, iteration evaluates on all 5,000 + 1,000 images
      peak = Math.max(peak, used() - base)
      arrayBuffers.push(process.memoryUsage().arrayBuffers)
    }
    gc?.()
    const out = {
      peakEngineBytes: peak,
      steadyEngineBytes: used() - base,
      arrayBuffersGrowthBytes: arrayBuffers.at(-1)! - arrayBuffers[2],
      maxRssBytes: process.resourceUsage().maxRSS * 1024
    }
    process.stdout.write(JSON.stringify(out) + '\n')
  })()
}

async function main(): Promise<void> {
  const dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  const ids = ['cnn-simple', 'cnn-double', 'cnn-deep']
  const engine: Record<string, Record<string, ReturnType<typeof stepTimes>>> = {}
  const backends: BackendKind[] = quick ? [backendKind()] : ['ts', 'wasm']
  for (const backend of backends) {
    setBackend(backend)
    if (backendKind() !== backend) continue // wasm unavailable in this runtime
    engine[backend] = {}
    for (const id of ids) engine[backend][id] = stepTimes(id, dataset)
  }
  setBackend('auto')
  const numpy = runNumpyBaseline('simple,deep')
  const numpyRows: Record<string, NumpyRow> = {}
  if ('rows' in numpy) for (const row of numpy.rows) numpyRows[row.net.startsWith('Simple') ? 'cnn-simple' : 'cnn-deep'] = row

  const probe = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench/conv.ts'), '--memory', 'cnn-deep'], {
    encoding: 'utf8',
    cwd: ROOT
  })
  if (probe.status !== 0) throw new Error(`memory probe failed: ${probe.stderr}`)
  const memory = JSON.parse(probe.stdout) as Record<string, number>

  console.log('Conv nets, batch 100, float64, one thread; engine on real digits (zeros skipped), numpy on random pixels')
  for (const [backend, rows] of Object.entries(engine)) {
    console.log(`engine, ${backend} matrix products:`)
    for (const [id, r] of Object.entries(rows)) {
      const np = numpyRows[id]
      const ratio = np
        ? ` | numpy step ${(np.step_s * 1000).toFixed(0)} ms → engine ×${((np.step_s * 1000) / r.stepMs).toFixed(2)}; notebook iteration ×${((np.notebook_iter_s * 1000) / r.notebookIterMs).toFixed(2)} (>1 = engine faster)`
        : ''
      console.log(
        `  ${id}: step ${r.stepMs.toFixed(0)} ms, eval ${r.eval100Ms.toFixed(0)} ms / 100 images, notebook iteration ${r.notebookIterMs.toFixed(0)} ms${ratio}`
      )
    }
  }
  if (!('rows' in numpy)) console.log(`numpy baseline skipped: ${numpy.skipped}`)
  console.log(
    `cnn-deep memory (11 steps + a full 6,000-image evaluation): peak ${(memory.peakEngineBytes / MiB).toFixed(1)} MiB above the loaded dataset ` +
      `(heap + array buffers), ${(memory.steadyEngineBytes / MiB).toFixed(1)} MiB held after; array buffers grew ${(memory.arrayBuffersGrowthBytes / MiB).toFixed(2)} MiB over steps 3–12; ` +
      `process max RSS ${(memory.maxRssBytes / MiB).toFixed(0)} MiB`
  )
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true })
  const results = { date: new Date().toISOString(), node: process.version, engine, numpy: 'rows' in numpy ? numpy.rows : numpy, memory }
  writeFileSync(join(ROOT, 'bench/results/conv.json'), JSON.stringify(results, null, 2) + '\n')
}

const memoryIndex = process.argv.indexOf('--memory')
if (memoryIndex >= 0) memoryProbe(process.argv[memoryIndex + 1])
else void main()
