import { afterAll, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { nodeKernelThreads } from '../../../src/engine/hosts/node/kernel-threads'
import { createWasmGemmF32 } from '../../../src/engine/kernels/f32/kernels'
import { packPanels, panelFloats, runProduct } from '../../../src/engine/kernels/f32/products'

/*
 * The float32 products' order of summation (assembly/f32/products.ts), bit for bit: each element of C is
 * its terms added one at a time in reduction order, from +0, or from C's value when accumulating; a term
 * is one fused multiply-add (one rounding) in the relaxed-SIMD build, else a float32 multiply then an add.
 * The kernel's tiles (five rows where A's rows are adjacent, four, one), its 256-step chunks and its
 * 8-column panels must all give exactly those sums: row counts of every remainder of 5 and 4, ranges that
 * start anywhere, reductions at the chunks' edges, widths not a multiple of 8, one thread or two.
 */

const kernels = createWasmGemmF32()!
afterAll(() => kernels.setThreads(null, 1))

const float = new Float32Array(1)
const bits = new Uint32Array(float.buffer)

/** The float32 next to float32 r, on the side of x (x ≠ r, both finite). */
function nextToward(r: number, x: number): number {
  if (r === 0) return x > 0 ? 2 ** -149 : -(2 ** -149)
  float[0] = r
  bits[0] += x > r === r > 0 ? 1 : -1
  return float[0]
}

/** a·b + c rounded once to float32 (a, b, c float32): a·b is exact in float64, the sum's error exact by TwoSum. */
function fusedMultiplyAdd(a: number, b: number, c: number): number {
  const p = a * b
  const s = p + c
  const v = s - p
  const error = p - (s - v) + (c - v)
  const r = Math.fround(s)
  if (error === 0 || r === s) return r
  // s is float64's nearest to the exact sum: only when s is a tie between two float32s may the exact sum lie on the other side.
  const other = nextToward(r, s)
  if (r + other !== 2 * s) return r
  return error > 0 === other > s ? other : r
}

const term = (fused: boolean) => (a: number, b: number, x: number) => (fused ? fusedMultiplyAdd(a, b, x) : Math.fround(x + Math.fround(a * b)))

/** A's layout: element (i, s) at i·rowStride + s·stepStride. */
interface Layout {
  name: string
  rowStride: (rows: number, steps: number) => number
  stepStride: (rows: number, steps: number) => number
}

const LAYOUTS: Layout[] = [
  // Winograd's V and Aᵀ: the kernel's five-row tile
  { name: 'adjacent rows', rowStride: () => 1, stepStride: (rows) => rows + 3 },
  { name: 'row-major', rowStride: (_, steps) => steps + 2, stepStride: () => 1 },
  { name: 'strided', rowStride: () => 2, stepStride: (rows) => 2 * rows + 1 }
]

interface Case {
  a: Float32Array
  rowStride: number
  stepStride: number
  steps: number
  /** B, steps × cols row-major. */
  b: Float32Array
  rows: number
  cols: number
  /** C's values before the call: what an accumulating call adds to, and what rows outside the range must keep. */
  before: Float32Array
  accumulate: boolean
}

const random = new Random(11)

function makeCase(layout: Layout, rows: number, steps: number, cols: number, accumulate: boolean): Case {
  const rowStride = layout.rowStride(rows, steps)
  const stepStride = layout.stepStride(rows, steps)
  const aLength = rows === 0 || steps === 0 ? 1 : (rows - 1) * rowStride + (steps - 1) * stepStride + 1
  // Some exact zeros and values of every size, so that orders of summation part in their last bits.
  const value = () => (random.uniform() < 0.2 ? 0 : Math.fround(random.normal() * 2 ** Math.floor(random.uniform() * 12 - 6)))
  const a = Float32Array.from({ length: aLength }, value)
  const b = Float32Array.from({ length: steps * cols }, value)
  const before = accumulate ? Float32Array.from({ length: rows * cols }, value) : new Float32Array(rows * cols).fill(Number.NaN)
  return { a, rowStride, stepStride, steps, b, rows, cols, before, accumulate }
}

/** C rows [rowStart, rowEnd) summed here in the kernel's order; the other rows as they were. */
function expected(k: Case, rowStart: number, rowEnd: number, fused: boolean): Float32Array {
  const add = term(fused)
  const c = k.before.slice()
  for (let i = rowStart; i < rowEnd; i++) {
    for (let j = 0; j < k.cols; j++) {
      let x = k.accumulate ? k.before[i * k.cols + j] : 0
      for (let s = 0; s < k.steps; s++) x = add(k.a[i * k.rowStride + s * k.stepStride], k.b[s * k.cols + j], x)
      c[i * k.cols + j] = x
    }
  }
  return c
}

/**
 * The kernel's C: gemm on B packed into panels, or gemmRowMajorB on B in place, rows [rowStart, rowEnd) in one call;
 * 'split': all rows through runProduct (packed B), which splits them between the active threads.
 */
function kernelC(k: Case, mode: 'packed' | 'rowMajor' | 'split', rowStart = 0, rowEnd = k.rows): Float32Array {
  // B gets 8 floats of slack: gemmRowMajorB's last panel reads past a row's end.
  const [aAt, bAt, pAt, cAt] = kernels.layout([
    [null, k.a.length],
    [null, k.b.length + 8],
    [null, panelFloats(k.cols, k.steps)],
    [null, k.rows * k.cols]
  ])!
  kernels.put(k.a, aAt, k.a.length)
  kernels.put(k.b, bAt, k.b.length)
  kernels.put(k.before, cAt, k.before.length)
  const accumulate = k.accumulate ? 1 : 0
  if (mode !== 'rowMajor') packPanels(kernels, bAt, k.cols, k.steps, k.cols, pAt)
  if (mode === 'split') runProduct(kernels, aAt, k.rowStride, k.stepStride, k.steps, pAt, cAt, k.cols, k.rows, k.accumulate)
  else if (mode === 'packed') {
    kernels.kernels.gemm(aAt, k.rowStride, k.stepStride, k.steps, pAt, cAt, k.cols, accumulate, rowStart, rowEnd)
  } else {
    kernels.kernels.gemmRowMajorB(aAt, k.rowStride, k.stepStride, k.steps, bAt, cAt, k.cols, accumulate, rowStart, rowEnd)
  }
  const c = new Float32Array(k.rows * k.cols)
  kernels.take(c, cAt, c.length)
  return c
}

/** The first element whose bits differ, or −1. */
function firstDifference(x: Float32Array, y: Float32Array): number {
  const u = new Uint32Array(x.buffer, x.byteOffset, x.length)
  const v = new Uint32Array(y.buffer, y.byteOffset, y.length)
  for (let i = 0; i < u.length; i++) if (u[i] !== v[i]) return i
  return u.length === v.length ? -1 : u.length
}

// Rows: every remainder of 5 (five-row tiles, the last 8 or 12 rows in fours) and of 4, and cnn-deep's 49 tiles a map.
const ROWS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 49]
// Steps: empty, one, around 16 (cnn-deep's channels) and around a chunk (256).
const STEPS = [0, 1, 15, 16, 17, 255, 256, 257]
const COLS = [1, 5, 8, 13, 16, 17, 24]

