/**
 * `npx tsx bench/evaluation-forward.ts [--threads 1] [--rounds 5] [--kernels]`: cnn-deep's evaluation
 * forward (the course schedule forwards 600,000 images this way against 100,000 trained), timed as every
 * layer's forward(x, 'test') does it (Network.predict), as evaluation did it before a convolution and its
 * ReLU (and pooling) were one call (`layers`: each convolution's forwardForInference, a ReLU and the
 * pooling after it by forwardAfterRelu, the rest one by one), and as evaluation does it (Network.infer), in
 * chunks of 100 images, each chunk by all three in turn in one process so that each round's ratios come
 * from the same moments of this shared machine. Prints CPU and wall microseconds per image a round, and the medians; `--kernels`
 * adds, for infer, each float32 kernel's calls and the caller's milliseconds in it.
 */
import { BUNDLED_MNIST_DIR } from '../src/cli/engine-connection'
import { gatherRange } from '../src/engine/data/batch'
import { decodeMnist } from '../src/engine/data/mnist'
import { readIdxDirectory } from '../src/engine/hosts/node/read-idx-dir'
import type { Tensor } from '../src/engine/core/tensor'
import { reuseKernelTensor } from '../src/engine/kernels/backend'
import { KernelMemory } from '../src/engine/kernels/f32/kernel-memory'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'
import { Conv2D } from '../src/engine/layers/conv2d'
import type { Layer } from '../src/engine/layers/layer'
import { MaxPool2D } from '../src/engine/layers/max-pool'
import { Relu } from '../src/engine/layers/relu'
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

/** Evaluation's steps before a convolution and its ReLU (and pooling) were one call. */
function layerSteps(layers: readonly Layer[]): ((x: Tensor) => Tensor)[] {
  const steps: ((x: Tensor) => Tensor)[] = []
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]
    const next = layers[i + 1]
    if (layer instanceof Conv2D) steps.push((x) => layer.forwardForInference(x))
    else if (layer instanceof Relu && next instanceof MaxPool2D) {
      steps.push((x) => next.forwardAfterRelu(x))
      i++
    } else steps.push((x) => layer.forward(x, 'test'))
  }
  return steps
}

async function main(): Promise<void> {
  const threads = await useThreads(option('--threads', 1))
  const rounds = option('--rounds', 5)
  const dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  const trainer = new Trainer(engineConfig('cnn-deep'), dataset)
  for (let i = 0; i < 3; i++) trainer.step()
  const x = reuseKernelTensor(undefined, [CHUNK, 1, 28, 28], 'float32')
  const labels = new Uint8Array(CHUNK)
  const steps = layerSteps(trainer.network.layers)
  const paths = ['predict', 'layers', 'infer'] as const
  type Path = (typeof paths)[number]
  const forward = (path: Path) => {
    if (path === 'infer') trainer.network.infer(x)
    else if (path === 'layers') steps.reduce((out, step) => step(out), x)
    else trainer.network.predict(x, 'test')
  }
  /** One round: each chunk forwarded by every path in turn (first in rotation), each path's CPU and wall time summed, so all three see the same load. */
  const round = () => {
    const spent = Object.fromEntries(paths.map((p) => [p, { cpuUs: 0, wallUs: 0 }])) as Record<Path, { cpuUs: number; wallUs: number }>
    for (let done = 0, turn = 0; done < IMAGES; done += CHUNK, turn++) {
      gatherRange(trainer.train, done, x, labels)
      for (let k = 0; k < paths.length; k++) {
        const path = paths[(turn + k) % paths.length]
        const cpu = process.cpuUsage()
        const t0 = performance.now()
        forward(path)
        const used = process.cpuUsage(cpu)
        spent[path].cpuUs += (used.user + used.system) / IMAGES
        spent[path].wallUs += ((performance.now() - t0) * 1000) / IMAGES
      }
    }
    return spent
  }
  round()
  const table: Record<string, number[]> = {
    predictCpuUs: [],
    layersCpuUs: [],
    inferCpuUs: [],
    predictWallUs: [],
    layersWallUs: [],
    inferWallUs: [],
    ratioCpu: [],
    ratioLayersCpu: []
  }
  for (let r = 1; r <= rounds; r++) {
    const { predict: p, layers: l, infer: i } = round()
    const line = {
      predictCpuUs: p.cpuUs,
      layersCpuUs: l.cpuUs,
      inferCpuUs: i.cpuUs,
      predictWallUs: p.wallUs,
      layersWallUs: l.wallUs,
      inferWallUs: i.wallUs,
      // infer against predict, and against evaluation's steps before the joined convolutions.
      ratioCpu: i.cpuUs / p.cpuUs,
      ratioLayersCpu: i.cpuUs / l.cpuUs
    }
    Object.entries(line).forEach(([k, v]) => table[k].push(v))
    console.log(JSON.stringify({ round: r, threads, ...Object.fromEntries(Object.entries(line).map(([k, v]) => [k, Math.round(v * 1000) / 1000])) }))
  }
  console.log(JSON.stringify({ threads, medians: Object.fromEntries(Object.entries(table).map(([k, v]) => [k, Math.round(median(v) * 1000) / 1000])) }))
  if (argv.includes('--kernels')) {
    const counts = countKernels()
    for (let done = 0; done < IMAGES; done += CHUNK) {
      gatherRange(trainer.train, done, x, labels)
      forward('infer')
    }
    for (const [fn, { calls, ms }] of counts) console.log(JSON.stringify({ kernel: fn, callsPerChunk: calls / (IMAGES / CHUNK), msPerImage: ms / IMAGES }))
  }
  await useThreads(1)
  process.exit(0)
}

void main()
