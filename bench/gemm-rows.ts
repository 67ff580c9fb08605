/**
 * GFLOP/s of the engine's matrix product C = A·B (m×k)(k×n) on the shapes the benched nets use, with the
 * default kernels (`engine`: float32 on one thread and on every core, float64) and the plain TypeScript
 * ones (`engine-ts`, float32), dense random operands (no zeros to skip). The engine's float32 operands
 * live in the kernels' memory (kernelFloats), as a layer's matrices do, so no copies are timed; float64
 * and TypeScript operands are ordinary arrays. 2·m·k·n flops per product, fastest of a few runs (see bench/gemm.ts for all
 * three products of each layer and the zero-skipping cases).
 */
import { Random } from '../src/engine/core/random'
import { backendKind, kernelFloats, matmul, setBackend, type BackendKind } from '../src/engine/kernels/backend'
import { availableParallelism } from 'node:os'
import type { NetId } from './peers/types'
import { useThreads } from './engine-steps'

export interface GemmShape {
  m: number
  k: number
  n: number
  net: NetId
  what: string
}

export const GEMM_SHAPES: GemmShape[] = [
  { m: 100, k: 784, n: 40, net: 'vg-relu-he', what: 'first affine layer' },
  { m: 57600, k: 25, n: 30, net: 'cnn-simple', what: 'conv 30 5×5 on 24×24 maps (im2col)' },
  { m: 100, k: 4320, n: 100, net: 'cnn-simple', what: 'affine 4,320 → 100' },
  { m: 78400, k: 144, n: 16, net: 'cnn-deep', what: 'conv 2 (16 → 16, 28×28)' },
  { m: 6400, k: 576, n: 64, net: 'cnn-deep', what: 'conv 6 (64 → 64, 8×8)' }
]

export interface GemmRow {
  name: string
  impl: 'engine' | 'engine-ts'
  backend: BackendKind
  gflops: number
  dtype: 'float32' | 'float64'
  threads: number
  what: string
}

/** The variants timed per shape: float32 on one thread (the per-thread figure), on every core, float64, TS. */
const VARIANTS = [
  { impl: 'engine', dtype: 'float32', threads: 1 },
  { impl: 'engine', dtype: 'float32', threads: availableParallelism() },
  { impl: 'engine', dtype: 'float64', threads: 1 },
  { impl: 'engine-ts', dtype: 'float32', threads: 1 }
] as const

export async function gemmRows(nets: NetId[], quick: boolean): Promise<GemmRow[]> {
  const random = new Random(11)
  const rows: GemmRow[] = []
  for (const s of GEMM_SHAPES.filter((s) => nets.includes(s.net))) {
    const values = (count: number) => Float64Array.from({ length: count }, () => random.normal())
    const a64 = values(s.m * s.k)
    const b64 = values(s.k * s.n)
    const flops = 2 * s.m * s.k * s.n
    const reps = Math.max(2, Math.min(quick ? 10 : 50, Math.round((quick ? 2e8 : 1e9) / flops)))
    for (const variant of VARIANTS.filter((v, i) => i !== 1 || v.threads > 1)) {
      const f32 = variant.dtype === 'float32'
      setBackend(variant.impl === 'engine' ? 'auto' : 'ts')
      // The engine's float32 matrices live in the kernels' memory (kernelFloats gives a plain array elsewhere).
      const f32Array = (values: Float64Array) => {
        const array = (variant.impl === 'engine' ? kernelFloats('float32', values.length) : new Float32Array(values.length)) as Float32Array
        array.set(values)
        return array
      }
      const a = f32 ? f32Array(a64) : a64
      const b = f32 ? f32Array(b64) : b64
      const c = f32 ? f32Array(new Float64Array(s.m * s.n)) : new Float64Array(s.m * s.n)
      const threads = variant.impl === 'engine' ? await useThreads(variant.threads) : 1
      const start = performance.now()
      for (let i = 0; i < 3 || performance.now() - start < (quick ? 30 : 100); i++) matmul(a, b, c, s.m, s.k, s.n) // V8/wasm tier-up
      let best = Infinity
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now()
        matmul(a, b, c, s.m, s.k, s.n)
        best = Math.min(best, performance.now() - t0)
      }
      rows.push({
        name: `gemm ${s.m}x${s.k}x${s.n}`,
        impl: variant.impl,
        backend: backendKind(),
        gflops: flops / best / 1e6,
        dtype: variant.dtype,
        threads,
        what: `${s.net} ${s.what}`
      })
    }
  }
  setBackend('auto')
  await useThreads(1)
  return rows
}
