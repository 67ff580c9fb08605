import { describe, expect, it } from 'vitest'
import { decodeMnist, describeDataset } from '../../../src/engine/data/mnist'
import { cyclingLabels, expectEngineError, gzip, idxBytes, imagesIdx, labelsIdx, mnistFiles, pixelsFor } from './idx-fixtures'

describe('decodeMnist', () => {
  it('decodes raw IDX files, keeping the bytes as views into the inputs', async () => {
    const files = mnistFiles(12, 5)
    const ds = await decodeMnist('tiny', files)
    expect(ds.name).toBe('tiny')
    expect({ count: ds.train.count, rows: ds.train.rows, cols: ds.train.cols }).toEqual({ count: 12, rows: 28, cols: 28 })
    expect(ds.test.count).toBe(5)
    expect(Array.from(ds.train.images)).toEqual(Array.from(pixelsFor(12)))
    expect(Array.from(ds.train.labels)).toEqual(cyclingLabels(12))
    expect(Array.from(ds.test.labels)).toEqual([0, 1, 2, 3, 4])
    expect(ds.train.images.buffer).toBe((files.trainImages as Uint8Array).buffer)
    expect(ds.test.labels.buffer).toBe((files.testLabels as Uint8Array).buffer)
  })

  it('decodes gzip files and ArrayBuffers the same way', async () => {
    const raw = mnistFiles(12, 5)
    const ds = await decodeMnist('tiny.gz', {
      trainImages: gzip(raw.trainImages as Uint8Array),
      trainLabels: gzip(raw.trainLabels as Uint8Array),
      testImages: (raw.testImages as Uint8Array).slice().buffer,
      testLabels: gzip(raw.testLabels as Uint8Array).slice().buffer
    })
    expect(Array.from(ds.train.images)).toEqual(Array.from(pixelsFor(12)))
    expect(Array.from(ds.train.labels)).toEqual(cyclingLabels(12))
    expect(Array.from(ds.test.images)).toEqual(Array.from(pixelsFor(5)))
    expect(Array.from(ds.test.labels)).toEqual([0, 1, 2, 3, 4])
  })

  it('takes grey images of any size the engine trains on (8 to 128 a side), and refuses others', async () => {
    await expectEngineError(
      () => decodeMnist('big', mnistFiles(12, 5, { trainImages: imagesIdx(12, 130, 32) })),
      'DATASET_INVALID',
      'train-images-idx3-ubyte: images are 130x32, expected 8 to 128 pixels a side'
    )
    await expectEngineError(
      () => decodeMnist('small', mnistFiles(12, 5, { trainImages: imagesIdx(12, 7, 28) })),
      'DATASET_INVALID',
      'train-images-idx3-ubyte: images are 7x28, expected 8 to 128 pixels a side'
    )
    // Both splits must hold images of one size.
    await expectEngineError(
      () => decodeMnist('mixed', mnistFiles(12, 5, { trainImages: imagesIdx(12, 32, 32) })),
      'DATASET_INVALID',
      'train-images-idx3-ubyte has 32x32 images but t10k-images-idx3-ubyte has 28x28'
    )
  })

  it('names the classes: the digits by default, or the names given, whose count bounds the labels', async () => {
    const digits = await decodeMnist('tiny', mnistFiles(12, 5))
    expect(digits.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    expect(digits.train.channels).toBe(1)
    const fashion = ['T-shirt', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot', 'Extra']
    expect((await decodeMnist('fashion', mnistFiles(12, 5), fashion)).classes).toEqual(fashion)
    await expectEngineError(
      () => decodeMnist('few', mnistFiles(12, 5), ['a', 'b', 'c']),
      'DATASET_INVALID',
      'train-labels-idx1-ubyte: label at index 3 is 3, expected a class 0..2'
    )
  })

  it('rejects image and label counts that disagree', async () => {
    await expectEngineError(
      () => decodeMnist('mismatch', mnistFiles(5, 5, { trainLabels: labelsIdx([0, 1, 2, 3]) })),
      'DATASET_INVALID',
      'train-images-idx3-ubyte has 5 images but train-labels-idx1-ubyte has 4 labels'
    )
  })

  it('rejects a label outside 0..9, naming the first bad index and value', async () => {
    await expectEngineError(
      () => decodeMnist('bad label', mnistFiles(12, 5, { testLabels: labelsIdx([0, 1, 10, 3, 255]) })),
      'DATASET_INVALID',
      't10k-labels-idx1-ubyte: label at index 2 is 10, expected a digit 0..9'
    )
  })

  it('rejects images that are not 3-D and labels that are not 1-D', async () => {
    await expectEngineError(
      () => decodeMnist('flat', mnistFiles(12, 5, { testImages: idxBytes([5, 784], pixelsFor(5)) })),
      'DATASET_INVALID',
      't10k-images-idx3-ubyte: has 2 dimensions (5×784), expected 3 (count×rows×cols)'
    )
    await expectEngineError(
      () => decodeMnist('one-hot', mnistFiles(12, 5, { trainLabels: idxBytes([12, 10], new Uint8Array(120)) })),
      'DATASET_INVALID',
      'train-labels-idx1-ubyte: has 2 dimensions (12×10), expected 1 (count)'
    )
  })

  it('rejects an empty split', async () => {
    await expectEngineError(() => decodeMnist('empty', mnistFiles(12, 0)), 'DATASET_INVALID', 't10k-images-idx3-ubyte: contains no images')
  })

  it('names the MNIST file whose gzip or IDX is broken', async () => {
    const gz = gzip(imagesIdx(5))
    await expectEngineError(
      () => decodeMnist('cut', mnistFiles(12, 5, { testImages: gz.subarray(0, gz.length - 50) })),
      'DATASET_INVALID',
      't10k-images-idx3-ubyte: not a valid gzip file (unexpected end of file)'
    )
    await expectEngineError(
      () => decodeMnist('cut', mnistFiles(12, 5, { trainLabels: labelsIdx([1, 2, 3]).subarray(0, 9) })),
      'DATASET_INVALID',
      'train-labels-idx1-ubyte: truncated: header promises 3 bytes of data (3), file has 1'
    )
  })

  it('holds a full-size 70,000-image set in under 100 MB: only the decompressed bytes, no copies', async () => {
    const [trainCount, testCount] = [60000, 10000]
    const ds = await decodeMnist('full size', {
      trainImages: gzip(idxBytes([trainCount, 28, 28], new Uint8Array(trainCount * 784))),
      trainLabels: gzip(labelsIdx(cyclingLabels(trainCount))),
      testImages: gzip(idxBytes([testCount, 28, 28], new Uint8Array(testCount * 784))),
      testLabels: gzip(labelsIdx(cyclingLabels(testCount)))
    })
    const info = describeDataset(ds)
    expect(info.bytes).toBe(70000 * 784 + 70000)
    expect(info.bytes).toBeLessThan(100 * 1024 * 1024)
    // Each view's buffer is the decompressed file itself: the 16- or 8-byte header is the only overhead.
    expect(ds.train.images.buffer.byteLength).toBe(16 + trainCount * 784)
    expect(ds.train.labels.buffer.byteLength).toBe(8 + trainCount)
    expect(ds.test.images.buffer.byteLength).toBe(16 + testCount * 784)
  })
})

describe('describeDataset', () => {
  it('reports the shape of each split, the training class counts and the bytes held', async () => {
    const ds = await decodeMnist('tiny', mnistFiles(12, 5, { trainLabels: labelsIdx([7, 7, 7, 0, 1, 2, 3, 4, 5, 6, 8, 9]) }))
    expect(describeDataset(ds)).toEqual({
      name: 'tiny',
      classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      train: { count: 12, channels: 1, rows: 28, cols: 28 },
      test: { count: 5, channels: 1, rows: 28, cols: 28 },
      trainClassCounts: [1, 1, 1, 1, 1, 1, 1, 3, 1, 1],
      bytes: 17 * 784 + 17
    })
  })
})
