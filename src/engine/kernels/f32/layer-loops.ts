/**
 * Element-by-element layers on the float32 kernels (assembly/f32/layer-loops.ts): ReLU, max pooling (and
 * both in one pass for inference) and an affine layer's bias, each the same bits as its TypeScript loop.
 */
import type { ConvGeometry } from '../conv-shape'
import { KernelMemory, MIN_PART_VALUES } from './kernel-memory'

/** The compiled kernels this file calls (assembly/f32/layer-loops.ts); pointers are byte addresses. */
export interface LayerLoopKernels {
  reluForward(x: number, y: number, start: number, end: number): void
  reluBackward(x: number, g: number, dx: number, start: number, end: number): void
  maxPoolForward(geometry: number, x: number, out: number, argmax: number, mapStart: number, mapEnd: number): void
  maxPoolBackward(dout: number, argmax: number, dx: number, mapSize: number, outsPerMap: number, mapStart: number, mapEnd: number): void
  reluMaxPoolForward(geometry: number, x: number, out: number, mapStart: number, mapEnd: number): void
  addRowBias(out: number, bias: number, cols: number, rowStart: number, rowEnd: number): void
  columnSums(g: number, rows: number, cols: number, sums: number, colStart: number, colEnd: number): void
}

/** y = max(x, 0) (relu.ts's values for every finite x and NaN). */
export function reluForward(mem: KernelMemory, x: Float32Array, y: Float32Array): void {
  const size = x.length
  const regions = mem.layout([
    [x, size],
    [y, size]
  ])
  if (!regions) return reluForwardLoop(x, y)
  const [xAt, yAt] = regions
  mem.put(x, xAt, size)
  mem.split('reluForward', [xAt, yAt], size, 4, MIN_PART_VALUES, (start, end) => mem.kernels.reluForward(xAt, yAt, start, end))
  mem.take(y, yAt, size)
}

/** dx = g · (x > 0 ? 1 : 0), as relu.ts. */
export function reluBackward(mem: KernelMemory, x: Float32Array, g: Float32Array, dx: Float32Array): void {
  const size = g.length
  const regions = mem.layout([
    [x, size],
    [g, size],
    [dx, size]
  ])
  if (!regions) return reluBackwardLoop(x, g, dx)
  const [xAt, gAt, dxAt] = regions
  mem.put(x, xAt, size)
  mem.put(g, gAt, size)
  mem.split('reluBackward', [xAt, gAt, dxAt], size, 4, MIN_PART_VALUES, (start, end) => mem.kernels.reluBackward(xAt, gAt, dxAt, start, end))
  mem.take(dx, dxAt, size)
}

/** Max pooling of every map of x (geometry g: windows g.fh × g.fh), with each maximum's input index; false when it cannot run here. */
export function maxPoolForward(mem: KernelMemory, x: Float32Array, g: ConvGeometry, out: Float32Array, argmax: Int32Array): boolean {
  const inSize = g.n * g.c * g.h * g.w
  const outSize = g.n * g.c * g.oh * g.ow
  const regions = mem.layout([
    [x, inSize],
    [out, outSize],
    [argmax, outSize],
    [null, KernelMemory.GEOMETRY_WORDS]
  ])
  if (!regions) return false
  const [xAt, outAt, argAt, geometryAt] = regions
  mem.put(x, xAt, inSize)
  mem.writeGeometry(geometryAt, g)
  const maps = g.n * g.c
  mem.split('maxPoolForward', [geometryAt, xAt, outAt, argAt], maps, 1, mem.minParts(g.h * g.w), (start, end) =>
    mem.kernels.maxPoolForward(geometryAt, xAt, outAt, argAt, start, end)
  )
  mem.take(out, outAt, outSize)
  mem.take(argmax, argAt, outSize)
  return true
}

