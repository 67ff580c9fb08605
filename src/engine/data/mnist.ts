import type { DatasetFiles, DatasetInfo } from '../protocol/messages'
import { EngineError } from '../protocol/error-codes'
import { gunzipIfNeeded } from './gunzip'
import { parseIdx, type IdxArray } from './idx'
import { DIGIT_CLASSES, IMAGE_LIMITS, type ImageDataset, type Split } from './image-set'

/*
 * Turns the four MNIST-format IDX files (raw or gzip) into a dataset the trainer can sample from: grey
 * images of any size the engine takes (MNIST's 28×28, Fashion- and Kuzushiji-MNIST alike), the digits
 * as class names unless the caller names the classes (an IDX set's classes.txt).
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

export async function decodeMnist(name: string, files: DatasetFiles, classes: readonly string[] = DIGIT_CLASSES): Promise<ImageDataset> {
  // One split after the other, so only one compressed and one decompressed file are in flight at a time.
  const train = await decodeSplit(files, 'trainImages', 'trainLabels', classes.length)
  const test = await decodeSplit(files, 'testImages', 'testLabels', classes.length)
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw invalid(`${MNIST_FILES.trainImages} has ${train.rows}x${train.cols} images but ${MNIST_FILES.testImages} has ${test.rows}x${test.cols}`)
  }
  return { name, classes: [...classes], train, test }
}

export function describeDataset(ds: ImageDataset): DatasetInfo {
  const shape = ({ count, channels, rows, cols }: Split) => ({ count, channels, rows, cols })
  return {
    name: ds.name,
    classes: [...ds.classes],
    train: shape(ds.train),
    test: shape(ds.test),
    trainClassCounts: classCounts(ds.train.labels, ds.classes.length),
    bytes: [ds.train, ds.test].reduce((sum, s) => sum + s.images.byteLength + s.labels.byteLength, 0)
  }
}

async function decodeSplit(files: DatasetFiles, imagesKey: MnistFileKey, labelsKey: MnistFileKey, classCount: number): Promise<Split> {
  const imagesFile = MNIST_FILES[imagesKey]
  const labelsFile = MNIST_FILES[labelsKey]
  const images = await readIdx(files, imagesKey)
  const labels = await readIdx(files, labelsKey)

  expectDims(images, 3, 'count×rows×cols', imagesFile)
  expectDims(labels, 1, 'count', labelsFile)
  const [count, rows, cols] = images.dims
  const { minSide, maxSide } = IMAGE_LIMITS
  if (rows < minSide || rows > maxSide || cols < minSide || cols > maxSide) {
    throw invalid(`${imagesFile}: images are ${rows}x${cols}, expected ${minSide} to ${maxSide} pixels a side`)
  }
  const labelCount = labels.dims[0]
  if (count !== labelCount) {
    throw invalid(`${imagesFile} has ${count} images but ${labelsFile} has ${labelCount} labels`)
  }
  if (count === 0) throw invalid(`${imagesFile}: contains no images`)
  expectLabelsBelow(classCount, labels.data, labelsFile)

  return { count, channels: 1, rows, cols, images: images.data, labels: labels.data }
}

async function readIdx(files: DatasetFiles, key: MnistFileKey): Promise<IdxArray> {
  const label = MNIST_FILES[key]
  const file = files[key]
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file)
  return parseIdx(await gunzipIfNeeded(bytes, label), label)
}

function expectDims(array: IdxArray, expected: number, meaning: string, fileLabel: string): void {
  if (array.dims.length !== expected) {
    throw invalid(`${fileLabel}: has ${array.dims.length} dimensions (${array.dims.join('×')}), expected ${expected} (${meaning})`)
  }
}

function expectLabelsBelow(classCount: number, labels: Uint8Array, fileLabel: string): void {
  const bad = labels.findIndex((label) => label >= classCount)
  if (bad >= 0) {
    const expected = classCount === 10 ? 'a digit 0..9' : `a class 0..${classCount - 1}`
    throw invalid(`${fileLabel}: label at index ${bad} is ${labels[bad]}, expected ${expected}`)
  }
}

export function classCounts(labels: Uint8Array, classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0)
  for (const label of labels) counts[label]++
  return counts
}

const invalid = (message: string): EngineError => new EngineError('DATASET_INVALID', message)
