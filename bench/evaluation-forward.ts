/**
 * `npx tsx bench/evaluation-forward.ts [--threads 1] [--rounds 5] [--kernels]`: cnn-deep's evaluation
 * forward (the course schedule forwards 600,000 images this way against 100,000 trained), timed as every
 * layer's forward(x, 'test') does it (Network.predict) and as evaluation does it (Network.infer), in
 * chunks of 100 images, alternating in one process so that each round's ratio comes from the same moment
 * of this shared machine. Prints CPU and wall microseconds per image a round, and the medians; `--kernels`
 * adds, for infer, each float32 kernel's calls and the caller's milliseconds in it.
 */
import { BUNDLED_MNIST_DIR } from '../src/cli/engine-connection'
import { gatherRange } from '../src/engine/data/batch'
import { decodeMnist } from '../src/engine/data/mnist'
import { readIdxDirectory } from '../src/engine/hosts/node/read-idx-dir'
import { reuseKernelTensor } from '../src/engine/kernels/backend'
import { KernelMemory } from '../src/engine/kernels/f32/kernel-memory'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'
import { Trainer } from '../src/engine/train/trainer'
import { engineConfig, useThreads } from './engine-steps'

installWasmBackends() // a benchmark is an engine host: it times the WebAssembly kernels, as the app runs them

const argv = process.argv.slice(2)
const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback)
const IMAGES = 2000
const CHUNK = 100

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** Counts each kernel's calls and the caller's time in it (KernelMemory.split is every kernel's way in). */
function countKernels(): Map<string, { calls: number; ms: number }> {
  const counts = new Map<string, { calls: number; ms: number }>()
  const split = KernelMemory.prototype.split
  KernelMemory.prototype.split = function (fn, args, parts, align, minParts, local) {
    const entry = counts.get(fn) ?? { calls: 0, ms: 0 }
    counts.set(fn, entry)
    const t0 = performance.now()
    split.call(this, fn, args, parts, align, minParts, local)
    entry.calls++
    entry.ms += performance.now() - t0
  }
  return counts
}

async function main(): Promise<void> {
  const threads = await useThreads(option('--threads', 1))
  const rounds = option('--rounds', 5)
  const dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  const trainer = new Trainer(engineConfig('cnn-deep'), dataset)
  for (let i = 0; i < 3; i++) trainer.step()
  const x = reuseKernelTensor(undefined, [CHUNK, 1, 28, 28], 'float32')
  const labels = new Uint8Array(CHUNK)
  const time = (path: 'predict' | 'infer') => {
    const cpu = process.cpuUsage()
    const t0 = performance.now()
    for (let done = 0; done < IMAGES; done += CHUNK) {
      gatherRange(trainer.train, done, x, labels)
      if (path === 'infer') trainer.network.infer(x)
      else trainer.network.predict(x, 'test')
    }
    const used = process.cpuUsage(cpu)
    return { cpuUs: (used.user + used.system) / IMAGES, wallUs: ((performance.now() - t0) * 1000) / IMAGES }
  }
  time('predict')
  time('infer')
  const table: Record<string, number[]> = { predictCpuUs: [], inferCpuUs: [], predictWallUs: [], inferWallUs: [], ratioCpu: [] }
  for (let round = 1; round <= rounds; round++) {
    const p = time('predict')
    const i = time('infer')
    const line = { predictCpuUs: p.cpuUs, inferCpuUs: i.cpuUs, predictWallUs: p.wallUs, inferWallUs: i.wallUs, ratioCpu: i.cpuUs / p.cpuUs }
    Object.entries(line).forEach(([k, v]) => table[k].push(v))
    console.log(JSON.stringify({ round, threads, ...Object.fromEntries(Object.entries(line).map(([k, v]) => [k, Math.round(v * 1000) / 1000])) }))
  }
  console.log(JSON.stringify({ threads, medians: Object.fromEntries(Object.entries(table).map(([k, v]) => [k, Math.round(median(v) * 1000) / 1000])) }))
  if (argv.includes('--kernels')) {
    const counts = countKernels()
    time('infer')
    for (const [fn, { calls, ms }] of counts) console.log(JSON.stringify({ kernel: fn, callsPerChunk: calls / (IMAGES / CHUNK), msPerImage: ms / IMAGES }))
  }
  await useThreads(1)
  process.exit(0)
}

void main()
