/**
 * A session says when its host forgot to install the WebAssembly backends: the engine is right but slow,
 * which is easy to miss (its ready event says kernels 'ts'; the console says why).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => vi.restoreAllMocks())

async function startSession({ install }: { install: boolean }): Promise<string[]> {
  vi.resetModules() // a fresh registry, as in a new host: the set-up file's installation belongs to the old one
  const warnings: string[] = []
  vi.spyOn(console, 'warn').mockImplementation((message: unknown) => void warnings.push(String(message)))
  if (install) (await import('../../../src/engine/kernels/install-wasm-backends')).installWasmBackends()
  const { createEngineSession } = await import('../../../src/engine/session/session')
  createEngineSession()
  return warnings
}

describe('a session on a host that did not install the WebAssembly backends', () => {
  it('warns that the TypeScript backend computes', async () => {
    expect(await startSession({ install: false })).toEqual([expect.stringMatching(/no WebAssembly backends installed .*TypeScript backend/)])
  })

  it('is quiet where the host installed them', async () => {
    expect(await startSession({ install: true })).toEqual([])
  })
})
