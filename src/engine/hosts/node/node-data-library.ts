import type { DataLibrary } from '../../data/data-library'
import type { DatasetEntry } from '../../protocol/messages'
import { listDataSets, loadDataSet, removeDataSet, renameDataSet, saveDataSet, type DataSetMeta } from './dataset-library'
import { datasetsDir } from './lab-home'
import { listSourceFiles, useWebpWasmFromDisk } from './read-image-files'

/*
 * The data library of the Node hosts (the CLI and the desktop app's engine process): one folder per set
 * in the lab's home (lab-home.ts), so both see the same sets.
 */

const SOURCES = ['folders', 'cifar-10', 'cifar-100', 'idx'] as const

export function entryOf(meta: DataSetMeta): DatasetEntry {
  const source = (SOURCES as readonly string[]).includes(meta.source) ? (meta.source as DatasetEntry['source']) : 'folders'
  return {
    name: meta.name,
    source,
    stored: true,
    train: meta.train,
    test: meta.test,
    channels: meta.channels,
    height: meta.height,
    width: meta.width,
    classes: meta.classes,
    fingerprint: meta.fingerprint,
    createdAt: meta.createdAt,
    skipped: meta.skipped
  }
}

/** A folder that could not be read is listed under its folder name with the problem (it cannot be used). */
function damagedEntry(folder: string, problem: string): DatasetEntry {
  return {
    name: folder,
    source: 'folders',
    stored: true,
    train: 0,
    test: 0,
    channels: 0,
    height: 0,
    width: 0,
    classes: [],
    fingerprint: '',
    createdAt: null,
    skipped: [],
    problem
  }
}

/** `webpWasm`: where WebP's decoder is (a packaged app's copy); by default the one in node_modules. */
export function nodeDataLibrary(dir: string = datasetsDir(), webpWasm?: string): DataLibrary {
  let webpReady = false
  return {
    async list() {
      return (await listDataSets(dir)).map((entry) => (entry.meta ? entryOf(entry.meta) : damagedEntry(entry.folder, entry.problem)))
    },
    async save(dataset, info, overwrite) {
      return entryOf(await saveDataSet(dir, dataset, info, { overwrite }))
    },
    async load(name) {
      return (await loadDataSet(dir, name)).dataset
    },
    remove: (name) => removeDataSet(dir, name),
    async rename(from, to) {
      await renameDataSet(dir, from, to)
    },
    async listDirectory(path) {
      if (!webpReady) {
        useWebpWasmFromDisk(webpWasm)
        webpReady = true
      }
      return listSourceFiles(path)
    }
  }
}
