import type { RunRecord } from './run-record'
import type { RunStorage, StoredRunItem } from './run-storage'

/**
 * Electron host: records are files in the app's user-data folder, written by the main process (atomically:
 * a temporary file, then a rename). Main lists summaries from its index; whole records are read on demand.
 * This adapter only forwards to the preload's `runs` methods.
 */
export class ElectronRunStorage implements RunStorage {
  readonly kind = 'files' as const

  constructor(private readonly bridge: Pick<GradientLabBridge, 'runs'>) {}

  async list(): Promise<StoredRunItem[]> {
    const files = await this.bridge.runs.list()
    return files.map((f) => (f.ok ? { id: f.id, summary: f.data } : { id: f.id, error: f.reason }))
  }

  async read(ids: readonly string[]): Promise<StoredRunItem[]> {
    const files = await this.bridge.runs.read([...ids])
    return files.map((f) => (f.ok ? { id: f.id, data: f.data } : { id: f.id, error: f.reason }))
  }

  save(record: RunRecord): Promise<void> {
    return this.bridge.runs.save(record)
  }

  remove(id: string): Promise<void> {
    return this.bridge.runs.remove(id)
  }
}
