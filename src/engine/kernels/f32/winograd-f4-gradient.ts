/**
 * The weight gradient of the 3×3 stride-1 convolutions whose forward pass is F(4×4, 3×3) (winograd-f4.ts),
 * with that algorithm's transforms (assembly/f32/winograd-f4-gradient.ts): 36 products over 4×4 blocks of
 * dout instead of F(3×3, 2×2)'s 16 over 2×2 blocks (0.56 times the multiply-adds), and the input's 6×6
 * tiles are the forward pass's own, so when that pass kept them (keptTiles) they are not turned again.
 * Its float32 error is 4–10× F(3×3, 2×2)'s, up to 1.6e-5 of dW's RMS on cnn-deep's layers (tested against float64).
 */
import type { ConvGeometry } from '../conv-shape'
import { WINOGRAD_PLAN_BYTES } from '../plan-layouts'
import { MIN_PART_WORK, type ConvMemory } from './convolution'
import { panelFloats } from './products'
import { inputTilesF4, keptTilesLength, winogradF4Pays, winogradF4Tiles } from './winograd-f4'
import { spreadMatrix, writePlan } from './winograd-input'

/**
 * A chunk's V and U take GRADIENT_CHUNK_SCALE × convChunkBytes. GradTiles writes U's panels for the whole chunk
 * before GradProducts reads them, so a smaller chunk finds them in nearer cache; the bits do not change (M is
 * summed chunk after chunk in tile order). cnn-deep's step, 1 against the former 4 (74 images a chunk on the 28×28
 * layer, the whole batch on the others), alternating in one process: dW of the 28×28 and 14×14 (16 → 32) layers
 * 0.80× on one thread (CPU time) and 0.88× on two (wall), the 8×8 layers unchanged; ½ was 0.75× on one thread but
 * 1.2–1.3× on two (GradTiles' chunk then too small to split between threads). Chunks of equal size then gave
 * 0.95–1.00× more, layer by layer, on two threads (0.95–0.99× on one).
 */
const GRADIENT_CHUNK_SCALE = 1

/** Values of M a thread's part of the output transform should have before a helper takes one. */
const OUTPUT_PART_VALUES = 20_000

/** The compiled kernels this file calls (assembly/f32/winograd-f4-gradient.ts); pointers are byte addresses. */
export interface WinogradF4GradientKernels {
  winogradF4GradTiles(plan: number, dout: number, panels: number, imgStart: number, imgEnd: number): void
  winogradF4GradProducts(plan: number, v: number, panels: number, m: number, accumulate: number, rowStart: number, rowEnd: number): void
  winogradF4GradOutput(m: number, mMatrix: number, channels: number, filters: number, dw: number, fStart: number, fEnd: number): void
}

/**
 * dW (FN, C, 3, 3) from x and dout (N, FN, OH, OW), for the layers winogradF4Pays takes: per chunk of
 * images the input's tiles (V: `kept`, the forward pass's for this x, when given; else turned here),
 * dout's 4×4 blocks turned into packed panels (U), the 36 products M[ξν] += V[ξν]ᵀ · U[ξν] split by
 * channels (each element summed in tile order by one thread), and at the end Gᵀ M G. False when it does
 * not apply or cannot run here.
 */
export function convWeightGradWinogradF4(
  mem: ConvMemory,
  x: Float32Array,
  g: ConvGeometry,
  dout: Float32Array,
  dw: Float32Array,
  filters: number,
  kept: Float32Array | null
): boolean {
  if (!winogradF4Pays(g, filters)) return false
  const c = g.c
  const tiles = winogradF4Tiles(g)
  // At most GRADIENT_CHUNK_SCALE × convChunkBytes a chunk, the batch cut into chunks of equal size: no short last chunk
  // whose GradTiles is too small to split between threads (cnn-deep's 8×8 layers: 2 × 50 images instead of 75 + 25).
  const most = Math.max(1, Math.floor((GRADIENT_CHUNK_SCALE * mem.convChunkBytes) / (36 * tiles * (c + filters) * 4)))
  const chunk = Math.ceil(g.n / Math.ceil(g.n / most))
  const imageSize = c * g.h * g.w
  const outSize = filters * g.oh * g.ow
  const mMatrix = c * filters
  const useKept = kept !== null && mem.isResident(kept) && kept.length >= keptTilesLength(g)
  const vMatrix = spreadMatrix((useKept ? g.n : chunk) * tiles * c)
  const uPanels = spreadMatrix(panelFloats(filters, chunk * tiles))
  const regions = mem.layout([
    [x, g.n * imageSize],
    [dout, g.n * outSize],
    [dw, filters * c * 9],
    [useKept ? kept : null, 36 * vMatrix],
    [null, 36 * uPanels],
    [null, 36 * mMatrix],
    [null, WINOGRAD_PLAN_BYTES / 4]
  ])
  if (!regions) return false
  const [xAt, doutAt, dwAt, vAt, panelsAt, mAt, planAt] = regions
  if (!useKept) mem.put(x, xAt, g.n * imageSize)
  mem.put(dout, doutAt, g.n * outSize)
  const minImages = Math.ceil(MIN_PART_WORK / Math.max(1, tiles * (c + filters) * 36))
  for (let first = 0; first < g.n; first += chunk) {
    const images = Math.min(chunk, g.n - first)
    const rows = images * tiles
    writePlan(mem, planAt, g, { filters, vMatrix, mMatrix: 0, uPanels, tiles: rows, gradMMatrix: mMatrix, vRows: useKept ? g.n * tiles : rows })
    const doutChunk = doutAt + first * outSize * 4
    let vChunk = vAt + first * tiles * 4
    if (!useKept) {
      const xChunk = xAt + first * imageSize * 4
      vChunk = vAt
      inputTilesF4(mem, planAt, xChunk, vAt, vMatrix, images, minImages)
    }
    mem.split('winogradF4GradTiles', [planAt, doutChunk, panelsAt], images, 1, minImages, (start, end) =>
      mem.kernels.winogradF4GradTiles(planAt, doutChunk, panelsAt, start, end)
    )
    const accumulate = first > 0 ? 1 : 0
    const minChannels = Math.ceil(MIN_PART_WORK / Math.max(1, 36 * rows * filters))
    mem.split('winogradF4GradProducts', [planAt, vChunk, panelsAt, mAt, accumulate], c, 1, minChannels, (start, end) =>
      mem.kernels.winogradF4GradProducts(planAt, vChunk, panelsAt, mAt, accumulate, start, end)
    )
  }
  // Each filter's Gᵀ M G reads its 36 × C values of M once and does ~4 float64 operations per value; the
  // helper is still spinning from the products just before, so a part of ~20,000 values is worth handing over
  // (cnn-deep's 64-filter layers: ~1 ms a step that stayed on one thread at MIN_PART_VALUES).
  const minFilters = Math.ceil(OUTPUT_PART_VALUES / Math.max(1, c * 36))
  mem.split('winogradF4GradOutput', [mAt, mMatrix, c, filters, dwAt], filters, 2, minFilters, (start, end) =>
    mem.kernels.winogradF4GradOutput(mAt, mMatrix, c, filters, dwAt, start, end)
  )
  mem.take(dw, dwAt, filters * c * 9)
  return true
}
