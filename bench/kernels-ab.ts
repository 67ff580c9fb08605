/**
 * `npx tsx bench/kernels-ab.ts OLD [--what step|infer|gemm] [--net cnn-deep] [--threads 1] [--rounds 10] [--block 5]`: this tree's float32
 * kernels against another build's, in one process on one thread, alternating block by block (old then new,
 * new then old, …) so that each ratio comes from the same moments of this shared machine. OLD is that
 * build's compiled module, e.g. `git show 75e75bd:src/engine/kernels/f32/compiled-module.ts > /tmp/old.ts`.
 * - `step`: a net's float32 training steps (cnn-deep unless --net), `block` a block; `infer`: its evaluation (Network.infer),
 *   1,000 images a block unit. The old module is instantiated on the kernels' own memory (the modules have
 *   no data segments or globals) and the exports are swapped under the one network, which thus trains on
 *   both: the same bits are the premise (checked by the presets' runs, not here). `--threads 2`: the helpers
 *   are restarted on each build's module before its block, and blocks are timed by the wall clock.
 * - `gemm`: the products kernel alone, each module on its own memory, on Winograd's shapes (A's rows adjacent)
 *   and the affine layers' (row-major A): CPU ms for 1 GFLOP of each.
 * Prints CPU milliseconds (per step, per 1,000 images, or per GFLOP) of each block, the medians and new/old.
 */
import { readFileSync } from 'node:fs'
import { BUNDLED_MNIST_DIR } from '../src/cli/engine-connection'
import { gatherRange } from '../src/engine/data/batch'
import { decodeMnist } from '../src/engine/data/mnist'
import { readIdxDirectory } from '../src/engine/hosts/node/read-idx-dir'
import { reuseKernelTensor, wasmF32Kernels } from '../src/engine/kernels/backend'
import { F32_KERNELS_SHARED_FMA_WASM } from '../src/engine/kernels/f32/compiled-module'
import type { KernelExports } from '../src/engine/kernels/f32/kernel-memory'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'
import { Trainer } from '../src/engine/train/trainer'
import { engineConfig, useThreads } from './engine-steps'
import type { NetId } from './peers/types'

installWasmBackends()

const argv = process.argv.slice(2)
const option = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback)
const oldPath = argv[0]
const what = option('--what', 'step')
const rounds = Number(option('--rounds', '10'))
const block = Number(option('--block', '5'))
const net = option('--net', 'cnn-deep') as NetId
const threads = Number(option('--threads', '1'))

/** The fused build's bytes from a compiled-module.ts (the build Node runs: f32/relaxed-simd.ts). */
function fusedBytes(path: string): Uint8Array<ArrayBuffer> {
  const found = readFileSync(path, 'utf8').match(/F32_KERNELS_SHARED_FMA_WASM = '([^']+)'/)
  if (!found) throw new Error(`${path}: no F32_KERNELS_SHARED_FMA_WASM in it`)
  return new Uint8Array(Buffer.from(found[1], 'base64'))
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]

/**
 * Times `run(which)` over rounds, old and new alternating, after `ready(which)` (untimed); prints each side's
 * milliseconds per unit, CPU time on one thread, wall time on more (CPU time would count the helpers' waits
 * too), and the medians.
 */
async function alternate(
  label: string,
  run: (which: 'old' | 'new') => void,
  unit: number,
  ready: (which: 'old' | 'new') => Promise<void> = async () => {}
): Promise<void> {
  const times = { old: [] as number[], new: [] as number[] }
  for (let round = 0; round < rounds; round++) {
    for (const which of round % 2 ? (['new', 'old'] as const) : (['old', 'new'] as const)) {
      await ready(which)
      const c0 = process.cpuUsage()
      const w0 = performance.now()
      run(which)
      const c = process.cpuUsage(c0)
      const wall = performance.now() - w0
      times[which].push((threads > 1 ? wall : (c.user + c.system) / 1000) / unit)
    }
  }
  const round1 = (x: number) => Math.round(x * 10) / 10
  const clock = threads > 1 ? `wall, ${threads} threads` : 'CPU, 1 thread'
  console.log(JSON.stringify({ label, clock, old: times.old.map(round1), new: times.new.map(round1) }))
  console.log(
    JSON.stringify({
      label,
      clock,
      oldMs: round1(median(times.old)),
      newMs: round1(median(times.new)),
      ratio: Math.round((median(times.new) / median(times.old)) * 1000) / 1000
    })
  )
}

