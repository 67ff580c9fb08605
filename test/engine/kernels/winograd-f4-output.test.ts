import { afterEach, describe, expect, it } from 'vitest'
import { Random } from '../../../src/engine/core/random'
import { nodeKernelThreads } from '../../../src/engine/hosts/node/kernel-threads'
import { setBackend, setKernelThreads, wasmF32Kernels } from '../../../src/engine/kernels/backend'
import { convGeometry, type ConvGeometry } from '../../../src/engine/kernels/conv-shape'
import { packPanels, panelFloats } from '../../../src/engine/kernels/f32/products'
import { winogradF4Tiles } from '../../../src/engine/kernels/f32/winograd-f4'
import { spreadMatrix, writePlan } from '../../../src/engine/kernels/f32/winograd-input'
import { WINOGRAD_PLAN_BYTES } from '../../../src/engine/kernels/plan-layouts'

/*
 * F(4×4, 3×3)'s output transform (winogradF4Output, winogradF4OutputRelu in assembly/f32/winograd-f4.ts) against
 * a scalar Aᵀ M A plus the bias written here with the kernel's operations in the kernel's order, each rounded to
 * float32, then the ReLU and the 2×2 pooling: out must match bit for bit. The kernels run the whole forward pass
 * (winogradF4Forward, winogradF4ForwardRelu) on operands laid out here, and the reference starts from the M they
 * transform, read back from memory after a second pass one image a call (a call's groups of images reuse the rows
 * of M at its first image, so only one image a call leaves every image's M in place). Whole block rows are stored as rows of one filter
 * (a transpose by shuffles), pooled ones as pairs, blocks at a map's edge value by value: every output of the
 * range is checked, and the memory around it (other images, before and after the output) must keep its marker.
 */
afterEach(() => setBackend('auto'))

const f = Math.fround
/** Row i of Aᵀ on m[0 … 5] (at0 … at3 of the kernel), each operation rounded to float32. */
const AT: ((m: number[]) => number)[] = [
  (m) => f(f(m[0] + f(m[1] + m[2])) + f(m[3] + m[4])),
  (m) => f(f(m[1] - m[2]) + f(2 * f(m[3] - m[4]))),
  (m) => f(f(m[1] + m[2]) + f(4 * f(m[3] + m[4]))),
  (m) => f(f(f(m[1] - m[2]) + f(8 * f(m[3] - m[4]))) + m[5])
]
/** Column j of a block row from s_i0 … s_i5 plus the bias b (storeRow's sums: a, d, e, g first). */
function column(s: number[], j: number, b: number): number {
  const a = f(s[1] + s[2]),
    d = f(s[1] - s[2]),
    e = f(s[3] + s[4]),
    g = f(s[3] - s[4])
  if (j === 0) return f(f(f(s[0] + a) + e) + b)
  if (j === 1) return f(f(d + f(2 * g)) + b)
  if (j === 2) return f(f(a + f(4 * e)) + b)
  return f(f(f(d + f(8 * g)) + s[5]) + b)
}

type After = 'none' | 'relu' | 'pool'

/** out of images [start, end) as the reference computes it from M (36 matrices `mMatrix` apart, rows of FN values a tile). */
function referenceOutput(
  m: Float32Array,
  mMatrix: number,
  bias: Float32Array,
  g: ConvGeometry,
  filters: number,
  after: After,
  start: number,
  end: number,
  out: Float32Array
): void {
  const th = Math.ceil(g.oh / 4),
    tw = Math.ceil(g.ow / 4)
  const block = new Float64Array(16)
  const outH = after === 'pool' ? g.oh / 2 : g.oh,
    outW = after === 'pool' ? g.ow / 2 : g.ow
  for (let img = start; img < end; img++) {
    for (let ty = 0; ty < th; ty++) {
      for (let tx = 0; tx < tw; tx++) {
        // M's rows start at the range's first image (the kernel's chunk)
        const tile = ((img - start) * th + ty) * tw + tx
        for (let fi = 0; fi < filters; fi++) {
          const mAt = (q: number): number => m[q * mMatrix + tile * filters + fi]
          for (let i = 0; i < 4; i++) {
            // s_iν: Aᵀ[i] on column ν of M
            const s = [0, 1, 2, 3, 4, 5].map((nu) => AT[i]([0, 1, 2, 3, 4, 5].map((xi) => mAt(xi * 6 + nu))))
            for (let j = 0; j < 4; j++) {
              const y = column(s, j, bias[fi])
              block[i * 4 + j] = after === 'none' ? y : Math.max(y, 0)
            }
          }
          const map = out.subarray((img * filters + fi) * outH * outW, (img * filters + fi + 1) * outH * outW)
          for (let i = 0; i < 4; i++) {
            for (let j = 0; j < 4; j++) {
              const y = 4 * ty + i,
                x = 4 * tx + j
              if (y >= g.oh || x >= g.ow) continue
              if (after !== 'pool') map[y * outW + x] = block[i * 4 + j]
              else if (i % 2 === 0 && j % 2 === 0) {
                // reluMaxPoolForward: the first maximum from −Inf, a strictly larger value replacing it
                let best = -Infinity
                for (const v of [block[i * 4 + j], block[i * 4 + j + 1], block[(i + 1) * 4 + j], block[(i + 1) * 4 + j + 1]]) if (v > best) best = v
                map[(y / 2) * outW + x / 2] = best
              }
            }
          }
        }
      }
    }
  }
}

