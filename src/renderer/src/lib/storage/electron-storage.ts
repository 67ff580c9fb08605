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

  async save(record: RunRecord): Promise<void> {
    try {
      await this.bridge.runs.save(record)
    } catch (error) {
      throw new Error(withoutIpcPrefix(error))
    }
  }

  remove(id: string): Promise<void> {
    return this.bridge.runs.remove(id)
  }
}

/** Electron wraps a main-process error as "Error invoking remote method 'runs:save': Error: …": keep the "…". */
export function withoutIpcPrefix(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/^Error invoking remote method '[^']+': (?:\w*Error: )?/, '')
}
