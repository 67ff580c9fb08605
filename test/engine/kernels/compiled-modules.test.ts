import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeBase64 } from '../../../src/engine/kernels/base64'
import { F64_KERNELS_WASM } from '../../../src/engine/kernels/f64/compiled-module'
import { KERNEL_MODULES, kernelModuleText } from '../../../scripts/lib/kernel-build.mjs'

/*
 * The compiled kernels are committed (f32/ and f64/compiled-module.ts) so no host compiles anything at
 * run time. This recompiles the AssemblyScript sources with the build's own options and compares: a
 * kernel edited without rebuilding fails here.
 */
describe('the committed kernel modules', () => {
  it.each(KERNEL_MODULES.map((module) => [module.output, module] as const))(
    '%s is what its AssemblyScript sources compile to today',
    async (output, module) => {
      const committed = readFileSync(resolve(import.meta.dirname, '../../..', output), 'utf8')
      const fresh = await kernelModuleText(module)
      expect(committed === fresh, `${output} is stale: run npm run kernels:build and commit it`).toBe(true)
    },
    120_000
  )

  it('float64: validates, and stays under the 4 KB Chromium allows compiling synchronously on any thread', () => {
    const bytes = decodeBase64(F64_KERNELS_WASM)
    expect(WebAssembly.validate(bytes)).toBe(true)
    expect(bytes.length).toBeLessThan(4096)
  })
})
