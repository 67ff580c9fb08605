import { afterEach, describe, expect, it, vi } from 'vitest'

// A fresh copy of the backend registry per case: it decides about wasm once, on first use. The engine's
// hosts install the WebAssembly backends; `install: false` stands for code that runs without one.
async function freshBackend({ install = true } = {}) {
  vi.resetModules()
  if (install) (await import('../../../src/engine/kernels/install-wasm-backends')).installWasmBackends()
  return import('../../../src/engine/kernels/backend')
}

function product(backend: Awaited<ReturnType<typeof freshBackend>>): number[] {
  const c = new Float64Array(4)
  backend.matmul(new Float64Array([1, 0, 2, 3]), new Float64Array([4, 5, 6, 7]), c, 2, 2, 2)
  return Array.from(c)
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('the backend falls back to the TypeScript kernels', () => {
  it('where there is no WebAssembly', async () => {
    vi.stubGlobal('WebAssembly', undefined)
    const backend = await freshBackend()
    expect(backend.backendKind()).toBe('ts')
    expect(product(backend)).toEqual([4, 5, 26, 31])
    expect(() => backend.setBackend('wasm')).toThrow(/not available/)
  })

  it("where compiling is refused (a content-security policy without 'wasm-unsafe-eval')", async () => {
    const real = WebAssembly
    vi.stubGlobal('WebAssembly', {
      ...real,
      validate: real.validate,
      Module: class {
        constructor() {
          throw new real.CompileError('Refused to compile or instantiate WebAssembly module')
        }
      }
    })
    const backend = await freshBackend()
    expect(backend.backendKind()).toBe('ts')
    expect(product(backend)).toEqual([4, 5, 26, 31])
  })

  it('where SIMD does not validate', async () => {
    vi.stubGlobal('WebAssembly', { ...WebAssembly, validate: () => false })
    const backend = await freshBackend()
    expect(backend.backendKind()).toBe('ts')
    expect(backend.backendReason()).toBe('unavailable')
  })

  it('where no host installed the WebAssembly backends (the renderer main thread), and says so', async () => {
    const backend = await freshBackend({ install: false })
    expect(backend.backendKind()).toBe('ts')
    expect(backend.backendReason()).toBe('not-installed')
    expect(product(backend)).toEqual([4, 5, 26, 31])
    expect(backend.wasmF32Kernels()).toBeNull()
    expect(() => backend.setBackend('wasm')).toThrow(/no WebAssembly backends were installed/)
  })

  it('where the TypeScript backend is asked for', async () => {
    const backend = await freshBackend()
    backend.setBackend('ts')
    expect(backend.backendReason()).toBe('requested')
    backend.setBackend('auto')
    expect(backend.backendKind()).toBe('wasm')
    expect(backend.backendReason()).toBeNull()
  })
})

describe('installing the WebAssembly backends', () => {
  it('makes the engine run on them, whether before or after its first computation', async () => {
    vi.resetModules()
    const backend = await import('../../../src/engine/kernels/backend')
    expect(backend.backendKind()).toBe('ts')
    const { installWasmBackends } = await import('../../../src/engine/kernels/install-wasm-backends')
    installWasmBackends()
    expect(backend.backendKind()).toBe('wasm')
    const kernels = backend.wasmF32Kernels()
    expect(kernels).not.toBeNull()
    installWasmBackends() // again: the same kernels, nothing compiled twice
    expect(backend.wasmF32Kernels()).toBe(kernels)
    expect(product(backend)).toEqual([4, 5, 26, 31])
  })
})
