/**
 * `npm run bench [-- --json] [--quick] [--only vg-relu-he,cnn-simple] [--memory] [--whole-runs]`:
 * the engine against its peers in one run — seconds per training step and per 100-image evaluation
 * (batch 100) of vg-relu-he, cnn-simple and cnn-deep for the engine (default path; plain TypeScript
 * kernels; float64), PyTorch on the CPU (float32, at the engine's thread counts, each net right after
 * the engine's rows for it), the course's numpy (float32, float64, one BLAS thread) and TensorFlow.js on its
 * WebAssembly backend; GFLOP/s of the engine's matrix product on those nets' shapes; and the ratios
 * (compare ratios, not absolute times: these machines are noisy). `--json`: only JSON lines on stdout
 * (progress on stderr; `npm run -s bench -- --json` also drops npm's own "> gradient-lab bench" banner).
 * A peer that cannot run is reported in one line and skipped.
 * Writes bench/results/latest.json.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { BUNDLED_MNIST_DIR } from '../src/cli/engine-connection'
import { decodeMnist } from '../src/engine/data/mnist'
import type { ImageDataset } from '../src/engine/data/image-set'
import { readIdxDirectory } from '../src/engine/hosts/node/read-idx-dir'
import { availableParallelism, loadavg } from 'node:os'
import { engineRow, presetWallTimes, useThreads, type Reps } from './engine-steps'
import { gemmRows } from './gemm-rows'
import { NUMPY_REFERENCE_DIR } from './numpy-baseline'
import { runNumpy } from './peers/numpy'
import { pytorchAvailable, runPytorch } from './peers/pytorch'
import { runTfjsWasm } from './peers/tfjs-wasm'
import { NET_IDS, type Impl, type NetId, type PeerResult } from './peers/types'
import { median, printHuman, printJson, ratios, type BenchRow } from './report'
import { writeFullSizeSet } from './synth-mnist'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'

installWasmBackends() // a benchmark is an engine host: it times the WebAssembly kernels, as the app runs them

const ROOT = resolve(import.meta.dirname, '..')
const argv = process.argv.slice(2)
const json = argv.includes('--json')
const quick = argv.includes('--quick')
const onlyArg = argv.includes('--only') ? (argv[argv.indexOf('--only') + 1] ?? '') : argv.find((a) => a.startsWith('--only='))?.slice(7)

// With --json, stdout carries JSON lines only: anything a library logs goes to stderr.
if (json) console.log = console.error
const progress = (text: string) => process.stderr.write(`bench: ${text}\n`)

function selectedNets(): NetId[] {
  if (onlyArg === undefined) return [...NET_IDS]
  const ids = onlyArg
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const unknown = ids.filter((id) => !(NET_IDS as readonly string[]).includes(id))
  if (unknown.length > 0 || ids.length === 0) {
    process.stderr.write(`bench: --only takes a comma-separated list of ${NET_IDS.join(', ')} (got "${onlyArg}")\n`)
    process.exit(2)
  }
  return NET_IDS.filter((id) => ids.includes(id))
}

/**
 * Steps ≥ 20 after warm-up (9 for cnn-deep; the MLP's millisecond steps get more); --quick: a few. The
 * warm-up lasts about a second per row: V8 optimizes JavaScript and WebAssembly in the background after
 * some calls, and the first row measured (2 threads) used to pay for it (its medians varied by ±20 %).
 */
function repsFor(id: NetId): Reps {
  if (id === 'cnn-deep') return quick ? { warmup: 1, steps: 3, evals: 3 } : { warmup: 10, steps: 9, evals: 9 }
  if (id === 'cnn-simple') return quick ? { warmup: 2, steps: 5, evals: 5 } : { warmup: 40, steps: 21, evals: 21 }
  return quick ? { warmup: 20, steps: 21, evals: 21 } : { warmup: 2000, steps: 101, evals: 101 }
}

/**
 * Rounds of the engine's float32 rows and PyTorch's, alternating: three for cnn-deep, whose ratio to PyTorch is
 * near 1 and would otherwise hang on which minute each was timed in; one elsewhere (--quick: one).
 */
function roundsFor(id: NetId): number {
  return id === 'cnn-deep' && !quick ? 3 : 1
}

function memoryOf(dir: string): number {
  const probe = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench/memory-probe.ts'), dir], { encoding: 'utf8', cwd: ROOT })
  if (probe.status !== 0) throw new Error(`memory probe failed: ${probe.stderr}`)
  return (JSON.parse(probe.stdout) as { engineBytes: number }).engineBytes
}

function datasetMemory(dataset: ImageDataset) {
  const fullDir = mkdtempSync(join(tmpdir(), 'mnist-70k-'))
  try {
    writeFullSizeSet(fullDir, dataset.train, dataset.test)
    return { bundledBytes: memoryOf(BUNDLED_MNIST_DIR), fullSizeBytes: memoryOf(fullDir) }
  } finally {
    rmSync(fullDir, { recursive: true, force: true })
  }
}

