/**
 * vitest set-up of the engine project: each test file's engine runs on WebAssembly, as an engine host's
 * does (the hosts install the backends themselves; the renderer's main thread, which the renderer project
 * stands for, does not). A test that needs the TypeScript backend asks for it (`setBackend('ts')`).
 */
import { installWasmBackends } from '../../src/engine/kernels/install-wasm-backends'

installWasmBackends()
