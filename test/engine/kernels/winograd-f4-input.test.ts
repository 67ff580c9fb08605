import { afterEach, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { nodeKernelThreads } from '../../../src/engine/hosts/node/kernel-threads'
import { setBackend, setKernelThreads, wasmF32Kernels } from '../../../src/engine/kernels/backend'
import { convGeometry, type ConvGeometry } from '../../../src/engine/kernels/conv-shape'
import { inputTilesF4, winogradF4Tiles } from '../../../src/engine/kernels/f32/winograd-f4'
import { spreadMatrix, writePlan } from '../../../src/engine/kernels/f32/winograd-input'
import { WINOGRAD_PLAN_BYTES } from '../../../src/engine/kernels/plan-layouts'

/*
 * F(4×4, 3×3)'s input transform (winogradF4Input, assembly/f32/winograd-f4.ts) against a scalar Bᵀ d B written
 * here with the kernel's operations in the kernel's order, each rounded to float32: V must match bit for bit.
 * The kernel groups four tiles a vector, stores whole vectors past a row of tiles' end (spills the same call
 * overwrites later) and pairs rows of tiles on maps two tiles wide; so every tile of the range is checked, and
 * the tiles just outside the range must keep what they held (a spill into another thread's images would not).
 */
afterEach(() => setBackend('auto'))

const f = Math.fround
// Bᵀ's rows in the kernel's order (bt0 … bt5 of assembly/f32/winograd-f4.ts), every operation rounded to float32.
const BT: ((d: number[]) => number)[] = [
  (d) => f(f(f(4 * d[0]) - f(5 * d[2])) + d[4]),
  (d) => f(f(d[3] + d[4]) - f(4 * f(d[1] + d[2]))),
  (d) => f(f(d[4] - d[3]) + f(4 * f(d[1] - d[2]))),
  (d) => f(f(d[4] - d[2]) + f(2 * f(d[3] - d[1]))),
  (d) => f(f(d[4] - d[2]) - f(2 * f(d[3] - d[1]))),
  (d) => f(f(f(4 * d[1]) - f(5 * d[3])) + d[5])
]

/** V[ξ·6 + ν][ch][img·T + tile] of images [start, end) as the reference computes it: Bᵀ on the rows' columns, then on each row's six values. */
function referenceTiles(x: Float32Array, g: ConvGeometry, rows: number, vMatrix: number, start: number, end: number, v: Float32Array): void {
  const th = Math.ceil(g.oh / 4),
    tw = Math.ceil(g.ow / 4)
  const at = (ch: number, img: number, y: number, col: number): number =>
    y < 0 || y >= g.h || col < 0 || col >= g.w ? 0 : x[((img * g.c + ch) * g.h + y) * g.w + col]
  for (let img = start; img < end; img++) {
    for (let ch = 0; ch < g.c; ch++) {
      for (let ty = 0; ty < th; ty++) {
        for (let tx = 0; tx < tw; tx++) {
          const top = 4 * ty - g.pad,
            left = 4 * tx - g.pad
          // column j of Bᵀ d, for each of the six rows ξ
          const btd = [0, 1, 2, 3, 4, 5].map((j) => BT.map((row) => row([0, 1, 2, 3, 4, 5].map((i) => at(ch, img, top + i, left + j)))))
          for (let xi = 0; xi < 6; xi++) {
            const line = btd.map((column) => column[xi])
            for (let nu = 0; nu < 6; nu++) v[(xi * 6 + nu) * vMatrix + ch * rows + img * th * tw + ty * tw + tx] = BT[nu](line)
          }
        }
      }
    }
  }
}

/** The kernel's V for images [start, end) of n (split between the active threads by images), over V first filled with a marker. */
function kernelTiles(x: Float32Array, g: ConvGeometry, start: number, end: number, marker: Float32Array): Float32Array {
  const mem = wasmF32Kernels()!
  const rows = g.n * winogradF4Tiles(g)
  const vMatrix = spreadMatrix(rows * g.c)
  const [xAt, vAt, planAt] = mem.layout([
    [x, x.length],
    [marker, 36 * vMatrix],
    [null, WINOGRAD_PLAN_BYTES / 4]
  ])!
  mem.put(x, xAt, x.length)
  mem.put(marker, vAt, 36 * vMatrix)
  writePlan(mem, planAt, g, { filters: 4, vMatrix, mMatrix: 0, uPanels: 0, tiles: rows, gradMMatrix: 0 })
  inputTilesF4(mem, planAt, xAt + start * g.c * g.h * g.w * 4, vAt + start * winogradF4Tiles(g) * 4, vMatrix, end - start, 1)
  const v = new Float32Array(36 * vMatrix)
  mem.take(v, vAt, v.length)
  return v
}

// cnn-deep's layers F(4×4) takes (a few images), then maps not whole 4×4 blocks, two tiles wide with an odd number
// of rows of tiles, one tile wide (a spill crossing several images), pad 0, 1 and 2.
const CASES: [string, number[], number][] = [
  ['16 ch 28 × 28, pad 1', [5, 16, 28, 28], 1],
  ['16 ch 14 × 14, pad 2 (16 × 16)', [5, 16, 14, 14], 2],
  ['32 ch 8 × 8, pad 1', [5, 32, 8, 8], 1],
  ['64 ch 8 × 8, pad 1', [4, 64, 8, 8], 1],
  ['3 ch 7 × 7, pad 1 (two tiles wide)', [6, 3, 7, 7], 1],
  ['2 ch 10 × 6, pad 2 (three rows of tiles two wide)', [5, 2, 10, 6], 2],
  ['2 ch 14 × 8, pad 2 (three tiles wide)', [5, 2, 14, 8], 2],
  ['3 ch 5 × 7, pad 0 (one row of tiles two wide)', [7, 3, 5, 7], 0],
  ['2 ch 9 × 9, pad 1 (three tiles wide)', [5, 2, 9, 9], 1],
  ['2 ch 13 × 23, pad 0', [5, 2, 13, 23], 0],
  ['3 ch 4 × 4, pad 1 (one tile)', [9, 3, 4, 4], 1],
  ['2 ch 3 × 5, pad 0 (one tile)', [9, 2, 3, 5], 0],
  ['1 ch 22 × 11, pad 2', [5, 1, 22, 11], 2]
]

function check(shape: number[], pad: number): void {
  const g = convGeometry(shape, 3, 3, 1, pad)
  const random = new Random(11)
  // Normal values with some exact zeros, negative zeros and large ones, so signs of zero and rounding show.
  const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) =>
    i % 17 === 0 ? 0 : i % 19 === 0 ? -0 : random.normal() * (i % 13 === 0 ? 1e4 : 1)
  )
  const rows = g.n * winogradF4Tiles(g)
  const vMatrix = spreadMatrix(rows * g.c)
  const marker = new Float32Array(36 * vMatrix).fill(12345.5)
  for (const [start, end] of [
    [0, g.n],
    [1, g.n - 1]
  ]) {
    const expected = marker.slice()
    referenceTiles(x, g, rows, vMatrix, start, end, expected)
    const v = kernelTiles(x, g, start, end, marker)
    const same = Buffer.from(v.buffer).equals(Buffer.from(expected.buffer))
    if (!same) {
      const at = v.findIndex((value, i) => !Object.is(value, expected[i]))
      expect({ at, value: v[at] }, `images [${start}, ${end})`).toEqual({ at, value: expected[at] })
    }
    expect(same).toBe(true)
  }
}

describe('F(4×4, 3×3) input transform against a scalar reference, bit for bit', () => {
  it.each(CASES)('%s, one thread', (_name, shape, pad) => check(shape, pad))

  it('gives the same bits on two threads (each its own images, no spill into the other’s)', async () => {
    setKernelThreads(nodeKernelThreads, 2)
    try {
      const deadline = Date.now() + 10_000
      while (wasmF32Kernels()!.activeThreads < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      expect(wasmF32Kernels()!.activeThreads).toBe(2)
      for (const [, shape, pad] of CASES) check(shape, pad)
    } finally {
      setKernelThreads(nodeKernelThreads, 1)
    }
  })
})
