import type { DatasetEntry } from '../protocol/messages'
import { datasetFingerprint } from './fingerprint'
import type { ImageDataset } from './image-set'
import type { ImportSource, SkippedFile, SourceFile } from './import/import-types'

/*
 * What the engine needs of a host to keep imported data sets: the Node hosts (CLI, the desktop app's
 * utility process) keep them in the lab's home folder, the browser version in IndexedDB. The session
 * decodes and imports; the library only stores bytes and lists what it holds.
 */

export interface StoredSetInfo {
  source: ImportSource
  skipped: SkippedFile[]
}

export interface DataLibrary {
  /** Every stored set, described from its metadata alone (the bytes stay where they are). */
  list(): Promise<DatasetEntry[]>
  /** Stores a set under its name, whole or not at all; a taken name is DATASET_EXISTS unless `overwrite`. */
  save(dataset: ImageDataset, info: StoredSetInfo, overwrite: boolean): Promise<DatasetEntry>
  /** A stored set, validated (UNKNOWN_DATASET, DATASET_INVALID). */
  load(name: string): Promise<ImageDataset>
  remove(name: string): Promise<void>
  rename(from: string, to: string): Promise<void>
  /** Node hosts: the files below a folder of this machine, to import from; absent where the engine cannot read folders. */
  listDirectory?(path: string): Promise<SourceFile[]>
}

/** How a set is listed: its sizes, classes and fingerprint read off the set itself, the rest as given. */
export function entryOfSet(
  dataset: ImageDataset,
  where: { source: DatasetEntry['source']; stored: boolean; createdAt: string | null; skipped: readonly SkippedFile[] }
): DatasetEntry {
  return {
    name: dataset.name,
    source: where.source,
    stored: where.stored,
    train: dataset.train.count,
    test: dataset.test.count,
    channels: dataset.train.channels,
    height: dataset.train.rows,
    width: dataset.train.cols,
    classes: [...dataset.classes],
    fingerprint: datasetFingerprint(dataset),
    createdAt: where.createdAt,
    skipped: where.skipped.map(({ file, reason }) => ({ file, reason }))
  }
}
