import { IMAGE_LIMITS, type ImageDataset, type Split } from '../image-set'
import type { Layout } from './detect-layout'
import type { ImageSize } from './default-size'
import { invalid } from './import-errors'
import { PhaseProgress } from './import-progress'
import type { ImportOptions, SourceFile } from './import-types'
import { readNameList } from './paths'
import { resampleSplit } from './resample-split'

/*
 * The CIFAR binary versions. A record is the label byte(s) then 3072 bytes: the 32×32 red plane, then
 * green, then blue, each row-major, which is already the engine's [C, H, W] layout. CIFAR-10 has one
 * label byte; CIFAR-100 a coarse then a fine one, and the fine labels (100 classes) are used. The
 * records keep the files' order: CIFAR's own order is already shuffled.
 */

const SIDE = 32
const IMAGE_BYTES = 3 * SIDE * SIDE

interface CifarKind {
  labelBytes: number
  /** which of the label bytes is the class */
  labelAt: number
}

const CIFAR10: CifarKind = { labelBytes: 1, labelAt: 0 }
const CIFAR100: CifarKind = { labelBytes: 2, labelAt: 1 }

export async function importCifar(
  name: string,
  layout: Extract<Layout, { source: 'cifar-10' | 'cifar-100' }>,
  target: { size?: ImageSize; colour?: 'grey' | 'colour' },
  options: ImportOptions
): Promise<ImageDataset> {
  const kind = layout.source === 'cifar-10' ? CIFAR10 : CIFAR100
  const trainFiles = layout.source === 'cifar-10' ? layout.batches : [layout.train]
  const classes = await readClasses(layout.meta)

  const progress = new PhaseProgress(name, options, 'reading', trainFiles.length + 1)
  const train = await readRecords(trainFiles, kind, classes, progress)
  const test = await readRecords([layout.test], kind, classes, progress)
  progress.finish()

  const channels = target.colour === 'grey' ? 1 : 3
  const size = target.size ?? { height: SIDE, width: SIDE }
  const converting = new PhaseProgress(name, options, 'converting', train.count + test.count)
  const step = (): void => converting.step()
  const dataset = { name, classes, train: resampleSplit(train, channels, size, step), test: resampleSplit(test, channels, size, step) }
  converting.finish()
  return dataset
}

async function readClasses(meta: SourceFile): Promise<string[]> {
  const names = readNameList(await meta.read(), meta.path)
  if (typeof names === 'string') throw invalid(names)
  if (names.length < IMAGE_LIMITS.minClasses || names.length > IMAGE_LIMITS.maxClasses) {
    throw invalid(`${meta.path}: names ${names.length} classes, expected ${IMAGE_LIMITS.minClasses} to ${IMAGE_LIMITS.maxClasses}`)
  }
  return names
}

/** The files' records, one after the other, as a split; every file is checked whole before any is copied. */
async function readRecords(files: readonly SourceFile[], kind: CifarKind, classes: readonly string[], progress: PhaseProgress): Promise<Split> {
  const recordBytes = kind.labelBytes + IMAGE_BYTES
  const contents: Uint8Array[] = []
  for (const file of files) {
    const bytes = await file.read()
    if (bytes.length === 0 || bytes.length % recordBytes !== 0) {
      throw invalid(`${file.path}: ${bytes.length} bytes is not a whole number of ${recordBytes}-byte records (truncated or not a CIFAR file)`)
    }
    contents.push(bytes)
    progress.step()
  }
  const count = contents.reduce((sum, bytes) => sum + bytes.length / recordBytes, 0)
  const images = new Uint8Array(count * IMAGE_BYTES)
  const labels = new Uint8Array(count)
  let n = 0
  files.forEach((file, f) => {
    const bytes = contents[f]
    for (let at = 0; at < bytes.length; at += recordBytes, n++) {
      const label = bytes[at + kind.labelAt]
      if (label >= classes.length) {
        throw invalid(`${file.path}: record ${at / recordBytes} has label ${label}, but only ${classes.length} class names are given`)
      }
      labels[n] = label
      images.set(bytes.subarray(at + kind.labelBytes, at + recordBytes), n * IMAGE_BYTES)
    }
  })
  return { count, channels: 3, rows: SIDE, cols: SIDE, images, labels }
}
