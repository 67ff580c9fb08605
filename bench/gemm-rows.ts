/**
 * GFLOP/s of the engine's matrix product C = A·B (m×k)(k×n) on the shapes the benched nets use, with the
 * default kernels (`engine`) and the plain TypeScript ones (`engine-ts`), float64, dense random operands
 * (no zeros to skip), 2·m·k·n flops per product, fastest of a few runs (see bench/gemm.ts for all
 * three products of each layer and the zero-skipping cases).
 */
import { Random } from '../src/engine/core/random'
import { gemmBackend, matmul, setGemmBackend, type GemmBackend } from '../src/engine/kernels/gemm'
import type { NetId } from './peers/types'

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
  backend: GemmBackend
  gflops: number
  dtype: 'float64'
  what: string
}

export function gemmRows(nets: NetId[], quick: boolean): GemmRow[] {
  const random = new Random(11)
  const rows: GemmRow[] = []
  for (const s of GEMM_SHAPES.filter((s) => nets.includes(s.net))) {
    const a = Float64Array.from({ length: s.m * s.k }, () => random.normal())
    const b = Float64Array.from({ length: s.k * s.n }, () => random.normal())
    const c = new Float64Array(s.m * s.n)
    const flops = 2 * s.m * s.k * s.n
    const reps = Math.max(2, Math.min(quick ? 10 : 50, Math.round((quick ? 2e8 : 1e9) / flops)))
    for (const impl of ['engine', 'engine-ts'] as const) {
      setGemmBackend(impl === 'engine' ? 'auto' : 'ts')
      const start = performance.now()
      for (let i = 0; i < 3 || performance.now() - start < (quick ? 30 : 100); i++) matmul(a, b, c, s.m, s.k, s.n) // V8/wasm tier-up
      let best = Infinity
      for (let i = 0; i < reps; i++) {
        const t0 = performance.now()
        matmul(a, b, c, s.m, s.k, s.n)
        best = Math.min(best, performance.now() - t0)
      }
      rows.push({ name: `gemm ${s.m}x${s.k}x${s.n}`, impl, backend: gemmBackend(), gflops: flops / best / 1e6, dtype: 'float64', what: `${s.net} ${s.what}` })
    }
  }
  setGemmBackend('auto')
  return rows
}
