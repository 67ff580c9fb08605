import type { DatasetFiles, DatasetInfo } from '../protocol/messages'
import { EngineError } from '../protocol/error-codes'
import { gunzipIfNeeded } from './gunzip'
import { parseIdx, type IdxArray } from './idx'

/*
 * Turns the four MNIST IDX files (raw or gzip) into a dataset the trainer can sample from.
 * Images stay one byte per pixel in the decompressed buffers themselves: the full 70,000-image set is
 * ~55 MB this way, against ~220 MB as float32. Layers convert a mini-batch at a time.
 */

/** Standard file names; also the labels used in error messages. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte'
} as const
export type MnistFileKey = keyof typeof MNIST_FILES

export const MNIST_ROWS = 28
export const MNIST_COLS = 28
export const MNIST_CLASSES = 10

export interface Split {
  count: number
  rows: number
  cols: number
  /** count·rows·cols pixels, row-major, one byte each */
  images: Uint8Array
  labels: Uint8Array
}

export interface MnistDataset {
  name: string
  train: Split
  test: Split
}

export async function decodeMnist(name: string, files: DatasetFiles): Promise<MnistDataset> {
  // One split after the other, so only one compressed and one decompressed file are in flight at a time.
  const train = await decodeSplit(files, 'trainImages', 'trainLabels')
  const test = await decodeSplit(files, 'testImages', 'testLabels')
  return { name, train, test }
}

export function describeDataset(ds: MnistDataset): DatasetInfo {
  const shape = ({ count, rows, cols }: Split) => ({ count, rows, cols })
  return {
    name: ds.name,
    train: shape(ds.train),
    test: shape(ds.test),
    trainClassCounts: classCounts(ds.train.labels),
    bytes: [ds.train, ds.test].reduce((sum, s) => sum + s.images.byteLength + s.labels.byteLength, 0)
  }
}

async function decodeSplit(files: DatasetFiles, imagesKey: MnistFileKey, labelsKey: MnistFileKey): Promise<Split> {
  const imagesFile = MNIST_FILES[imagesKey]
  const labelsFile = MNIST_FILES[labelsKey]
  const images = await readIdx(files, imagesKey)
  const labels = await readIdx(files, labelsKey)

  expectDims(images, 3, 'count×rows×cols', imagesFile)
  expectDims(labels, 1, 'count', labelsFile)
  const [count, rows, cols] = images.dims
  if (rows !== MNIST_ROWS || cols !== MNIST_COLS) {
    throw invalid(`${imagesFile}: images are ${rows}x${cols}, expected ${MNIST_ROWS}x${MNIST_COLS}`)
  }
  const labelCount = labels.dims[0]
  if (count !== labelCount) {
    throw invalid(`${imagesFile} has ${count} images but ${labelsFile} has ${labelCount} labels`)
  }
  if (count === 0) throw invalid(`${imagesFile}: contains no images`)
  expectDigitLabels(labels.data, labelsFile)

  return { count, rows, cols, images: images.data, labels: labels.data }
}

async function readIdx(files: DatasetFiles, key: MnistFileKey): Promise<IdxArray> {
  const label = MNIST_FILES[key]
  const file = files[key]
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file)
  return parseIdx(await gunzipIfNeeded(bytes, label), label)
}

function expectDims(array: IdxArray, expected: number, meaning: string, fileLabel: string): void {
  if (array.dims.length !== expected) {
    throw invalid(
      `${fileLabel}: has ${array.dims.length} dimensions (${array.dims.join('×')}), expected ${expected} (${meaning})`
    )
  }
}

function expectDigitLabels(labels: Uint8Array, fileLabel: string): void {
  const bad = labels.findIndex((label) => label >= MNIST_CLASSES)
  if (bad >= 0) {
    throw invalid(`${fileLabel}: label at index ${bad} is ${labels[bad]}, expected a digit 0..${MNIST_CLASSES - 1}`)
  }
}

function classCounts(labels: Uint8Array): number[] {
  const counts = new Array<number>(MNIST_CLASSES).fill(0)
  for (const label of labels) counts[label]++
  return counts
}

const invalid = (message: string): EngineError => new EngineError('DATASET_INVALID', message)
