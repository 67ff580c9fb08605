import { readdir, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { ImageDataset } from '../engine/data/image-set'
import { importImageSet } from '../engine/data/import'
import { MNIST_FILES } from '../engine/data/mnist'
import { nodeDataLibrary } from '../engine/hosts/node/node-data-library'
import { listSourceFiles, useWebpWasmFromDisk } from '../engine/hosts/node/read-image-files'
import { EngineError } from '../engine/protocol/error-codes'

/**
 * What `--data NAME|DIR` names: absent, the bundled MNIST; a folder of the four MNIST IDX files, read as
 * always; any other folder (class folders, CIFAR, IDX with a classes.txt), imported in memory without
 * storing it; otherwise a set of the data library (GRADIENT_LAB_HOME).
 */
export type DataSource = { kind: 'idx'; dir: string; name: string } | { kind: 'set'; dataset: ImageDataset }

export async function resolveDataSource(option: string | undefined, bundledDir: string): Promise<DataSource> {
  if (option === undefined) return { kind: 'idx', dir: bundledDir, name: 'bundled MNIST' }
  const dir = resolve(option)
  const isDirectory = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false
  )
  if (!isDirectory) {
    // Not a folder: a stored set's name, or a path the user mistyped (say both).
    if ((await nodeDataLibrary().list()).some((entry) => entry.name === option)) return { kind: 'set', dataset: await nodeDataLibrary().load(option) }
    throw new EngineError('UNKNOWN_DATASET', `--data ${option}: neither a folder nor a set of the data library (lab data list shows them)`)
  }
  if (await isPlainIdxFolder(dir)) return { kind: 'idx', dir, name: dir }
  useWebpWasmFromDisk()
  const { dataset, skipped } = await importImageSet(dir, await listSourceFiles(dir))
  if (skipped.length > 0) process.stderr.write(`note: ${skipped.length} file(s) of ${dir} could not be read and were skipped (lab data import lists them)\n`)
  return { kind: 'set', dataset }
}

/** The MNIST files at the top, and no classes.txt naming their classes: the engine's own IDX path. */
async function isPlainIdxFolder(dir: string): Promise<boolean> {
  const names = new Set(await readdir(dir))
  if (names.has('classes.txt')) return false
  return Object.values(MNIST_FILES).some((file) => names.has(file) || names.has(`${file}.gz`))
}
