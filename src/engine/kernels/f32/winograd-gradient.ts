/**
 * The weight gradient of 3×3 stride-1 convolutions by Winograd's F(3×3, 2×2) on the float32 kernels
 * (assembly/f32/winograd-gradient.ts); the input's tiles are turned as for the forward pass
 * (winograd-input.ts). Its rounding differs from im2col's sums (within 1e-4 of the oracle, tested).
 */
import type { ConvGeometry } from '../conv-shape'
import { WINOGRAD_PLAN_BYTES } from '../plan-layouts'
import { MIN_PART_WORK, winogradFits, type ConvMemory } from './convolution'
import { panelFloats } from './products'
import { inputTiles, spreadMatrix, writePlan } from './winograd-input'

/** The compiled kernels this file calls (assembly/f32/winograd-gradient.ts); pointers are byte addresses. */
export interface WinogradGradientKernels {
  winogradGradTiles(plan: number, dout: number, panels: number, imgStart: number, imgEnd: number): void
  winogradGradProducts(plan: number, v: number, panels: number, m: number, accumulate: number, rowStart: number, rowEnd: number): void
  winogradGradOutput(m: number, mMatrix: number, channels: number, filters: number, dw: number, fStart: number, fEnd: number): void
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
  const vMatrix = spreadMatrix(chunk * tiles * c),
    uPanels = spreadMatrix(panelFloats(filters, chunk * tiles))
  const regions = mem.layout([
    [x, g.n * imageSize],
    [dout, g.n * outSize],
    [dw, filters * c * 9],
    [null, 16 * vMatrix],
    [null, 16 * uPanels],
    [null, 16 * mMatrix],
    [null, WINOGRAD_PLAN_BYTES / 4]
  ])
  if (!regions) return false
  const [xAt, doutAt, dwAt, vAt, panelsAt, mAt, planAt] = regions
  mem.put(x, xAt, g.n * imageSize)
  mem.put(dout, doutAt, g.n * outSize)
  const minImages = Math.ceil(MIN_PART_WORK / Math.max(1, tiles * (c + filters) * 16))
  for (let first = 0; first < g.n; first += chunk) {
    const images = Math.min(chunk, g.n - first)
    const rows = images * tiles
    writePlan(mem, planAt, g, { filters, vMatrix, mMatrix: 0, uPanels, tiles: rows, gradMMatrix: mMatrix })
    const xChunk = xAt + first * imageSize * 4
    const doutChunk = doutAt + first * outSize * 4
    inputTiles(mem, planAt, xChunk, vAt, vMatrix, images, minImages)
    mem.split('winogradGradTiles', [planAt, doutChunk, panelsAt], images, 1, minImages, (start, end) =>
      mem.kernels.winogradGradTiles(planAt, doutChunk, panelsAt, start, end)
    )
    const accumulate = first > 0 ? 1 : 0
    const minChannels = Math.ceil(MIN_PART_WORK / Math.max(1, 16 * rows * filters))
    mem.split('winogradGradProducts', [planAt, vAt, panelsAt, mAt, accumulate], c, 1, minChannels, (start, end) =>
      mem.kernels.winogradGradProducts(planAt, vAt, panelsAt, mAt, accumulate, start, end)
    )
  }
  mem.split('winogradGradOutput', [mAt, mMatrix, c, filters, dwAt], filters, 1, mem.minParts(c * 16), (start, end) =>
    mem.kernels.winogradGradOutput(mAt, mMatrix, c, filters, dwAt, start, end)
  )
  mem.take(dw, dwAt, filters * c * 9)
  return true
}
