/**
 * Winograd's F(4×4, 3×3) on the float32 kernels (assembly/f32/winograd-f4.ts): 36 multiplications per
 * 4×4 outputs, channel and filter (F(2×2, 3×3), winograd.ts: 64), so the forward product is 1.78 times
 * smaller again, for 6×6 input tiles and a float32 error about 5× F(2×2)'s (tested against float64).
 * Taken where winogradF4Pays says (the layers it was measured faster on); the input gradient, the same
 * kind of convolution, takes it on the same terms, and the weight gradient its transforms
 * (winograd-f4-gradient.ts), reading the input tiles the forward pass kept.
 */
import type { ConvGeometry } from '../conv-shape'
import { WINOGRAD_PLAN_BYTES } from '../plan-layouts'
import { MIN_PART_WORK, winogradFits, type ConvMemory } from './convolution'
import type { KernelMemory } from './kernel-memory'
import type { KeptFilters } from './winograd-f4-filters'
import { packPanels, panelFloats } from './products'
import { spreadMatrix, writePlan } from './winograd-input'

/** The compiled kernels this file calls (assembly/f32/winograd-f4.ts); pointers are byte addresses. */
export interface WinogradF4Kernels {
  winogradF4Filters(w: number, u: number, channels: number, filters: number, fStart: number, fEnd: number): void
  winogradF4Forward(plan: number, x: number, v: number, panels: number, m: number, bias: number, out: number, imgStart: number, imgEnd: number): void
  winogradF4ForwardRelu(
    plan: number,
    x: number,
    v: number,
    panels: number,
    m: number,
    bias: number,
    out: number,
    pool: number,
    imgStart: number,
    imgEnd: number
  ): void
  winogradF4Input(plan: number, x: number, v: number, vMatrix: number, imgStart: number, imgEnd: number): void
}

/** 4×4 blocks per output map. */
export const winogradF4Tiles = (g: ConvGeometry): number => Math.ceil(g.oh / 4) * Math.ceil(g.ow / 4)

/** Floats of a whole batch's input tiles (36 matrices of N·T × C, spread apart), as the forward pass keeps them. */
export const keptTilesLength = (g: ConvGeometry): number => 36 * spreadMatrix(g.n * winogradF4Tiles(g) * g.c)

/**
 * Whether a 3×3 stride-1 convolution takes F(4×4, 3×3) rather than F(2×2, 3×3): filters four at a time
 * (its output transform has no one-filter tail), and maps whose 4×4 blocks compute at most a third more
 * outputs than the map has. Measured per layer at batch 100, one thread (bench/winograd-f4-layers.ts,
 * loaded machine): 1.1–1.6× faster on cnn-deep's 28×28, 16×16 and 8×8 maps, 1.05–1.2× on 14×14 (16×16
 * computed) and 1.4× on 7×7 (8×8 computed); even on 10×10 (12×12: 44 % more) and slower on 6×6 (0.9×).
 */
export function winogradF4Pays(g: ConvGeometry, filters: number): boolean {
  const computed = Math.ceil(g.oh / 4) * 4 * Math.ceil(g.ow / 4) * 4
  return winogradFits(g) && filters % 4 === 0 && g.pad <= 2 && 3 * computed <= 4 * g.oh * g.ow
}

/**
 * out (N, FN, OH, OW) = x ∗ w + bias by F(4×4, 3×3), a few images at a time; false when it does not pay
 * (unless `always`: benchmarks; it still needs winogradFits and filters four at a time) or cannot run here.
 * With `keep` (a resident array of keptTilesLength(g) floats or more) the input's tiles of the whole batch
 * stay there for the weight gradient (winograd-f4-gradient.ts); else each chunk's reuse one scratch.
 * With `filtersKept` (inference) the filters' transforms are those it holds when made from these very
 * weights, else made there and kept for the next call.
 */
export function convForwardWinogradF4(
  mem: ConvMemory,
  x: Float32Array,
  g: ConvGeometry,
  w: Float32Array,
  bias: Float32Array,
  out: Float32Array,
  filters: number,
  always = false,
  keep: Float32Array | null = null,
  filtersKept: KeptFilters | null = null
): boolean {
  if (!(always ? winogradFits(g) && filters % 4 === 0 && g.pad <= 2 : winogradF4Pays(g, filters))) return false
  return forwardF4(mem, x, g, w, bias, out, filters, keep, filtersKept, NO_RELU)
}

/** What follows the convolution in the kernel (winogradF4ForwardRelu's `pool`, or none). */
const NO_RELU = -1,
  RELU = 0,
  RELU_POOL = 1

/**
 * Inference's out = max(x ∗ w + bias, 0) by F(4×4, 3×3) where winogradF4Pays, and with `pool` each 2×2
 * window at stride 2 of that max-pooled into out (N, FN, OH/2, OW/2) (even maps only): the bits of
 * convForwardWinogradF4, reluForward and reluMaxPoolForward in turn, without writing the maps between
 * them. The filters' transforms as convForwardWinogradF4 keeps them; false when it does not apply here.
 */
export function convReluWinogradF4(
  mem: ConvMemory,
  x: Float32Array,
  g: ConvGeometry,
  w: Float32Array,
  bias: Float32Array,
  out: Float32Array,
  filters: number,
  pool: boolean,
  filtersKept: KeptFilters | null
): boolean {
  if (!winogradF4Pays(g, filters) || (pool && (g.oh % 2 !== 0 || g.ow % 2 !== 0))) return false
  return forwardF4(mem, x, g, w, bias, out, filters, null, filtersKept, pool ? RELU_POOL : RELU)
}

