/**
 * `npx tsx bench/cnn-deep-step.ts [--rounds 3] [--steps 9] [--cpu]`: cnn-deep's float32 training step only,
 * the engine at 2 and 1 threads and PyTorch right after it, `rounds` times, so the ratio of each round
 * comes from the same minute of this shared machine (npm run bench times everything; this is the narrow
 * view used while working on the float32 kernels). `--cpu`: one thread only, in CPU milliseconds of each
 * process per step (the work done, which other jobs on the machine disturb far less than wall time).
 * Prints one JSON line per round and the medians.
 */
import { availableParallelism } from 'node:os'
import { BUNDLED_MNIST_DIR } from '../src/cli/engine-connection'
import { decodeMnist } from '../src/engine/data/mnist'
import { readIdxDirectory } from '../src/engine/hosts/node/read-idx-dir'
import { engineConfig, engineRow, useThreads } from './engine-steps'
import { Trainer } from '../src/engine/train/trainer'
import type { ImageDataset } from '../src/engine/data/image-set'
import { pytorchAvailable, runPytorch } from './peers/pytorch'
import { median } from './report'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'

installWasmBackends() // a benchmark is an engine host: it times the WebAssembly kernels, as the app runs them

const argv = process.argv.slice(2)
const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback)
const rounds = option('--rounds', 3)
const cpu = argv.includes('--cpu')
const reps = { warmup: 10, steps: option('--steps', 9), evals: 1 }

/** Engine CPU milliseconds per cnn-deep step (process.cpuUsage over the timed steps; one thread). */
function engineCpuMs(dataset: ImageDataset): number {
  const trainer = new Trainer(engineConfig('cnn-deep'), dataset)
  for (let i = 0; i < reps.warmup; i++) trainer.step()
  const t0 = process.cpuUsage()
  for (let i = 0; i < reps.steps; i++) trainer.step()
  const t = process.cpuUsage(t0)
  return (t.user + t.system) / 1000 / reps.steps
}

async function main(): Promise<void> {
  const dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  const count = Math.min(1000, dataset.train.count)
  const pixels = Float32Array.from(dataset.train.images.subarray(0, count * 784), (v) => v / 255)
  const labels = dataset.train.labels.slice(0, count)
  const threads = cpu ? [1] : [...new Set([availableParallelism(), 1])]
  const torch = pytorchAvailable()
  const table: Record<string, number[]> = {}
  const add = (key: string, ms: number) => (table[key] ??= []).push(ms)
  for (let round = 1; round <= rounds; round++) {
    const line: Record<string, number> = { round }
    for (const t of threads) {
      const used = await useThreads(t)
      const ms = cpu ? engineCpuMs(dataset) : engineRow('cnn-deep', dataset, reps).stepSeconds * 1000
      line[`engine${used}`] = ms
      add(`engine${used}`, ms)
    }
    if (!('skipped' in torch)) {
      const result = runPytorch(['cnn-deep'], threads, pixels, labels, () => reps, cpu ? 'process' : 'wall')
      if ('skipped' in result) process.stderr.write(`pytorch skipped: ${result.skipped}\n`)
      else
        for (const r of result.rows) {
          line[`pytorch${r.threads}`] = r.stepSeconds * 1000
          add(`pytorch${r.threads}`, r.stepSeconds * 1000)
        }
    }
    for (const t of threads) if (line[`pytorch${t}`]) line[`ratio${t}`] = line[`engine${t}`] / line[`pytorch${t}`]
    console.log(JSON.stringify(Object.fromEntries(Object.entries(line).map(([k, v]) => [k, Math.round(v * 1000) / 1000]))))
  }
  const medians = Object.fromEntries(Object.entries(table).map(([k, v]) => [k, Math.round(median(v) * 10) / 10]))
  console.log(JSON.stringify({ medians }))
  await useThreads(1)
  process.exit(0)
}

void main()
