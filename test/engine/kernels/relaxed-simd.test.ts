import { describe, expect, it } from 'vitest'
import { createWasmGemmF32 } from '../../../src/engine/kernels/f32/kernels'

/*
 * The float32 kernels pick their fused multiply-add build once (f32/relaxed-simd.ts): under Node it is
 * turned on, so the CLI, the tests and the benchmarks run the build Chromium and Electron run. The sum
 * −1·1 + a·a with a = 1 + 2⁻¹² tells the two apart: fused, a·a − 1 is rounded once and keeps its 2⁻²⁴;
 * a multiply then an add first rounds a·a to 1 + 2⁻¹¹ (a tie, to even) and loses it.
 */
describe('the float32 kernels on relaxed SIMD', () => {
  const a = 1 + 2 ** -12

  it('run the fused build under Node, and its products round each term once (where the processor has FMA)', () => {
    const kernels = createWasmGemmF32()
    expect(kernels?.fusedMultiplyAdd).toBe(true)
    const left = Float32Array.from([-1, a])
    const right = Float32Array.from([1, a])
    const out = new Float32Array(1)
    kernels!.matmul(left, right, out, 1, 2, 1)
    // Every processor this lab targets has FMA (relaxed-simd.ts names the ones that do not: there the 2⁻²⁴ is lost).
    expect(out[0]).toBe(2 ** -11 + 2 ** -24)
  })
})
