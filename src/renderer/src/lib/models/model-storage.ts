import type { GradientLabApi } from '../../../../preload/api'
import { done, request } from '../storage/idb'
import { assertBrowserQuota } from '../storage/browser-quota'

/**
 * Where saved models are kept: one entry per model, its display name and the model file's bytes (the
 * file itself is what gets exported, so nothing is lost between the library and the disk). IndexedDB in
 * a browser (one transaction per write: a model is stored whole or not at all); memory in tests.
 */
export interface StoredModel {
  id: string
  name: string
  /** The .safetensors file */
  bytes: Uint8Array
  /** When it entered the library (ISO). */
  addedAt: string
}

export interface ModelStorage {
  readonly kind: 'indexeddb' | 'files' | 'memory'
  list(): Promise<StoredModel[]>
  put(model: StoredModel): Promise<void>
  remove(id: string): Promise<void>
}

export const MODELS_DB = 'gradient-lab-models'
const STORE = 'models'

export class IndexedDbModelStorage implements ModelStorage {
  readonly kind = 'indexeddb' as const
  private db: Promise<IDBDatabase> | null = null

  constructor(private readonly factory: IDBFactory = indexedDB) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const req = this.factory.open(MODELS_DB, 1)
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'id' })
      }
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'))
      req.onblocked = () => reject(new Error('the model library is blocked by another tab of Gradient Lab'))
    })
    return this.db
  }

  async list(): Promise<StoredModel[]> {
    const db = await this.open()
    const all = (await request(db.transaction(STORE, 'readonly').objectStore(STORE).getAll())) as unknown[]
    return all.filter(isStoredModel)
  }

  async put(model: StoredModel): Promise<void> {
    const db = await this.open()
    // The quota (src/engine/store-quota.ts), before anything is written; a replaced model's bytes are freed.
    const all = await this.list()
    const storedBytes = all.reduce((sum, m) => (m.id === model.id ? sum : sum + m.bytes.byteLength), 0)
    const replacedBytes = all.find((m) => m.id === model.id)?.bytes.byteLength ?? 0
    await assertBrowserQuota({ store: 'models', storedBytes, writeBytes: model.bytes.byteLength, replacedBytes })
    const tx = db.transaction(STORE, 'readwrite')
    tx.objectStore(STORE).put(model)
    await done(tx)
  }

  async remove(id: string): Promise<void> {
    const db = await this.open()
    const tx = db.transaction(STORE, 'readwrite')
    tx.objectStore(STORE).delete(id)
    await done(tx)
  }
}

export class MemoryModelStorage implements ModelStorage {
  readonly kind = 'memory' as const
  private readonly models = new Map<string, StoredModel>()

  async list(): Promise<StoredModel[]> {
    return [...this.models.values()].map((m) => ({ ...m }))
  }

  async put(model: StoredModel): Promise<void> {
    this.models.set(model.id, { ...model })
  }

  async remove(id: string): Promise<void> {
    this.models.delete(id)
  }
}

/**
 * Desktop app: `<userData>/models/<id>.safetensors` and `<id>.json` (the name and date), written by the
 * main process atomically (temporary file, flush, rename; the model before its entry). An entry or file
 * that cannot be read is listed with the reason by the main process and skipped here.
 */
export class ElectronModelStorage implements ModelStorage {
  readonly kind = 'files' as const

  constructor(private readonly bridge: Pick<GradientLabApi, 'models'>) {}

  async list(): Promise<StoredModel[]> {
    const entries = await this.bridge.models.list()
    const out: StoredModel[] = []
    for (const entry of entries) {
      if (!entry.ok) continue
      const data = entry.data as { name?: unknown; addedAt?: unknown }
      if (typeof data?.name !== 'string') continue
      try {
        const bytes = await this.bridge.models.read(entry.id)
        out.push({ id: entry.id, name: data.name, addedAt: typeof data.addedAt === 'string' ? data.addedAt : new Date(0).toISOString(), bytes })
      } catch {
        // A model file that cannot be read: left out of the library (main keeps the file as it is).
      }
    }
    return out
  }

  put(model: StoredModel): Promise<void> {
    return this.bridge.models.save({ id: model.id, version: 1, name: model.name, addedAt: model.addedAt } as { id: string; version: number }, model.bytes)
  }

  remove(id: string): Promise<void> {
    return this.bridge.models.remove(id)
  }
}

export function createModelStorage(): ModelStorage {
  // Typed here (not through the renderer's global declaration) so the desktop tests can import this file.
  const bridge = (globalThis as { window?: { gradientLab?: GradientLabApi } }).window?.gradientLab
  if (bridge?.host === 'electron' && bridge.models) return new ElectronModelStorage(bridge)
  return typeof indexedDB !== 'undefined' ? new IndexedDbModelStorage(indexedDB) : new MemoryModelStorage()
}

function isStoredModel(value: unknown): value is StoredModel {
  const v = value as Partial<StoredModel>
  return typeof v === 'object' && v !== null && typeof v.id === 'string' && typeof v.name === 'string' && v.bytes instanceof Uint8Array
}

/** A display name made safe to be a file name: no path separators, reserved characters or names. */
export function safeFileName(name: string, extension: string): string {
  let base = name
    .normalize('NFC')
    .replace(/[\u0000-\u001f<>:"/\\|?*]+/g, '-')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 100)
  if (/^(con|prn|aux|nul|com\d|lpt\d)$/i.test(base) || base === '') base = `model-${base || 'unnamed'}`
  return `${base}.${extension}`
}