/** Inference's max pooling of max(x, 0), as reluForward then maxPoolForward, without the argmax; false when it cannot run here. */
export function reluMaxPoolForward(mem: KernelMemory, x: Float32Array, g: ConvGeometry, out: Float32Array): boolean {
  const inSize = g.n * g.c * g.h * g.w
  const outSize = g.n * g.c * g.oh * g.ow
  const regions = mem.layout([
    [x, inSize],
    [out, outSize],
    [null, KernelMemory.GEOMETRY_WORDS]
  ])
  if (!regions) return false
  const [xAt, outAt, geometryAt] = regions
  mem.put(x, xAt, inSize)
  mem.writeGeometry(geometryAt, g)
  mem.split('reluMaxPoolForward', [geometryAt, xAt, outAt], g.n * g.c, 1, mem.minParts(g.h * g.w), (start, end) =>
    mem.kernels.reluMaxPoolForward(geometryAt, xAt, outAt, start, end)
  )
  mem.take(out, outAt, outSize)
  return true
}

/** dx from dout through the argmax of maxPoolForward; false when it cannot run here. */
export function maxPoolBackward(mem: KernelMemory, dout: Float32Array, argmax: Int32Array, g: ConvGeometry, dx: Float32Array): boolean {
  const inSize = g.n * g.c * g.h * g.w
  const outSize = g.n * g.c * g.oh * g.ow
  const regions = mem.layout([
    [dout, outSize],
    [argmax, outSize],
    [dx, inSize]
  ])
  if (!regions) return false
  const [doutAt, argAt, dxAt] = regions
  mem.put(dout, doutAt, outSize)
  mem.put(argmax, argAt, outSize)
  const mapSize = g.h * g.w
  const outsPerMap = g.oh * g.ow
  mem.split('maxPoolBackward', [doutAt, argAt, dxAt, mapSize, outsPerMap], g.n * g.c, 1, mem.minParts(mapSize), (start, end) =>
    mem.kernels.maxPoolBackward(doutAt, argAt, dxAt, mapSize, outsPerMap, start, end)
  )
  mem.take(dx, dxAt, inSize)
  return true
}

/** out (rows × cols) += bias on every row, as affine.ts. */
export function addRowBias(mem: KernelMemory, out: Float32Array, bias: Float32Array, rows: number, cols: number): void {
  const regions = mem.layout([
    [out, rows * cols],
    [bias, cols]
  ])
  if (!regions) return addRowBiasLoop(out, bias, rows, cols)
  const [outAt, biasAt] = regions
  mem.put(out, outAt, rows * cols)
  mem.put(bias, biasAt, cols)
  mem.split('addRowBias', [outAt, biasAt, cols], rows, 1, mem.minParts(cols), (start, end) => mem.kernels.addRowBias(outAt, biasAt, cols, start, end))
  mem.take(out, outAt, rows * cols)
}

/** sums = the column sums of g (rows × cols) in row order from +0, as affine.ts's bias gradient. */
export function columnSums(mem: KernelMemory, g: Float32Array, rows: number, cols: number, sums: Float32Array): void {
  const regions = mem.layout([
    [g, rows * cols],
    [sums, cols]
  ])
  if (!regions) return columnSumsLoop(g, rows, cols, sums)
  const [gAt, sumsAt] = regions
  mem.put(g, gAt, rows * cols)
  mem.split('columnSums', [gAt, rows, cols, sumsAt], cols, 16, mem.minParts(rows * 16), (start, end) =>
    mem.kernels.columnSums(gAt, rows, cols, sumsAt, start, end)
  )
  mem.take(sums, sumsAt, cols)
}

function addRowBiasLoop(out: Float32Array, bias: Float32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] += bias[j]
}

function columnSumsLoop(g: Float32Array, rows: number, cols: number, sums: Float32Array): void {
  sums.fill(0, 0, cols)
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) sums[j] += g[i * cols + j]
}

// The ReLU loops, for arrays too large for the kernels' memory.
function reluForwardLoop(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < x.length; i++) y[i] = Math.max(x[i], 0)
}

function reluBackwardLoop(x: Float32Array, g: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < g.length; i++) dx[i] = g[i] * +(x[i] > 0)
}