describe('float32 products: the order of summation, bit for bit', () => {
  it('run the fused build here (so the reference below adds fused terms)', () => {
    expect(kernels.fusedMultiplyAdd).toBe(true)
  })

  for (const layout of LAYOUTS) {
    for (const accumulate of [false, true]) {
      it(`${layout.name} A, ${accumulate ? 'accumulating' : 'from +0'}: every tile, chunk and panel edge, B packed and in place, whole and partial row ranges`, () => {
        let n = 0
        for (const rows of ROWS) {
          for (const steps of STEPS) {
            const cols = COLS[n++ % COLS.length]
            const k = makeCase(layout, rows, steps, cols, accumulate)
            for (const [rowStart, rowEnd] of [
              [0, rows],
              [Math.min(1, rows), rows],
              [Math.min(3, rows), Math.max(Math.min(3, rows), rows - 1)]
            ]) {
              const want = expected(k, rowStart, rowEnd, kernels.fusedMultiplyAdd)
              for (const packed of [true, false]) {
                const at = firstDifference(kernelC(k, packed ? 'packed' : 'rowMajor', rowStart, rowEnd), want)
                const where = `${rows}×${steps}×${cols}, rows [${rowStart}, ${rowEnd}), ${packed ? 'packed' : 'in place'}`
                expect(at, `${where}: first element whose bits differ`).toBe(-1)
              }
            }
          }
        }
      })
    }
  }

  it('give the same bits on one thread and two, and the reference order on each (rows split at multiples of 4)', async () => {
    // Big enough for runProduct to split (≥ 2 × 300,000 multiply-adds), rows ≡ 1 (mod 5) and (mod 4).
    const cases = [makeCase(LAYOUTS[0], 3001, 16, 13, false), makeCase(LAYOUTS[0], 2401, 17, 17, true), makeCase(LAYOUTS[1], 3001, 16, 16, false)]
    const run = () => cases.map((k) => kernelC(k, 'split'))
    const single = run()
    cases.forEach((k, i) => expect(firstDifference(single[i], expected(k, 0, k.rows, kernels.fusedMultiplyAdd)), `case ${i}, one thread`).toBe(-1))
    kernels.setThreads(nodeKernelThreads, 2)
    const deadline = Date.now() + 10_000
    while (kernels.activeThreads < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    expect(kernels.activeThreads).toBe(2)
    run().forEach((c, i) => expect(firstDifference(c, single[i]), `case ${i}, two threads`).toBe(-1))
    kernels.setThreads(null, 1)
  })
})
