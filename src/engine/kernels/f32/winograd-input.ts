/**
 * The input's tiles turned for Winograd's algorithms (assembly/f32/winograd-input.ts), and the plan both
 * winograd.ts (forward) and winograd-gradient.ts (weight gradient) write for a chunk of images.
 */
import type { ConvGeometry } from '../conv-shape'
import {
  GEOMETRY_BYTES,
  WINOGRAD_FILTERS,
  WINOGRAD_GRAD_M_MATRIX,
  WINOGRAD_M_MATRIX,
  WINOGRAD_PLAN_BYTES,
  WINOGRAD_TILES,
  WINOGRAD_U_PANELS,
  WINOGRAD_V_MATRIX,
  WINOGRAD_V_ROWS
} from '../plan-layouts'
import type { KernelMemory } from './kernel-memory'

/**
 * Floats from one of a chunk's 16 matrices to the next, for `floats` in each: whole cache lines, an odd
 * number of them, so the 16 that a kernel reads or writes side by side fall in different sets of the
 * cache (a stride that is a multiple of 4 KB put all 16 in one set: cnn-deep's 8×8 and 16×16 maps at
 * batch 100 ran 2–3 times slower per value).
 */
export function spreadMatrix(floats: number): number {
  const lines = Math.ceil(floats / 16)
  return (lines % 2 === 0 ? lines + 1 : lines) * 16
}

/** The compiled kernels this file calls (assembly/f32/winograd-input.ts); pointers are byte addresses. */
export interface WinogradInputKernels {
  winogradInput(plan: number, x: number, v: number, vMatrix: number, imgStart: number, imgEnd: number): void
}

/** The fields of a chunk's plan after the geometry (plan-layouts.ts), by name; the ones a pass does not use are 0. */
export interface WinogradPlan {
  filters: number
  vMatrix: number
  mMatrix: number
  uPanels: number
  tiles: number
  gradMMatrix: number
  /** F(4×4)'s weight gradient only: floats from one channel's row of V to the next (default: tiles). */
  vRows?: number
}

/** Writes a chunk's plan at `at`: the geometry, then `plan`'s fields at their offsets. */
export function writePlan(mem: KernelMemory, at: number, g: ConvGeometry, plan: WinogradPlan): void {
  mem.writeGeometry(at, g)
  const view = mem.planAt(at + GEOMETRY_BYTES, WINOGRAD_PLAN_BYTES - GEOMETRY_BYTES)
  const field = (offset: number, value: number): void => view.setInt32(offset - GEOMETRY_BYTES, value, true)
  field(WINOGRAD_FILTERS, plan.filters)
  field(WINOGRAD_V_MATRIX, plan.vMatrix)
  field(WINOGRAD_M_MATRIX, plan.mMatrix)
  field(WINOGRAD_U_PANELS, plan.uPanels)
  field(WINOGRAD_TILES, plan.tiles)
  field(WINOGRAD_GRAD_M_MATRIX, plan.gradMMatrix)
  field(WINOGRAD_V_ROWS, plan.vRows ?? plan.tiles)
}

/** V for images [0, images) of the chunk at `xChunk` (its plan at `planAt`), split between threads by images. */
export function inputTiles(mem: KernelMemory, planAt: number, xChunk: number, vAt: number, vMatrix: number, images: number, minImages: number): void {
  mem.split('winogradInput', [planAt, xChunk, vAt, vMatrix], images, 1, minImages, (start, end) =>
    mem.kernels.winogradInput(planAt, xChunk, vAt, vMatrix, start, end)
  )
}