async function network(): Promise<void> {
  const dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  await useThreads(1)
  const trainer = new Trainer(engineConfig(net), dataset)
  trainer.step() // the kernels exist from here
  // A bench's reach into the kernels' memory and exports (private to kernel-memory.ts) to run both builds on one network.
  const kernels = wasmF32Kernels() as unknown as { memory: WebAssembly.Memory; kernels: KernelExports; module: WebAssembly.Module }
  const oldModule = new WebAssembly.Module(fusedBytes(oldPath))
  const builds = { old: new WebAssembly.Instance(oldModule, { env: { memory: kernels.memory } }).exports as unknown as KernelExports, new: kernels.kernels }
  const modules = { old: oldModule, new: kernels.module }
  // On more threads the helpers are started again on the build's module (they instantiate the one they are given).
  const use = async (which: 'old' | 'new') => {
    kernels.kernels = builds[which]
    if (threads < 2 || kernels.module === modules[which]) return
    kernels.module = modules[which]
    await useThreads(1)
    await useThreads(threads)
  }
  const x = reuseKernelTensor(undefined, [100, 1, 28, 28], 'float32')
  const labels = new Uint8Array(100)
  const infer = () => {
    for (let done = 0; done < 1000; done += 100) {
      gatherRange(trainer.train, done, x, labels)
      trainer.network.infer(x)
    }
  }
  for (const which of ['old', 'new'] as const) {
    await use(which)
    for (let i = 0; i < 3; i++) if (what === 'step') trainer.step()
    if (what === 'infer') infer()
  }
  await alternate(
    what === 'step' ? `${net} step` : `${net} infer, 1,000 images`,
    () => {
      for (let i = 0; i < block; i++) if (what === 'step') trainer.step()
      if (what === 'infer') for (let i = 0; i < block; i++) infer()
    },
    block,
    use
  )
  await use('new')
}

/** [kind, rows, reduction, columns]: `wf` Winograd's products (A's rows adjacent), `mm` an affine layer's (A row-major), `wg` Winograd's dW (long reduction). */
const SHAPES: [string, number, number, number][] = [
  ['wf', 49, 16, 16],
  ['wf', 490, 16, 16],
  ['wf', 480, 16, 32],
  ['wf', 480, 32, 32],
  ['wf', 8, 32, 64],
  ['wf', 400, 64, 64],
  ['mm', 490, 16, 16],
  ['mm', 400, 64, 64],
  ['wg', 16, 4900, 16],
  ['wg', 64, 400, 64]
]

async function products(): Promise<void> {
  // Creating the engine's kernels turns relaxed SIMD on where Node needs a flag for it (f32/relaxed-simd.ts).
  if (!wasmF32Kernels()) throw new Error('no float32 kernels here')
  const instances = { old: fusedBytes(oldPath), new: new Uint8Array(Buffer.from(F32_KERNELS_SHARED_FMA_WASM, 'base64')) }
  const built = (bytes: Uint8Array<ArrayBuffer>) => {
    const memory = new WebAssembly.Memory({ initial: 256, maximum: 32768, shared: true })
    return { memory, k: new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as KernelExports }
  }
  const builds = { old: built(instances.old), new: built(instances.new) }
  for (const [kind, rows, steps, cols] of SHAPES) {
    const calls = Object.fromEntries(
      (['old', 'new'] as const).map((which) => {
        const { memory, k } = builds[which]
        const floats = new Float32Array(memory.buffer)
        const a = 1 << 20
        const b = a + (rows * steps + 64) * 4
        const panels = b + (steps * cols + 64) * 4
        const c = panels + (Math.ceil(cols / 8) * 8 * steps + 64) * 4
        for (let i = 0; i < (c - a) / 4; i++) floats[a / 4 + i] = ((i * 7919) % 1000) / 1000 - 0.5
        k.pack(b, cols, steps, cols, panels, 0, Math.ceil(cols / 8))
        const call =
          kind === 'wf'
            ? () => k.gemm(a, 1, rows, steps, panels, c, cols, 0, 0, rows)
            : kind === 'mm'
              ? () => k.gemmRowMajorB(a, steps, 1, steps, b, c, cols, 0, 0, rows)
              : () => k.gemm(a, steps, 1, steps, panels, c, cols, 0, 0, rows)
        return [which, call]
      })
    ) as Record<'old' | 'new', () => void>
    const reps = Math.ceil(1e9 / (2 * rows * steps * cols))
    // Untimed first: the modules' functions move up to V8's optimising tier while they run.
    for (const which of ['old', 'new'] as const) for (let i = 0; i < reps / 2; i++) calls[which]()
    await alternate(
      `${kind} ${rows}×${steps}×${cols}`,
      (which) => {
        for (let i = 0; i < reps; i++) calls[which]()
      },
      1
    )
  }
}

async function main(): Promise<void> {
  if (!oldPath)
    throw new Error(
      'usage: npx tsx bench/kernels-ab.ts OLD-compiled-module.ts [--what step|infer|gemm] [--net cnn-deep] [--threads 1] [--rounds 10] [--block 5]'
    )
  if (what === 'gemm') await products()
  else await network()
  process.exit(0)
}

void main()
