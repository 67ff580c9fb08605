import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { wasmF32Kernels } from '../../../src/engine/kernels/backend'

/*
 * Arrays that live in the float32 kernels' memory (kernelFloats): their room is given back when they are
 * released or become garbage, so a session that builds network after network does not grow without end.
 */
const ROOT = resolve(import.meta.dirname, '../../..')

describe('resident arrays in the kernels’ memory', () => {
  it('reuse the room of a released array, zeroed', () => {
    const kernels = wasmF32Kernels()!
    const before = kernels.residentBytes
    const first = kernels.resident(1000)!
    const second = kernels.resident(500)!
    first.fill(7)
    expect(kernels.residentBytes).toBe(before + 4032 + 2048)
    kernels.releaseResident(first)
    expect(kernels.isResident(first)).toBe(false)
    expect(kernels.residentBytes).toBe(before + 2048)
    const third = kernels.resident(900)!
    expect(third.byteOffset).toBe(first.byteOffset) // first fit: the hole the first array left
    expect(third.every((v) => v === 0)).toBe(true)
    kernels.releaseResident(second)
    kernels.releaseResident(third)
    expect(kernels.residentBytes).toBe(before)
  })

  it('are given back once garbage: twelve conv networks in a row hold the room of about two', () => {
    const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'test/engine/kernels/fixtures/resident-churn.ts')], {
      cwd: ROOT,
      encoding: 'utf8'
    })
    expect(result.stderr).toBe('')
    const { taken } = JSON.parse(result.stdout) as { taken: number[] }
    const perNetwork = taken[0]
    expect(perNetwork).toBeGreaterThan(1_000_000) // the im2col matrix and the product's rows
    expect(Math.max(...taken)).toBeLessThanOrEqual(2 * perNetwork)
  })
})
