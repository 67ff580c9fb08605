import type { RunRecord } from './run-record'
import type { RunStorage, StoredRunItem } from './run-storage'

/**
 * Records in memory, copied through JSON as a real store would serialise them. Used by tests, and as the
 * fallback when the browser offers no IndexedDB (runs then last until the page closes).
 */
export class MemoryRunStorage implements RunStorage {
  readonly kind = 'memory' as const
  readonly items = new Map<string, unknown>()
  saves = 0

  async list(): Promise<StoredRunItem[]> {
    return [...this.items.entries()].map(([id, data]) => ({ id, data: structuredCloneJson(data) }))
  }

  async read(ids: readonly string[]): Promise<StoredRunItem[]> {
    return ids.map((id) => (this.items.has(id) ? { id, data: structuredCloneJson(this.items.get(id)) } : { id, error: 'the record no longer exists' }))
  }

  async save(record: RunRecord): Promise<void> {
    this.saves++
    this.items.set(record.id, structuredCloneJson(record))
  }

  async remove(id: string): Promise<void> {
    this.items.delete(id)
  }
}

function structuredCloneJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value))
}
