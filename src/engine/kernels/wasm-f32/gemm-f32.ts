/** Placeholder until the AssemblyScript kernel lands (branch f32kernel): float32 runs on gemm-ts.ts. */
export interface GemmKernelsF32 {
  matmul(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void
  matmulTransA(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number): void
  matmulTransB(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number): void
}

export function createWasmGemmF32(): GemmKernelsF32 | undefined {
  return undefined
}
