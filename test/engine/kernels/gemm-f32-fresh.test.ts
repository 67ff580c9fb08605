import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KERNEL_MODULE, kernelModuleText } from '../../../scripts/lib/kernel-build.mjs'

/*
 * The compiled kernels are committed (gemm-f32-module.ts) so no host compiles anything at run time. This
 * recompiles the AssemblyScript source with the build's own options and compares: a kernel edited
 * without rebuilding fails here.
 */
describe('the committed float32 kernel module', () => {
  it('is what the AssemblyScript source compiles to today', async () => {
    const committed = readFileSync(resolve(import.meta.dirname, '../../..', KERNEL_MODULE), 'utf8')
    const fresh = await kernelModuleText()
    expect(committed === fresh, `${KERNEL_MODULE} is stale: run npm run kernels:build and commit it`).toBe(true)
  }, 60_000)
})
