/**
 * Winograd's minimal filtering on the float32 kernels (assembly/f32/winograd.ts), for 3×3 windows at
 * stride 1 (all of cnn-deep's convolutions but the first; convolution.ts's winogradFits decides): 16
 * multiplications per 2×2 outputs, channel and filter instead of 36, so the forward product is 2.25 times
 * smaller. It writes the output in numpy's layout directly. The input gradient is the same kind of
 * convolution (dout with the filters turned 180°), and the weight gradient uses F(3×3, 2×2). Its rounding
 * differs from im2col's sums (within 1e-4 of the oracle, tested).
 */
import type { ConvGeometry } from '../conv-shape'
import {
  GEOMETRY_BYTES, WINOGRAD_FILTERS, WINOGRAD_GRAD_M_MATRIX, WINOGRAD_M_MATRIX, WINOGRAD_PLAN_BYTES, WINOGRAD_TILES, WINOGRAD_U_PANELS, WINOGRAD_V_MATRIX
} from '../plan-layouts'
import { MIN_PART_WORK, winogradFits, type ConvMemory } from './convolution'
import type { KernelMemory } from './kernel-memory'
import { packPanels, panelFloats } from './products'

/** The compiled kernels this file calls (assembly/f32/winograd.ts); pointers are byte addresses. */
export interface WinogradKernels {
  winogradFilters(w: number, u: number, channels: number, filters: number, fStart: number, fEnd: number): void
  winogradForward(plan: number, x: number, v: number, panels: number, m: number, bias: number, out: number, imgStart: number, imgEnd: number): void
  winogradInput(geometry: number, x: number, v: number, vMatrix: number, imgStart: number, imgEnd: number): void
  winogradGradTiles(plan: number, dout: number, panels: number, imgStart: number, imgEnd: number): void
  winogradGradProducts(plan: number, v: number, panels: number, m: number, accumulate: number, rowStart: number, rowEnd: number): void
  winogradGradOutput(m: number, mMatrix: number, channels: number, filters: number, dw: number, fStart: number, fEnd: number): void
}

/** The fields of a chunk's plan after the geometry (plan-layouts.ts), by name; the ones a pass does not use are 0. */
interface WinogradPlan {
  filters: number
  vMatrix: number
  mMatrix: number
  uPanels: number
  tiles: number
  gradMMatrix: number
}

/** Writes a chunk's plan at `at`: the geometry, then `plan`'s fields at their offsets. */
function writePlan(mem: KernelMemory, at: number, g: ConvGeometry, plan: WinogradPlan): void {
  mem.writeGeometry(at, g)
  const view = mem.planAt(at + GEOMETRY_BYTES, WINOGRAD_PLAN_BYTES - GEOMETRY_BYTES)
  const field = (offset: number, value: number): void => view.setInt32(offset - GEOMETRY_BYTES, value, true)
  field(WINOGRAD_FILTERS, plan.filters)
  field(WINOGRAD_V_MATRIX, plan.vMatrix)
  field(WINOGRAD_M_MATRIX, plan.mMatrix)
  field(WINOGRAD_U_PANELS, plan.uPanels)
  field(WINOGRAD_TILES, plan.tiles)
  field(WINOGRAD_GRAD_M_MATRIX, plan.gradMMatrix)
}

/**
 * out (N, FN, OH, OW) = the convolution of x with w (FN, C, 3, 3) plus bias, by F(2×2, 3×3), a few images
 * at a time. False when it cannot run here (the caller's im2col path then does).
 */
export function convForwardWinograd(mem: ConvMemory, x: Float32Array, g: ConvGeometry, w: Float32Array, bias: Float32Array, out: Float32Array, filters: number): boolean {
  if (!winogradFits(g)) return false
  const c = g.c
  const tiles = Math.ceil(g.oh / 2) * Math.ceil(g.ow / 2)
  const chunk = Math.max(1, Math.min(g.n, Math.floor(mem.convChunkBytes / (16 * tiles * (c + filters) * 4))))
  const imageSize = c * g.h * g.w
  const outSize = filters * g.oh * g.ow
  const uPanels = panelFloats(filters, c)
  const regions = mem.layout([
    [x, g.n * imageSize], [w, filters * c * 9], [bias, filters], [out, g.n * outSize],
    [null, 16 * c * filters], [null, 16 * uPanels], [null, 16 * chunk * tiles * c], [null, 16 * chunk * tiles * filters], [null, WINOGRAD_PLAN_BYTES / 4]
  ])
  if (!regions) return false
  const [xAt, wAt, biasAt, outAt, uAt, panelsAt, vAt, mAt, planAt] = regions
  mem.put(x, xAt, g.n * imageSize)
  mem.put(w, wAt, filters * c * 9)
  mem.put(bias, biasAt, filters)
  mem.split('winogradFilters', [wAt, uAt, c, filters], filters, 1, mem.minParts(c * 16 * 4), (start, end) => mem.kernels.winogradFilters(wAt, uAt, c, filters, start, end))
  for (let q = 0; q < 16; q++) packPanels(mem, uAt + q * c * filters * 4, filters, c, filters, panelsAt + q * uPanels * 4)
  const minImages = Math.ceil(MIN_PART_WORK / Math.max(1, tiles * c * filters * 16))
  for (let first = 0; first < g.n; first += chunk) {
    const images = Math.min(chunk, g.n - first)
    const rows = images * tiles
    writePlan(mem, planAt, g, { filters, vMatrix: rows * c, mMatrix: rows * filters, uPanels, tiles: 0, gradMMatrix: 0 })
    const xChunk = xAt + first * imageSize * 4
    const outChunk = outAt + first * outSize * 4
    const args = [planAt, xChunk, vAt, panelsAt, mAt, biasAt, outChunk]
    mem.split('winogradForward', args, images, 1, minImages, (start, end) => mem.kernels.winogradForward(planAt, xChunk, vAt, panelsAt, mAt, biasAt, outChunk, start, end))
  }
  mem.take(out, outAt, g.n * outSize)
  return true
}

