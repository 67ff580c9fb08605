/**
 * The desktop model library end to end below the IPC: the renderer's ElectronModelStorage on top of the
 * main process's file store in a temporary folder (the IPC handlers only validate and forward).
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createModelFileStore } from '../../src/main/model-files'
import { ElectronModelStorage } from '../../src/renderer/src/lib/models/model-storage'

function bridgeOver(dir: string) {
  const store = createModelFileStore(dir)
  return {
    models: {
      list: () => store.list(),
      read: (id: string) => store.read(id),
      save: (entry: { id: string }, bytes: Uint8Array) => store.save(entry.id, entry, bytes),
      saveEntry: (entry: { id: string }) => store.saveEntry(entry.id, entry),
      remove: (id: string) => store.remove(id),
      openModelFile: async () => ({ canceled: true as const }),
      saveModelFile: async () => ({ canceled: true as const })
    }
  }
}

describe('the desktop model library', () => {
  it('stores, lists, renames and removes models as files in the user-data folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-models-'))
    const storage = new ElectronModelStorage(bridgeOver(dir))
    const model = { id: 'model-abc-123', name: 'he 300', addedAt: '2026-11-28T19:00:00.000Z', bytes: new Uint8Array([1, 2, 3, 4]) }
    await storage.put(model)
    expect(readdirSync(dir).sort()).toEqual(['model-abc-123.json', 'model-abc-123.safetensors'])
    expect(await storage.list()).toEqual([model])
    await storage.put({ ...model, name: 'renamed' })
    expect((await storage.list())[0].name).toBe('renamed')
    // A damaged entry is skipped, not fatal.
    writeFileSync(join(dir, 'model-bad-1.json'), '{ not json')
    expect((await storage.list()).map((m) => m.id)).toEqual(['model-abc-123'])
    await storage.remove('model-abc-123')
    expect((await storage.list()).length).toBe(0)
  })
})