/** Real digits for tfjs (as the engine trains on): the first 1,000 training images in [0, 1]. */
function tfjsInputs(dataset: ImageDataset) {
  const count = Math.min(1000, dataset.train.count)
  const pixels = Float32Array.from(dataset.train.images.subarray(0, count * 784), (v) => v / 255)
  return { pixels, labels: dataset.train.labels.slice(0, count) }
}

async function main(): Promise<void> {
  const started = performance.now()
  const nets = selectedNets()
  const dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  const rows: BenchRow[] = []
  const notes: string[] = []
  const skipped: Record<string, string> = {}

  const addPeer = (impl: Impl, result: PeerResult, reps: (id: NetId) => { steps: number; evals: number }) => {
    if ('skipped' in result) {
      skipped[impl] = result.skipped
      notes.push(`${impl} skipped: ${result.skipped}`)
      progress(`${impl} skipped: ${result.skipped}`)
      return
    }
    for (const r of result.rows)
      rows.push({
        name: r.name,
        impl,
        threads: result.threads,
        dtype: result.dtype,
        stepSeconds: r.stepSeconds,
        evalSeconds: r.evalSeconds,
        steps: reps(r.name).steps,
        evals: reps(r.name).evals
      })
    notes.push(...result.notes)
  }

  // PyTorch is timed beside the engine's float32 rows for each net, in rounds that alternate the two (this
  // machine's speed drifts by ~20 % within minutes), at the engine's float32 thread counts, with the engine's
  // warm-up and repetition counts; a row's figures are the median of its rounds' medians.
  const torch = pytorchAvailable()
  const torchThreads = [...new Set([availableParallelism(), 1])]
  const torchInputs = tfjsInputs(dataset)
  if ('skipped' in torch) addPeer('pytorch', torch, repsFor)

  // The engine: the default path first (float32 on every core, what a user gets; the ratios use it),
  // then float32 on one thread, each round followed by PyTorch; then float64 (the course precision: its
  // kernels use one thread) and the TS kernels.
  const cores = availableParallelism()
  for (const id of nets) {
    const reps = repsFor(id)
    const rounds = roundsFor(id)
    const float32Threads = [cores, ...(cores > 1 ? [1] : [])]
    const measured = new Map<string, { row: Omit<BenchRow, 'stepSeconds' | 'evalSeconds'>; step: number[]; eval: number[] }>()
    const record = (key: string, row: Omit<BenchRow, 'stepSeconds' | 'evalSeconds'>, stepSeconds: number, evalSeconds: number) => {
      const entry = measured.get(key) ?? { row, step: [], eval: [] }
      entry.step.push(stepSeconds)
      entry.eval.push(evalSeconds)
      measured.set(key, entry)
    }
    for (let round = 1; round <= rounds; round++) {
      const of = rounds > 1 ? `, round ${round} of ${rounds}` : ''
      for (const wanted of float32Threads) {
        progress(`engine ${id} (float32, ${wanted} thread${wanted > 1 ? 's' : ''}${of})`)
        const threads = await useThreads(wanted)
        const row = engineRow(id, dataset, reps)
        record(
          `engine ${wanted}`,
          { name: id, impl: 'engine', threads, dtype: row.dtype, steps: reps.steps, evals: reps.evals },
          row.stepSeconds,
          row.evalSeconds
        )
      }
      if (!('skipped' in torch) && !skipped.pytorch) {
        progress(`pytorch ${id} (float32, ${torchThreads.join(' and ')} thread(s)${of})`)
        const result = runPytorch([id], torchThreads, torchInputs.pixels, torchInputs.labels, repsFor)
        if ('skipped' in result) addPeer('pytorch', result, repsFor)
        else {
          for (const r of result.rows)
            record(
              `pytorch ${r.threads}`,
              { name: r.name, impl: 'pytorch', threads: r.threads, dtype: 'float32', steps: reps.steps, evals: reps.evals },
              r.stepSeconds,
              r.evalSeconds
            )
          if (!notes.includes(result.note)) notes.push(result.note)
        }
      }
    }
    const perRound = [...measured.values()].filter((m) => m.step.length > 1)
    if (perRound.length > 0)
      notes.push(
        `${id} rounds, step ms each round: ` +
          perRound
            .map((m) => `${m.row.impl} ${m.row.threads} thread${m.row.threads > 1 ? 's' : ''} ${m.step.map((v) => (v * 1000).toFixed(1)).join(', ')}`)
            .join('; ')
      )
    for (const { row, step, eval: evals } of measured.values()) {
      rows.push({
        ...row,
        stepSeconds: median(step),
        evalSeconds: median(evals),
        steps: (row.steps ?? 0) * step.length,
        evals: (row.evals ?? 0) * evals.length,
        ...(step.length > 1 ? { roundStepSeconds: step, roundEvalSeconds: evals } : {})
      })
    }
    for (const variant of [
      { label: 'float64', options: { precision: 'float64' as const } },
      { label: 'TypeScript kernels', options: { ts: true } }
    ]) {
      progress(`engine ${id} (${variant.label})`)
      await useThreads(1)
      const row = engineRow(id, dataset, reps, variant.options)
      rows.push({
        name: id,
        impl: 'ts' in variant.options ? 'engine-ts' : 'engine',
        threads: 1,
        dtype: row.dtype,
        stepSeconds: row.stepSeconds,
        evalSeconds: row.evalSeconds,
        steps: reps.steps,
        evals: reps.evals
      })
    }
  }
  await useThreads(1)

  // numpy: bench_step.py --reps r times MLP 20·r steps, SimpleConvNet 3·r, DeepConvNet r.
  const numpyReps = quick ? 3 : 9
  const numpyCounts = (id: NetId) => {
    const n = id === 'vg-relu-he' ? 20 * numpyReps : id === 'cnn-simple' ? 3 * numpyReps : numpyReps
    return { steps: n, evals: n }
  }
  for (const dtype of ['float32', 'float64'] as const) {
    progress(`numpy ${dtype} (${NUMPY_REFERENCE_DIR})`)
    addPeer(dtype === 'float32' ? 'numpy-f32' : 'numpy-f64', runNumpy(nets, dtype, numpyReps), numpyCounts)
  }

  progress('tfjs-wasm')
  const { pixels, labels } = tfjsInputs(dataset)
  const tfjsReps = (id: NetId) => ({ ...repsFor(id), warmup: id === 'cnn-deep' ? 1 : repsFor(id).warmup })
  addPeer('tfjs-wasm', await runTfjsWasm(nets, pixels, labels, tfjsReps), repsFor)

  progress('gemm')
  const gemm = await gemmRows(nets, quick)

  const order: Impl[] = ['engine', 'engine-ts', 'pytorch', 'numpy-f32', 'numpy-f64', 'tfjs-wasm']
  rows.sort((a, b) => nets.indexOf(a.name) - nets.indexOf(b.name) || order.indexOf(a.impl) - order.indexOf(b.impl))
  const ratioRows = ratios(rows)
  notes.push(
    'Inputs: the engine, pytorch and tfjs-wasm train on real digits (the engine skips zero pixels); numpy on random pixels (its cost does not depend on values).'
  )
  notes.push(
    `Every ratio compares rows of this one run (pytorch timed right after the engine's float32 rows on each net, in alternating rounds on cnn-deep): this machine has ${availableParallelism()} cores and other work may run on it ` +
      `(load average at the end ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}), so absolute times move from run to run; compare ratios.`
  )

  const extra: object[] = []
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, quick, nets, rows, gemm, ratios: ratioRows, notes, skipped }
  if (argv.includes('--whole-runs')) {
    progress('whole vg-relu-he runs')
    const runs = presetWallTimes(dataset)
    results.presetRuns = runs
    for (const r of runs)
      notes.push(`whole run ${r.preset} seed ${r.seed}: ${r.iterations} iterations, train ${r.trainAcc}, test ${r.testAcc}, ${(r.wallMs / 1000).toFixed(1)} s`)
    extra.push(...runs.map((r) => ({ name: `whole-run ${r.preset}`, ...r })))
  }
  if (argv.includes('--memory')) {
    progress('dataset memory')
    const memory = datasetMemory(dataset)
    results.memory = memory
    const mb = (b: number) => (b / 1024 / 1024).toFixed(1)
    notes.push(`Engine memory for a loaded dataset: bundled 10,000 images ${mb(memory.bundledBytes)} MiB; 70,000 images ${mb(memory.fullSizeBytes)} MiB`)
    extra.push({ name: 'dataset memory', impl: 'engine', ...memory })
  }

  const seconds = (performance.now() - started) / 1000
  results.seconds = seconds
  if (json) printJson(rows, gemm, ratioRows, extra)
  else {
    const header =
      `Gradient Lab bench: batch 100, node ${process.version}, ${new Date().toISOString()}${quick ? ', --quick' : ''}, ${seconds.toFixed(0)} s. ` +
      'Medians of timed training steps (after warm-up) and of 100-image evaluations (forward only).'
    printHuman(header, rows, gemm, ratioRows, notes)
  }
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true })
  writeFileSync(join(ROOT, 'bench/results/latest.json'), JSON.stringify(results, null, 2) + '\n')
  progress(`done in ${seconds.toFixed(0)} s; bench/results/latest.json written`)
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