/**
 * dW (FN, C, 3, 3) of a 3×3 stride-1 convolution by F(3×3, 2×2): from x and
 * dout (N, FN, OH, OW), a few images at a time, no im2col. Per chunk: the input's tiles turned (V), dout's
 * 2×2 blocks turned (U, written as packed panels), then the 16 products M[ξν] += V[ξν]ᵀ · U[ξν] split by channels (each
 * element summed in tile order by one thread), and at the end M turned into dW. False when it cannot run.
 */
export function convWeightGradWinograd(mem: ConvMemory, x: Float32Array, g: ConvGeometry, dout: Float32Array, dw: Float32Array, filters: number): boolean {
  if (!winogradFits(g)) return false
  const c = g.c
  const tiles = Math.ceil(g.oh / 2) * Math.ceil(g.ow / 2)
  // Four times the usual chunk: fewer, longer calls split better between threads (measured on cnn-deep).
  const chunk = Math.max(1, Math.min(g.n, Math.floor((4 * mem.convChunkBytes) / (16 * tiles * (c + filters) * 4))))
  const imageSize = c * g.h * g.w
  const outSize = filters * g.oh * g.ow
  const mMatrix = c * filters
  const regions = mem.layout([
    [x, g.n * imageSize], [dout, g.n * outSize], [dw, filters * c * 9],
    [null, 16 * chunk * tiles * c], [null, 16 * panelFloats(filters, chunk * tiles)],
    [null, 16 * mMatrix], [null, WINOGRAD_PLAN_BYTES / 4]
  ])
  if (!regions) return false
  const [xAt, doutAt, dwAt, vAt, panelsAt, mAt, planAt] = regions
  mem.put(x, xAt, g.n * imageSize)
  mem.put(dout, doutAt, g.n * outSize)
  const minImages = Math.ceil(MIN_PART_WORK / Math.max(1, tiles * (c + filters) * 16))
  for (let first = 0; first < g.n; first += chunk) {
    const images = Math.min(chunk, g.n - first)
    const rows = images * tiles
    const vMatrix = rows * c
    writePlan(mem, planAt, g, { filters, vMatrix, mMatrix: 0, uPanels: panelFloats(filters, rows), tiles: rows, gradMMatrix: mMatrix })
    const xChunk = xAt + first * imageSize * 4
    const doutChunk = doutAt + first * outSize * 4
    mem.split('winogradInput', [planAt, xChunk, vAt, vMatrix], images, 1, minImages, (start, end) => mem.kernels.winogradInput(planAt, xChunk, vAt, vMatrix, start, end))
    mem.split('winogradGradTiles', [planAt, doutChunk, panelsAt], images, 1, minImages, (start, end) => mem.kernels.winogradGradTiles(planAt, doutChunk, panelsAt, start, end))
    const accumulate = first > 0 ? 1 : 0
    const minChannels = Math.ceil(MIN_PART_WORK / Math.max(1, 16 * rows * filters))
    mem.split('winogradGradProducts', [planAt, vAt, panelsAt, mAt, accumulate], c, 1, minChannels, (start, end) => mem.kernels.winogradGradProducts(planAt, vAt, panelsAt, mAt, accumulate, start, end))
  }
  mem.split('winogradGradOutput', [mAt, mMatrix, c, filters, dwAt], filters, 1, mem.minParts(c * 16), (start, end) => mem.kernels.winogradGradOutput(mAt, mMatrix, c, filters, dwAt, start, end))
  mem.take(dw, dwAt, filters * c * 9)
  return true
}