/** Floats of marker around the output (and the space of the images outside the range). */
const GUARD = 64
const MARKER = 12345.5

/** The kernel's out for images [start, end) (split between the active threads by images) over a marker, and the M it transformed. */
function kernelOutput(x: Float32Array, w: Float32Array, bias: Float32Array, g: ConvGeometry, filters: number, after: After, start: number, end: number) {
  const mem = wasmF32Kernels()!
  const tiles = winogradF4Tiles(g)
  const rows = g.n * tiles
  const vMatrix = spreadMatrix(rows * g.c),
    mMatrix = spreadMatrix(rows * filters),
    uPanels = panelFloats(filters, g.c)
  const outSize = after === 'pool' ? (filters * g.oh * g.ow) / 4 : filters * g.oh * g.ow
  const outLength = GUARD + g.n * outSize + GUARD
  const [xAt, wAt, biasAt, uAt, panelsAt, vAt, mAt, outAt, planAt] = mem.layout([
    [x, x.length],
    [w, w.length],
    [bias, bias.length],
    [null, 36 * g.c * filters],
    [null, 36 * uPanels],
    [null, 36 * vMatrix],
    [null, 36 * mMatrix],
    [null, outLength],
    [null, WINOGRAD_PLAN_BYTES / 4]
  ])!
  mem.put(x, xAt, x.length)
  mem.put(w, wAt, w.length)
  mem.put(bias, biasAt, bias.length)
  mem.put(new Float32Array(outLength).fill(MARKER), outAt, outLength)
  mem.kernels.winogradF4Filters(wAt, uAt, g.c, filters, 0, filters)
  for (let q = 0; q < 36; q++) packPanels(mem, uAt + q * g.c * filters * 4, filters, g.c, filters, panelsAt + q * uPanels * 4)
  writePlan(mem, planAt, g, { filters, vMatrix, mMatrix, uPanels, tiles: rows, gradMMatrix: 0 })
  // The range's images start at `start` of x and out alike (as the wrapper's chunks do); M's rows at the range's first tile.
  const xChunk = xAt + start * g.c * g.h * g.w * 4,
    outChunk = outAt + (GUARD + start * outSize) * 4
  const images = end - start
  if (after === 'none') {
    const args = [planAt, xChunk, vAt, panelsAt, mAt, biasAt, outChunk]
    mem.split('winogradF4Forward', args, images, 1, 1, (s, e) => mem.kernels.winogradF4Forward(planAt, xChunk, vAt, panelsAt, mAt, biasAt, outChunk, s, e))
  } else {
    const pool = after === 'pool' ? 1 : 0
    const args = [planAt, xChunk, vAt, panelsAt, mAt, biasAt, outChunk, pool]
    mem.split('winogradF4ForwardRelu', args, images, 1, 1, (s, e) =>
      mem.kernels.winogradF4ForwardRelu(planAt, xChunk, vAt, panelsAt, mAt, biasAt, outChunk, pool, s, e)
    )
  }
  const out = new Float32Array(outLength)
  mem.take(out, outAt, outLength)
  // The second pass: each image's M at its own rows (the same sums, row by row, as the split calls' groups).
  for (let img = 0; img < images; img++) {
    if (after === 'none') mem.kernels.winogradF4Forward(planAt, xChunk, vAt, panelsAt, mAt, biasAt, outChunk, img, img + 1)
    else mem.kernels.winogradF4ForwardRelu(planAt, xChunk, vAt, panelsAt, mAt, biasAt, outChunk, after === 'pool' ? 1 : 0, img, img + 1)
  }
  const m = new Float32Array(36 * mMatrix)
  mem.take(m, mAt, m.length)
  return { out, m, mMatrix, outSize }
}

