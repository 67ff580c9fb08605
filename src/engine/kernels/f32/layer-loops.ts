/**
 * Element-by-element layers on the float32 kernels (assembly/layers-f32.ts): ReLU, max pooling and
 * forming a batch from bytes, each the same bits as its TypeScript loop.
 */
import type { ConvGeometry } from '../conv-shape'
import { KernelMemory, MIN_PART_VALUES } from './kernel-memory'

/** y = max(x, 0) (relu.ts's values for every finite x and NaN). */
export function reluForward(mem: KernelMemory, x: Float32Array, y: Float32Array): void {
  const size = x.length
  const regions = mem.layout([[x, size], [y, size]])
  if (!regions) return reluForwardLoop(x, y)
  const [xAt, yAt] = regions
  mem.put(x, xAt, size)
  mem.split('reluForward', [xAt, yAt], size, 4, MIN_PART_VALUES, (start, end) => mem.kernels.reluForward(xAt, yAt, start, end))
  mem.take(y, yAt, size)
}

/** dx = g · (x > 0 ? 1 : 0), as relu.ts. */
export function reluBackward(mem: KernelMemory, x: Float32Array, g: Float32Array, dx: Float32Array): void {
  const size = g.length
  const regions = mem.layout([[x, size], [g, size], [dx, size]])
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
  const regions = mem.layout([[x, inSize], [out, outSize], [argmax, outSize], [null, KernelMemory.GEOMETRY_INTS]])
  if (!regions) return false
  const [xAt, outAt, argAt, geometryAt] = regions
  mem.put(x, xAt, inSize)
  mem.writeGeometry(geometryAt, g)
  const maps = g.n * g.c
  mem.split('maxPoolForward', [geometryAt, xAt, outAt, argAt], maps, 1, mem.minParts(g.h * g.w), (start, end) => mem.kernels.maxPoolForward(geometryAt, xAt, outAt, argAt, start, end))
  mem.take(out, outAt, outSize)
  mem.take(argmax, argAt, outSize)
  return true
}

/** dx from dout through the argmax of maxPoolForward; false when it cannot run here. */
export function maxPoolBackward(mem: KernelMemory, dout: Float32Array, argmax: Int32Array, g: ConvGeometry, dx: Float32Array): boolean {
  const inSize = g.n * g.c * g.h * g.w
  const outSize = g.n * g.c * g.oh * g.ow
  const regions = mem.layout([[dout, outSize], [argmax, outSize], [dx, inSize]])
  if (!regions) return false
  const [doutAt, argAt, dxAt] = regions
  mem.put(dout, doutAt, outSize)
  mem.put(argmax, argAt, outSize)
  const mapSize = g.h * g.w
  const outsPerMap = g.oh * g.ow
  mem.split('maxPoolBackward', [doutAt, argAt, dxAt, mapSize, outsPerMap], g.n * g.c, 1, mem.minParts(mapSize), (start, end) => mem.kernels.maxPoolBackward(doutAt, argAt, dxAt, mapSize, outsPerMap, start, end))
  mem.take(dx, dxAt, inSize)
  return true
}

/**
 * A batch's pixels as byte / 255 (data/batch.ts's values, bit for bit): images `indices` of `images`
 * (`pixels` bytes each), in order, into out. False when it cannot run here.
 */
export function gatherPixels(mem: KernelMemory, images: Uint8Array, indices: ArrayLike<number>, pixels: number, out: Float32Array): boolean {
  return unitPixels(mem, indices.length * pixels, out, (bytes) => {
    for (let i = 0; i < indices.length; i++) bytes.set(images.subarray(indices[i] * pixels, (indices[i] + 1) * pixels), i * pixels)
  })
}

/** gatherPixels for the images [first, first + count): one copy. */
export function gatherPixelRange(mem: KernelMemory, images: Uint8Array, first: number, count: number, pixels: number, out: Float32Array): boolean {
  return unitPixels(mem, count * pixels, out, (bytes) => bytes.set(images.subarray(first * pixels, (first + count) * pixels)))
}

function unitPixels(mem: KernelMemory, count: number, out: Float32Array, fill: (bytes: Uint8Array) => void): boolean {
  const regions = mem.layout([[null, Math.ceil(count / 4)], [out, count]])
  if (!regions) return false
  const [bytesAt, outAt] = regions
  fill(mem.bytesAt(bytesAt, count))
  mem.split('unitPixels', [bytesAt, outAt], count, 16, MIN_PART_VALUES, (start, end) => mem.kernels.unitPixels(bytesAt, outAt, start, end))
  mem.take(out, outAt, count)
  return true
}

// The ReLU loops, for arrays too large for the kernels' memory.
function reluForwardLoop(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < x.length; i++) y[i] = Math.max(x[i], 0)
}

function reluBackwardLoop(x: Float32Array, g: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < g.length; i++) dx[i] = g[i] * +(x[i] > 0)
}
