import { createPinia, setActivePinia } from 'pinia'
import { PROTOCOL_VERSION } from '@engine/protocol'
import type { MemoryRunStorage } from '@renderer/lib/storage/memory-storage'
import { useCurrentRunStore } from '@renderer/stores/current-run'
import { useEngineStore } from '@renderer/stores/engine'
import { useRunLibraryStore } from '@renderer/stores/run-library'
import { DATASET, fakeConnection, preset } from '../fixtures'

/**
 * A fresh Pinia with the run library (on `storage`, when given), the current run and the engine store on
 * one fake connection, and the engine ready with one preset, vg-relu-he (`p`): where the store tests begin.
 */
export function readyStores<S extends MemoryRunStorage | undefined = undefined>(storage?: S) {
  setActivePinia(createPinia())
  const fake = fakeConnection()
  const runs = useRunLibraryStore()
  if (storage) runs.attachStorage(storage)
  const run = useCurrentRunStore()
  const engine = useEngineStore()
  run.attach(fake.connection)
  engine.attach(fake.connection)
  const p = preset('vg-relu-he', 'vanishing-gradient')
  fake.send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets: [p], dataset: DATASET, activeRunId: null })
  return { ...fake, run, runs, engine, p, storage: storage as S }
}