// cnn-deep's layers F(4×4) takes (a few images), then maps ending in half blocks (14 × 14, 10 × 10), one and a half
// blocks (7 × 7, 6 × 6), one block, maps wider than high, and 4, 8, 12 filters.
// [name, n, c, h, w, filters, pad]
const CASES: [string, number, number, number, number, number, number][] = [
  ["cnn-deep's second layer: 16 ch 28 × 28, pad 1", 4, 16, 28, 28, 16, 1],
  ["cnn-deep's third layer: 16 ch 14 × 14, pad 1 (edge blocks)", 4, 16, 14, 14, 32, 1],
  ["cnn-deep's fourth layer: 32 ch 14 × 14, pad 2 (16 × 16)", 4, 32, 14, 14, 32, 2],
  ["cnn-deep's fifth layer: 32 ch 8 × 8, 64 filters", 4, 32, 8, 8, 64, 1],
  ["cnn-deep's sixth layer: 64 ch 8 × 8", 3, 64, 8, 8, 64, 1],
  ['3 ch 14 × 14, pad 1, 4 filters', 5, 3, 14, 14, 4, 1],
  ['2 ch 10 × 10, pad 1, 12 filters', 5, 2, 10, 10, 12, 1],
  ['3 ch 7 × 7, pad 1, 8 filters (odd: not pooled)', 5, 3, 7, 7, 8, 1],
  ['2 ch 8 × 6, pad 0 (6 × 4: one and a half blocks high)', 5, 2, 8, 6, 8, 0],
  ['2 ch 6 × 14, pad 0, 12 filters (4 × 12: one block row)', 4, 2, 6, 14, 12, 0],
  ['1 ch 13 × 23, pad 0, 4 filters (11 × 21: odd)', 4, 1, 13, 23, 4, 0],
  ['2 ch 4 × 4, pad 1, 8 filters (one block)', 6, 2, 4, 4, 8, 1]
]

function check(n: number, c: number, h: number, w: number, filters: number, pad: number): void {
  const g = convGeometry([n, c, h, w], 3, 3, 1, pad)
  const random = new Random(23)
  // Normal values with exact zeros, negative zeros and large ones, so signs of zero and rounding show.
  const x = Float32Array.from({ length: n * c * h * w }, (_, i) => (i % 17 === 0 ? 0 : i % 19 === 0 ? -0 : random.normal() * (i % 13 === 0 ? 1e4 : 1)))
  const weights = Float32Array.from({ length: filters * c * 9 }, () => random.normal() * 0.3)
  const bias = Float32Array.from({ length: filters }, (_, i) => (i % 5 === 3 ? -0 : random.normal() * 0.5))
  const afters: After[] = g.oh % 2 === 0 && g.ow % 2 === 0 ? ['none', 'relu', 'pool'] : ['none', 'relu']
  for (const after of afters) {
    for (const [start, end] of [
      [0, n],
      [1, n - 1]
    ]) {
      const { out, m, mMatrix, outSize } = kernelOutput(x, weights, bias, g, filters, after, start, end)
      const expected = new Float32Array(out.length).fill(MARKER)
      referenceOutput(m, mMatrix, bias, g, filters, after, start, end, expected.subarray(GUARD, GUARD + n * outSize))
      const same = Buffer.from(out.buffer).equals(Buffer.from(expected.buffer))
      if (!same) {
        const at = out.findIndex((value, i) => !Object.is(value, expected[i]))
        expect({ at, value: out[at] }, `${after}, images [${start}, ${end})`).toEqual({ at, value: expected[at] })
      }
      expect(same).toBe(true)
    }
  }
}

describe('F(4×4, 3×3) output transform (plain, ReLU, ReLU and pooling) against a scalar reference, bit for bit', () => {
  it.each(CASES)('%s, one thread', (_name, n, c, h, w, filters, pad) => check(n, c, h, w, filters, pad))

  it('gives the same bits on two threads (each its own images, nothing written outside them)', async () => {
    setKernelThreads(nodeKernelThreads, 2)
    try {
      const deadline = Date.now() + 10_000
      while (wasmF32Kernels()!.activeThreads < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
      expect(wasmF32Kernels()!.activeThreads).toBe(2)
      for (const [, n, c, h, w, filters, pad] of CASES) check(n, c, h, w, filters, pad)
    } finally {
      setKernelThreads(nodeKernelThreads, 1)
    }
  })
})
