/**
 * The optimizers' updates for float32 parameters on the kernels (assembly/optimizers-f32.ts): float64
 * arithmetic in the optimizers' own order, so the same bits as their loops.
 */
import { MIN_PART_VALUES, type KernelMemory } from './kernel-memory'

/** The optimizers whose float32 updates run on the kernels. */
export type OptimizerUpdate = 'sgdUpdate' | 'momentumUpdate' | 'nesterovUpdate' | 'adagradUpdate' | 'rmspropUpdate' | 'adamUpdate'

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
  const kernel = mem.kernels[update]
  mem.split(update, args, size, 4, MIN_PART_VALUES, (start, end) => kernel(...args, start, end))
  arrays.forEach((array, i) => i !== 1 && mem.take(array, regions[i], size))
  return true
}
