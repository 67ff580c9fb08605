/**
 * Winograd's minimal filtering on the float32 kernels (assembly/f32/winograd.ts), for 3×3 windows at
 * stride 1 (all of cnn-deep's convolutions but the first; convolution.ts's winogradFits decides): 16
 * multiplications per 2×2 outputs, channel and filter instead of 36, so the forward product is 2.25 times
 * smaller. It writes the output in numpy's layout directly. The input gradient is the same kind of
 * convolution (dout with the filters turned 180°); the weight gradient is winograd-gradient.ts's F(3×3, 2×2). Its rounding
 * differs from im2col's sums (within 1e-4 of the oracle, tested).
 */
import type { ConvGeometry } from '../conv-shape'
import { WINOGRAD_PLAN_BYTES } from '../plan-layouts'
import { MIN_PART_WORK, winogradFits, type ConvMemory } from './convolution'
import { packPanels, panelFloats } from './products'
import { spreadMatrix, writePlan } from './winograd-input'

/** The compiled kernels this file calls (assembly/f32/winograd.ts); pointers are byte addresses. */
export interface WinogradKernels {
  winogradFilters(w: number, u: number, channels: number, filters: number, fStart: number, fEnd: number): void
  winogradForward(plan: number, x: number, v: number, panels: number, m: number, bias: number, out: number, imgStart: number, imgEnd: number): void
}

/**
 * out (N, FN, OH, OW) = the convolution of x with w (FN, C, 3, 3) plus bias, by F(2×2, 3×3), a few images
 * at a time. False when it cannot run here (the caller's im2col path then does).
 */
export function convForwardWinograd(
  mem: ConvMemory,
  x: Float32Array,
  g: ConvGeometry,
  w: Float32Array,
  bias: Float32Array,
  out: Float32Array,
  filters: number
): boolean {
  if (!winogradFits(g)) return false
  const c = g.c
  const tiles = Math.ceil(g.oh / 2) * Math.ceil(g.ow / 2)
  const chunk = Math.max(1, Math.min(g.n, Math.floor(mem.convChunkBytes / (16 * tiles * (c + filters) * 4))))
  const imageSize = c * g.h * g.w
  const outSize = filters * g.oh * g.ow
  const uPanels = panelFloats(filters, c)
  const vMatrix = spreadMatrix(chunk * tiles * c),
    mMatrix = spreadMatrix(chunk * tiles * filters)
  const regions = mem.layout([
    [x, g.n * imageSize],
    [w, filters * c * 9],
    [bias, filters],
    [out, g.n * outSize],
    [null, 16 * c * filters],
    [null, 16 * uPanels],
    [null, 16 * vMatrix],
    [null, 16 * mMatrix],
    [null, WINOGRAD_PLAN_BYTES / 4]
  ])
  if (!regions) return false
  const [xAt, wAt, biasAt, outAt, uAt, panelsAt, vAt, mAt, planAt] = regions
  mem.put(x, xAt, g.n * imageSize)
  mem.put(w, wAt, filters * c * 9)
  mem.put(bias, biasAt, filters)
  mem.split('winogradFilters', [wAt, uAt, c, filters], filters, 1, mem.minParts(c * 16 * 4), (start, end) =>
    mem.kernels.winogradFilters(wAt, uAt, c, filters, start, end)
  )
  for (let q = 0; q < 16; q++) packPanels(mem, uAt + q * c * filters * 4, filters, c, filters, panelsAt + q * uPanels * 4)
  const minImages = Math.ceil(MIN_PART_WORK / Math.max(1, tiles * c * filters * 16))
  for (let first = 0; first < g.n; first += chunk) {
    const images = Math.min(chunk, g.n - first)
    const rows = images * tiles
    writePlan(mem, planAt, g, { filters, vMatrix, mMatrix, uPanels, tiles: rows, gradMMatrix: 0 })
    const xChunk = xAt + first * imageSize * 4
    const outChunk = outAt + first * outSize * 4
    const args = [planAt, xChunk, vAt, panelsAt, mAt, biasAt, outChunk]
    mem.split('winogradForward', args, images, 1, minImages, (start, end) =>
      mem.kernels.winogradForward(planAt, xChunk, vAt, panelsAt, mAt, biasAt, outChunk, start, end)
    )
  }
  mem.take(out, outAt, g.n * outSize)
  return true
}
