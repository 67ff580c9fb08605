import { isFloat32, type FloatArray } from '../core/dtype'
import { activeF32Kernels } from '../kernels/gemm'
import type { OptimizerUpdate } from '../kernels/f32/optimizer-updates'

/**
 * Runs a float32 parameter's update on the kernels (assembly/f32/optimizer-updates.ts: the same float64
 * arithmetic in the same order as the optimizer's own loop, so the same bits, several times faster).
 * `arrays`: value, gradient, then the optimizer's buffers; `scalars` as that kernel reads them. False
 * when the update must run in the caller's loop (float64, or no kernels here).
 */
export function updateOnKernels(update: OptimizerUpdate, arrays: readonly FloatArray[], scalars: readonly number[]): boolean {
  if (!isFloat32(arrays[0])) return false
  return activeF32Kernels()?.optimizerUpdate(update, arrays as Float32Array[], scalars) ?? false
}
