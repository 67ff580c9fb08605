import { afterEach, describe, expect, it, vi } from 'vitest'

// A fresh copy of the backend registry per case: it decides about wasm once, on first use.
async function freshBackend() {
  vi.resetModules()
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
  })
})
