/**
 * `npx tsx bench/gemm.ts [--quick] [--only TEXT]`: GFLOP/s of the TypeScript and the WebAssembly SIMD
 * matrix products on the shapes the engine uses, measured in the same run (compare the ratios; these
 * machines are noisy, so each figure is the fastest of several alternating runs).
 * Shapes are m×k×n as gemm.ts's arguments: A·B = (m×k)(k×n), Aᵀ·B = (m×k)ᵀ(m×n), A·Bᵀ = (m×n)(k×n)ᵀ,
 * i.e. an affine layer x (m×k) · W (k×n)'s forward, weight-gradient and input-gradient products.
 * GFLOP/s counts the dense 2·m·k·n even where zero-skipping does less work. "copies" is the share of the
 * wasm time spent copying operands in and the result out (timed separately as plain typed-array copies).
 */
import { BUNDLED_MNIST_DIR } from '../src/cli/engine-connection'
import { Random } from '../src/engine/core/random'
import { decodeMnist } from '../src/engine/data/mnist'
import { readIdxDirectory } from '../src/engine/hosts/node/read-idx-dir'
import { backendKind, matmul, matmulTransA, matmulTransB, setBackend } from '../src/engine/kernels/backend'
import { timeIt } from './timing'
import { installWasmBackends } from '../src/engine/kernels/install-wasm-backends'

installWasmBackends() // a benchmark is an engine host: it times the WebAssembly kernels, as the app runs them

type Op = 'A·B' | 'Aᵀ·B' | 'A·Bᵀ'
interface Case {
  label: string
  op: Op
  m: number
  k: number
  n: number
  /** The left operand (the one whose zeros are skipped). */
  left: Float64Array
  right: Float64Array
}

const random = new Random(11)
const dense = (size: number) => Float64Array.from({ length: size }, () => random.normal())
/** ReLU-like: about half exact zeros. */
const halfZero = (size: number) => Float64Array.from({ length: size }, () => Math.max(0, random.normal()))

async function mnistPixels(images: number): Promise<Float64Array> {
  const dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
  return Float64Array.from(dataset.train.images.subarray(0, images * 784), (v) => v / 255)
}

/** One affine layer x (m×k) · W (k×n): its forward, weight-gradient and input-gradient products. */
function layerCases(name: string, m: number, k: number, n: number, x: Float64Array): Case[] {
  return [
    { label: name, op: 'A·B', m, k, n, left: x, right: dense(k * n) },
    { label: name, op: 'Aᵀ·B', m, k, n, left: x, right: halfZero(m * n) },
    { label: name, op: 'A·Bᵀ', m, k, n, left: halfZero(m * n), right: dense(k * n) }
  ]
}

/**
 * conv2d.ts's three products for 30 5×5 filters on a batch of 100 MNIST images (57,600 output positions):
 * forward col·Wᵀ, weight gradient doutᵀ·col, input gradient dout·W (then col2im).
 */
function convCases(images: Float64Array): Case[] {
  const [m, k, n] = [100 * 24 * 24, 30, 25] // positions, filters, taps
  const col = new Float64Array(m * n)
  for (let img = 0, row = 0; img < 100; img++)
    for (let y = 0; y < 24; y++)
      for (let x = 0; x < 24; x++, row++) for (let t = 0; t < n; t++) col[row * n + t] = images[img * 784 + (y + Math.floor(t / 5)) * 28 + x + (t % 5)]
  const label = 'conv1 im2col, 30 filters'
  return [
    { label, op: 'A·Bᵀ', m, k, n, left: col, right: dense(k * n) },
    { label, op: 'Aᵀ·B', m, k, n, left: halfZero(m * k), right: col },
    { label, op: 'A·B', m, k, n, left: halfZero(m * k), right: dense(k * n) }
  ]
}

function run(c: Case): void {
  const { m, k, n, left, right } = c
  const out = new Float64Array(Math.max(m * n, k * n, m * k))
  if (c.op === 'A·B') matmul(left, right, out, m, k, n)
  else if (c.op === 'Aᵀ·B') matmulTransA(left, right, out, m, k, n)
  else matmulTransB(left, right, out, m, n, k)
}

/**
 * Runs `fn` for ~150 ms first: V8 starts wasm (and JS) on a baseline compiler and moves hot functions
 * to the optimising one only after enough calls, which small products need many of.
 */
function warmUp(fn: () => void): void {
  const start = performance.now()
  for (let i = 0; i < 5 || performance.now() - start < 150; i++) fn()
}

/** Plain copies of the same sizes the wasm path moves (operands in, output zeroed and out). */
function copyCost(c: Case, reps: number): number {
  const { m, k, n } = c
  const outSize = c.op === 'A·B' ? m * n : c.op === 'Aᵀ·B' ? k * n : m * k
  const arena = new Float64Array(c.left.length + c.right.length + outSize)
  const result = new Float64Array(outSize)
  return timeIt(() => {
    arena.set(c.left, 0)
    arena.set(c.right, c.left.length)
    arena.fill(0, c.left.length + c.right.length)
    result.set(arena.subarray(c.left.length + c.right.length))
  }, reps).minMs
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick')
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : ''
  const pixels = await mnistPixels(500)
  const cases: Case[] = [
    ...layerCases('MNIST pixels', 100, 784, 40, pixels.subarray(0, 100 * 784)),
    ...layerCases('dense', 100, 784, 40, dense(100 * 784)),
    ...layerCases('hidden (ReLU, half zeros)', 100, 40, 20, halfZero(100 * 40)),
    ...layerCases('MNIST pixels', 500, 784, 100, pixels),
    ...convCases(pixels),
    ...layerCases('conv features (half zeros)', 100, 4320, 100, halfZero(100 * 4320))
  ]
  setBackend('wasm') // throws here rather than silently timing TypeScript twice
  console.log(`gemm GFLOP/s (2·m·k·n per product), float64, one thread, node ${process.version}`)
  console.log('operands                    m×k×n        product  TS GFLOP/s  wasm GFLOP/s  wasm/TS  copies')
  for (const c of cases.filter((c) => `${c.label} ${c.m}×${c.k}×${c.n} ${c.op}`.includes(only))) {
    const flops = 2 * c.m * c.k * c.n
    const reps = Math.max(3, Math.min(quick ? 30 : 200, Math.round(2e9 / flops)))
    const best = { ts: Infinity, wasm: Infinity }
    for (const backend of ['ts', 'wasm'] as const) {
      setBackend(backend)
      warmUp(() => run(c))
    }
    // Alternate the backends and keep each one's fastest run: other work on the machine only ever adds time.
    for (let round = 0; round < 3; round++) {
      for (const backend of ['ts', 'wasm'] as const) {
        setBackend(backend)
        best[backend] = Math.min(best[backend], timeIt(() => run(c), reps, 0).minMs)
      }
    }
    const tsMs = best.ts
    const wasmMs = best.wasm
    const copies = copyCost(c, reps) / wasmMs
    const gflops = (ms: number) => (flops / ms / 1e6).toFixed(2).padStart(10)
    const shape = `${c.m}×${c.k}×${c.n}`
    console.log(
      `${c.label.padEnd(27)} ${shape.padEnd(12)} ${c.op.padEnd(7)} ${gflops(tsMs)}  ${gflops(wasmMs)}    ${(tsMs / wasmMs).toFixed(2).padStart(5)}×  ${(copies * 100).toFixed(0).padStart(4)} %`
    )
  }
  setBackend('auto')
  console.log(`(default backend here: ${backendKind()})`)
}

void main()
