/**
 * Part of `npm run bench:import`: the engine's memory while training a conv net on a large colour set.
 * Makes a 50,000-image 3×32×32 set in memory (≈ 150 MB of bytes, as an import stores it), then trains
 * cnn-simple's network on it with evaluations, sampling the resident memory every step. Issue 19 asks
 * that the rise over the process before the set (the engine already started: its kernels and threads)
 * stays within 1.5 × the set's bytes plus the model.
 * `-- --count N` and `-- --iters N` change the size and the length.
 */
import { Random } from '../src/engine/core/random'
import type { ImageDataset, Split } from '../src/engine/data/image-set'
import { nodeKernelThreads } from '../src/engine/hosts/node/kernel-threads'
import { setKernelThreads } from '../src/engine/kernels/backend'
import { findPreset } from '../src/engine/presets'
import { Trainer } from '../src/engine/train/trainer'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'

installWasmBackends() // a benchmark is an engine host: it times the WebAssembly kernels, as the app runs them

const arg = (flag: string, fallback: number): number => {
  const at = process.argv.indexOf(flag)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}

function randomSplit(count: number, random: Random): Split {
  const images = new Uint8Array(count * 3 * 32 * 32)
  for (let i = 0; i < images.length; i += 4) {
    const v = random.nextUint32()
    images[i] = v & 255
    images[i + 1] = (v >>> 8) & 255
    images[i + 2] = (v >>> 16) & 255
    images[i + 3] = v >>> 24
  }
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10)
  return { count, channels: 3, rows: 32, cols: 32, images, labels }
}

function main(): void {
  const count = arg('--count', 50_000)
  const iterations = arg('--iters', 60)
  setKernelThreads(nodeKernelThreads, nodeKernelThreads.cores)
  const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`
  const random = new Random(1)
  // The engine itself first (its kernels' memory, its threads): what any run costs, set or no set.
  const warmUp: ImageDataset = { name: 'warm-up', classes: ['a', 'b'], train: randomSplit(200, random), test: randomSplit(100, random) }
  const tiny = new Trainer({ ...findPreset('cnn-simple').config, iterations: 2, evalInterval: 2 }, warmUp)
  while (!tiny.finished) tiny.step()
  const before = process.memoryUsage().rss
  const dataset: ImageDataset = {
    name: 'bench colour',
    classes: Array.from({ length: 10 }, (_, k) => `class ${k}`),
    train: randomSplit(Math.round((count * 5) / 6), random),
    test: randomSplit(Math.round(count / 6), random)
  }
  const setBytes = dataset.train.images.byteLength + dataset.test.images.byteLength
  const preset = findPreset('cnn-simple').config
  // The course's schedule, scaled down: 5,000 / 1,000 images, evaluated every 20 iterations.
  const trainer = new Trainer({ ...preset, iterations, evalInterval: 20 }, dataset)
  const modelBytes = trainer.network.params.reduce((n, p) => n + p.value.byteLength * 4, 0) // value, gradient, Adam's m and v
  let peak = process.memoryUsage().rss
  const started = performance.now()
  while (!trainer.finished) {
    trainer.step()
    peak = Math.max(peak, process.memoryUsage().rss)
  }
  const seconds = (performance.now() - started) / 1000
  const rise = peak - before
  const allowed = 1.5 * setBytes + modelBytes
  console.log(`${count} images 3×32×32: ${mib(setBytes)} of bytes; model with gradients and Adam's buffers ${mib(modelBytes)}`)
  console.log(
    `trained ${iterations} iterations in ${seconds.toFixed(1)} s; resident memory rose ${mib(rise)} over the process before the set (peak ${mib(peak)})`
  )
  console.log(`${(rise / setBytes).toFixed(2)} × the set's bytes; allowed 1.5 × + the model = ${mib(allowed)}: ${rise <= allowed ? 'within' : 'OVER'}`)
}

main()