/**
 * The share of convChunkBytes a forward chunk takes on one thread: a smaller chunk's arrays come back from nearer
 * cache. cnn-deep, ½ against the whole, alternating in one process, one thread (CPU time): the F(4×4) forward and
 * input-gradient calls 0.89–0.98× layer by layer, the step 0.96×, a 1,000-image evaluation 0.92×; since the kernel
 * reuses M's rows group after group, the whole is still 1.01–1.08× the calls and 1.01–1.03× step and evaluation.
 * Not on two threads: there ½ was 1.00× the step and 1.01× the evaluation (the 28×28 layer 1.06×: twice the calls
 * to split), so more threads keep the whole.
 */
const ONE_THREAD_CHUNK_SHARE = 0.5

/** The forward pass of both, a chunk of images at a time, `after` saying what the output transform also does. */
function forwardF4(
  mem: ConvMemory,
  x: Float32Array,
  g: ConvGeometry,
  w: Float32Array,
  bias: Float32Array,
  out: Float32Array,
  filters: number,
  keep: Float32Array | null,
  filtersKept: KeptFilters | null,
  after: number
): boolean {
  const c = g.c
  const tiles = winogradF4Tiles(g)
  const kept = keep !== null && mem.isResident(keep) && keep.length >= keptTilesLength(g)
  // A chunk's V and M in convChunkBytes (on one thread ONE_THREAD_CHUNK_SHARE of it), reused chunk after chunk while in
  // cache: one call a batch (V kept, M for the batch; or 4 × the bytes) was measured 3 % slower on one thread and no
  // faster on two (ea48ce2, 05a624b; put back).
  const chunkBytes = mem.activeThreads > 1 ? mem.convChunkBytes : ONE_THREAD_CHUNK_SHARE * mem.convChunkBytes
  const chunk = Math.max(1, Math.min(g.n, Math.floor(chunkBytes / (36 * tiles * (c + filters) * 4))))
  const imageSize = c * g.h * g.w
  const outSize = after === RELU_POOL ? filters * (g.oh / 2) * (g.ow / 2) : filters * g.oh * g.ow
  const uPanels = panelFloats(filters, c)
  const vMatrix = spreadMatrix((kept ? g.n : chunk) * tiles * c),
    mMatrix = spreadMatrix(chunk * tiles * filters)
  const keptPanels = filtersKept?.panelsFor(mem, 36 * uPanels) ?? null
  const regions = mem.layout([
    [x, g.n * imageSize],
    [w, filters * c * 9],
    [bias, filters],
    [out, g.n * outSize],
    [null, 36 * c * filters],
    [keptPanels, 36 * uPanels],
    [kept ? keep : null, 36 * vMatrix],
    [null, 36 * mMatrix],
    [null, WINOGRAD_PLAN_BYTES / 4]
  ])
  if (!regions) return false
  const [xAt, wAt, biasAt, outAt, uAt, panelsAt, vAt, mAt, planAt] = regions
  mem.put(x, xAt, g.n * imageSize)
  mem.put(w, wAt, filters * c * 9)
  mem.put(bias, biasAt, filters)
  const reuse = keptPanels !== null && filtersKept!.holds(w)
  if (!reuse) {
    filtersKept?.forget()
    mem.split('winogradF4Filters', [wAt, uAt, c, filters], filters, 1, mem.minParts(c * 36 * 8), (start, end) =>
      mem.kernels.winogradF4Filters(wAt, uAt, c, filters, start, end)
    )
    for (let q = 0; q < 36; q++) packPanels(mem, uAt + q * c * filters * 4, filters, c, filters, panelsAt + q * uPanels * 4)
    if (keptPanels) filtersKept!.remember(w)
  }
  const minImages = Math.ceil(MIN_PART_WORK / Math.max(1, tiles * c * filters * 36))
  for (let first = 0; first < g.n; first += chunk) {
    const images = Math.min(chunk, g.n - first)
    // A kept V holds the batch: rows of V are the batch's tiles apart, and this chunk's start at its first tile.
    writePlan(mem, planAt, g, { filters, vMatrix, mMatrix, uPanels, tiles: kept ? g.n * tiles : images * tiles, gradMMatrix: 0 })
    const xChunk = xAt + first * imageSize * 4
    const outChunk = outAt + first * outSize * 4
    const vChunk = kept ? vAt + first * tiles * 4 : vAt
    const args = [planAt, xChunk, vChunk, panelsAt, mAt, biasAt, outChunk]
    if (after === NO_RELU) {
      mem.split('winogradF4Forward', args, images, 1, minImages, (start, end) =>
        mem.kernels.winogradF4Forward(planAt, xChunk, vChunk, panelsAt, mAt, biasAt, outChunk, start, end)
      )
    } else {
      mem.split('winogradF4ForwardRelu', [...args, after], images, 1, minImages, (start, end) =>
        mem.kernels.winogradF4ForwardRelu(planAt, xChunk, vChunk, panelsAt, mAt, biasAt, outChunk, after, start, end)
      )
    }
  }
  mem.take(out, outAt, g.n * outSize)
  return true
}

/** V for images [0, images) of the chunk at `xChunk` (its plan at `planAt`: rows of V `WINOGRAD_TILES` apart), split between threads by images. */
export function inputTilesF4(mem: KernelMemory, planAt: number, xChunk: number, vAt: number, vMatrix: number, images: number, minImages: number): void {
  mem.split('winogradF4Input', [planAt, xChunk, vAt, vMatrix], images, 1, minImages, (start, end) =>
    mem.kernels.winogradF4Input(planAt, xChunk, vAt, vMatrix, start, end)
  )
}
