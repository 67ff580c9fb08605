/**
 * The optimizers' updates for float32 parameters on the kernels (assembly/f32/optimizer-updates.ts):
 * float64 arithmetic in the optimizers' own order, so the same bits as their loops.
 */
import type { KernelMemory } from './kernel-memory'

/**
 * Elements of an update worth a thread's wake-up: each takes float64 arithmetic and a square root or a
 * division (Adam ~2.3 ns an element here), so 16,384 are ~40 µs of work, several times a wake-up, where a
 * copy's MIN_PART_VALUES would keep every layer of cnn-deep (36,864 and 51,200 weights at most) on one thread.
 */
const MIN_PART_UPDATES = 16_384

/**
 * The compiled kernels this file calls (assembly/f32/optimizer-updates.ts), one per optimizer: the
 * parameter's value, its gradient and the optimizer's buffers, then the scalars' address, then the
 * element range (pointers are byte addresses).
 */
export interface OptimizerKernels {
  sgdUpdate(value: number, grad: number, s: number, start: number, end: number): void
  momentumUpdate(value: number, grad: number, velocity: number, s: number, start: number, end: number): void
  nesterovUpdate(value: number, grad: number, velocity: number, s: number, start: number, end: number): void
  adagradUpdate(value: number, grad: number, h: number, s: number, start: number, end: number): void
  rmspropUpdate(value: number, grad: number, h: number, s: number, start: number, end: number): void
  adamUpdate(value: number, grad: number, m: number, v: number, s: number, start: number, end: number): void
}

/** The optimizers whose float32 updates run on the kernels (a kernel each, called by name). */
export const OPTIMIZER_UPDATES = [
  'sgdUpdate',
  'momentumUpdate',
  'nesterovUpdate',
  'adagradUpdate',
  'rmspropUpdate',
  'adamUpdate'
] as const satisfies readonly (keyof OptimizerKernels)[]
export type OptimizerUpdate = (typeof OPTIMIZER_UPDATES)[number]

/**
 * One optimizer update over every element: `arrays` are the parameter's value, its gradient, then the
 * optimizer's buffers (all updated in place but the gradient); `scalars` (float64) in the order the
 * kernel reads them. False when it cannot run here (the optimizer's loops then do).
 */
export function optimizerUpdate(mem: KernelMemory, update: OptimizerUpdate, arrays: readonly Float32Array[], scalars: readonly number[]): boolean {
  const size = arrays[0].length
  const regions = mem.layout([...arrays.map((a) => [a, size] as const), [null, scalars.length * 2]])
  if (!regions) return false
  const scalarsAt = regions[arrays.length]
  arrays.forEach((array, i) => mem.put(array, regions[i], size))
  mem.doublesAt(scalarsAt, scalars.length).set(scalars)
  const args = [...regions.slice(0, arrays.length), scalarsAt]
  const kernel = mem.kernels[update] as (...args: number[]) => void
  mem.split(update, args, size, 4, MIN_PART_UPDATES, (start, end) => kernel(...args, start, end))
  arrays.forEach((array, i) => i !== 1 && mem.take(array, regions[i], size))
  return true
}
