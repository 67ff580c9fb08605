import { entryOfSet, type DataLibrary, type StoredSetInfo } from '../../data/data-library'
import type { ImageDataset } from '../../data/image-set'
import { decodeStoredSet, encodeStoredSet } from '../../data/stored-set'
import { EngineError } from '../../protocol/error-codes'
import { checkQuota } from '../../store-quota'
import type { DatasetEntry } from '../../protocol/messages'

/*
 * The data library over any key–value store that can change two records in one atomic step: the browser
 * host gives it IndexedDB (indexeddb-store.ts), the unit tests a Map. A set is two records under its name:
 * its listing entry (a few hundred bytes) and its stored bytes (up to ~150 MB), so a listing never reads
 * the images, and both are written or deleted together, so a set is whole or absent.
 */

export interface SetRecord {
  name: string
  bytes: Uint8Array
}

/** One atomic change: every put and delete happens, or none does. */
export interface SetChange {
  put?: { entry: DatasetEntry; bytes: Uint8Array }
  /** Names whose entry and bytes go. */
  delete?: string[]
  /** Renames an entry and its bytes (the bytes are moved, not read by the caller). */
  rename?: { from: string; to: DatasetEntry }
}

export interface SetStore {
  entries(): Promise<DatasetEntry[]>
  entry(name: string): Promise<DatasetEntry | undefined>
  bytes(name: string): Promise<Uint8Array | undefined>
  commit(change: SetChange): Promise<void>
}

/** A listed set's stored size: its bytes and labels (the few hundred bytes of header are left out). */
const storedSize = (entry: DatasetEntry): number => (entry.train + entry.test) * (entry.channels * entry.height * entry.width + 1)

export interface SetLibraryOptions {
  now?: () => Date
  /** What the browser may still store for this page (its storage estimate); null where it does not say. */
  freeBytes?: () => Promise<number | null>
}

export function createSetLibrary(store: SetStore, options: SetLibraryOptions = {}): DataLibrary {
  const now = options.now ?? (() => new Date())
  const freeBytes = options.freeBytes ?? (async () => null)
  async function require(name: string): Promise<DatasetEntry> {
    const entry = await store.entry(name)
    if (!entry) throw new EngineError('UNKNOWN_DATASET', `the data library has no set named "${name}"`)
    return entry
  }

  return {
    async list() {
      const entries = await store.entries()
      return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    },

    async save(dataset: ImageDataset, info: StoredSetInfo, overwrite: boolean) {
      if (!overwrite && (await store.entry(dataset.name))) {
        throw new EngineError('DATASET_EXISTS', `the data library already has a set named "${dataset.name}"`)
      }
      const createdAt = now().toISOString()
      const bytes = encodeStoredSet(dataset, { source: info.source, createdAt, skipped: info.skipped.length }) // checks the set
      const entry = entryOfSet(dataset, { source: info.source, stored: true, createdAt, skipped: info.skipped })
      // The data library's quota (src/engine/store-quota.ts), before anything is written; a replaced set's room is freed.
      const others = (await store.entries()).filter((e) => e.name !== dataset.name)
      const replaced = await store.entry(dataset.name)
      const verdict = checkQuota({
        store: 'datasets',
        storedBytes: others.reduce((sum, e) => sum + storedSize(e), 0),
        writeBytes: bytes.byteLength,
        replacedBytes: replaced ? storedSize(replaced) : 0,
        freeBytes: await freeBytes()
      })
      if (!verdict.ok) throw new EngineError('DATASET_WRITE_FAILED', verdict.message)
      await writing(`could not save the data set "${dataset.name}"`, () => store.commit({ put: { entry, bytes } }))
      return entry
    },

    async load(name: string) {
      const entry = await require(name)
      const bytes = await store.bytes(name)
      if (!bytes) throw new EngineError('DATASET_INVALID', `the data set "${name}" has no stored images`)
      const { dataset, metadata } = decodeStoredSet(bytes)
      if (metadata.fingerprint !== entry.fingerprint) {
        throw new EngineError('DATASET_INVALID', `the data set "${name}": its fingerprint is ${metadata.fingerprint} but its listing says ${entry.fingerprint}`)
      }
      // The listing's name wins: a rename does not rewrite the bytes.
      return { ...dataset, name: entry.name }
    },

    async remove(name: string) {
      await require(name)
      await writing(`could not remove the data set "${name}"`, () => store.commit({ delete: [name] }))
    },

    async rename(from: string, to: string) {
      const entry = await require(from)
      if (from === to) return
      if (await store.entry(to)) throw new EngineError('DATASET_EXISTS', `the data library already has a set named "${to}"`)
      await writing(`could not rename the data set "${from}"`, () => store.commit({ rename: { from, to: { ...entry, name: to } } }))
    }
  }
}

/** A store failure (quota, a closed database) as the engine's write error, naming what was attempted. */
async function writing(what: string, task: () => Promise<void>): Promise<void> {
  try {
    await task()
  } catch (error) {
    if (error instanceof EngineError) throw error
    throw new EngineError('DATASET_WRITE_FAILED', `${what}: ${error instanceof Error ? error.message : String(error)}; nothing was changed`)
  }
}
