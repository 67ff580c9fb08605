import { MNIST_FILES, type MnistFileKey } from '../mnist'
import { invalid } from './import-errors'
import type { SourceFile } from './import-types'
import { compareCodePoints, isIgnored, segmentsOf } from './paths'

/*
 * Which of the four layouts a list of files is. The binary sets are recognised by their file names,
 * anywhere in the tree (an archive unpacks them into a folder of its own, e.g. cifar-10-batches-bin/);
 * everything else is read as class folders.
 */

export type Layout =
  | { source: 'cifar-10'; dir: string; batches: SourceFile[]; test: SourceFile; meta: SourceFile }
  | { source: 'cifar-100'; dir: string; train: SourceFile; test: SourceFile; meta: SourceFile }
  | { source: 'idx'; dir: string; files: Record<MnistFileKey, SourceFile>; classes?: SourceFile }
  | { source: 'folders'; files: SourceFile[] }

export const CIFAR10_BATCHES = [1, 2, 3, 4, 5].map((n) => `data_batch_${n}.bin`)
export const CIFAR10_TEST = 'test_batch.bin'
export const CIFAR10_META = 'batches.meta.txt'
export const CIFAR100_TRAIN = 'train.bin'
export const CIFAR100_TEST = 'test.bin'
export const CIFAR100_META = 'fine_label_names.txt'
export const IDX_CLASSES = 'classes.txt'

export function detectLayout(files: readonly SourceFile[]): Layout {
  const visible = files.filter((file) => !isIgnored(segmentsOf(file.path)))
  const byDir = groupByDirectory(visible)

  const cifar10 = firstDirWith(byDir, [CIFAR10_META, CIFAR10_TEST, ...CIFAR10_BATCHES])
  if (cifar10 !== undefined) {
    const inDir = requireFiles(byDir, cifar10, [...CIFAR10_BATCHES, CIFAR10_TEST, CIFAR10_META], 'CIFAR-10')
    return { source: 'cifar-10', dir: cifar10, batches: CIFAR10_BATCHES.map((n) => inDir(n)), test: inDir(CIFAR10_TEST), meta: inDir(CIFAR10_META) }
  }
  const cifar100 = firstDirWith(byDir, [CIFAR100_META]) ?? firstDirWithAll(byDir, [CIFAR100_TRAIN, CIFAR100_TEST])
  if (cifar100 !== undefined) {
    const inDir = requireFiles(byDir, cifar100, [CIFAR100_TRAIN, CIFAR100_TEST, CIFAR100_META], 'CIFAR-100')
    return { source: 'cifar-100', dir: cifar100, train: inDir(CIFAR100_TRAIN), test: inDir(CIFAR100_TEST), meta: inDir(CIFAR100_META) }
  }
  const idxNames = Object.values(MNIST_FILES).flatMap((name) => [name, `${name}.gz`])
  const idx = firstDirWith(byDir, idxNames)
  if (idx !== undefined) return idxLayout(byDir, idx)
  return { source: 'folders', files: visible }
}

/** Directory ('' for the top) → file name → file. */
type Directories = Map<string, Map<string, SourceFile>>

function groupByDirectory(files: readonly SourceFile[]): Directories {
  const dirs: Directories = new Map()
  for (const file of files) {
    const segments = segmentsOf(file.path)
    const dir = segments.slice(0, -1).join('/')
    const names = dirs.get(dir) ?? new Map<string, SourceFile>()
    names.set(segments[segments.length - 1], file)
    dirs.set(dir, names)
  }
  return dirs
}

/** The first directory (in path order) holding any of `names`. */
function firstDirWith(dirs: Directories, names: readonly string[]): string | undefined {
  return sortedDirs(dirs).find((dir) => names.some((name) => dirs.get(dir)?.has(name)))
}

function firstDirWithAll(dirs: Directories, names: readonly string[]): string | undefined {
  return sortedDirs(dirs).find((dir) => names.every((name) => dirs.get(dir)?.has(name)))
}

const sortedDirs = (dirs: Directories): string[] => [...dirs.keys()].sort(compareCodePoints)

/** A lookup of the named files in `dir`, after checking that they are all there. */
function requireFiles(dirs: Directories, dir: string, names: readonly string[], kind: string): (name: string) => SourceFile {
  const inDir = dirs.get(dir) ?? new Map<string, SourceFile>()
  const missing = names.filter((name) => !inDir.has(name))
  if (missing.length > 0) throw invalid(`${displayDir(dir)}: a ${kind} folder, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`)
  return (name) => inDir.get(name) as SourceFile
}

function idxLayout(dirs: Directories, dir: string): Layout {
  const inDir = dirs.get(dir) ?? new Map<string, SourceFile>()
  const files: Partial<Record<MnistFileKey, SourceFile>> = {}
  const missing: string[] = []
  for (const [key, name] of Object.entries(MNIST_FILES) as [MnistFileKey, string][]) {
    const file = inDir.get(name) ?? inDir.get(`${name}.gz`)
    if (file) files[key] = file
    else missing.push(name)
  }
  if (missing.length > 0) throw invalid(`${displayDir(dir)}: an IDX folder, but ${missing.join(', ')} (or .gz) ${missing.length === 1 ? 'is' : 'are'} missing`)
  return { source: 'idx', dir, files: files as Record<MnistFileKey, SourceFile>, classes: inDir.get(IDX_CLASSES) }
}

export const displayDir = (dir: string): string => (dir === '' ? 'the chosen folder' : `${dir}/`)
