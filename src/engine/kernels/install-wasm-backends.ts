/**
 * Installs the WebAssembly backends in this engine: the float32 SIMD kernels (with threads and Winograd)
 * and the float64 SIMD products. Whoever starts an engine calls it once, before the engine's first
 * computation: the engine hosts (web worker, utility process), the CLI and its sweep workers, the test
 * set-up, the benchmarks. It is the only way into the compiled modules, so code that only uses layers or
 * optimizers (the renderer's main thread) does not carry them; there the TypeScript backend answers.
 *
 * Nothing is compiled here: the registry (backend.ts) builds and validates each module once, when the
 * engine first needs it, unless the TypeScript backend was asked for.
 */
import { WasmF32Backend } from './backends/wasm-f32'
import { registerWasmBackends, type WasmBackends } from './backend'
import { createWasmGemmF32 } from './f32/kernels'
import { createWasmGemm } from './f64/products'

const WASM_BACKENDS: WasmBackends = {
  float64Products: createWasmGemm,
  float32Kernels: createWasmGemmF32,
  float32Backend: (kernels) => new WasmF32Backend(kernels)
}

/** Lets this engine run on WebAssembly where the modules validate (calling it again changes nothing). */
export function installWasmBackends(): void {
  registerWasmBackends(WASM_BACKENDS)
}
