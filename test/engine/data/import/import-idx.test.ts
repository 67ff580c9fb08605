import { describe, expect, it } from 'vitest'
import { importImageSet } from '../../../../src/engine/data/import'
import { MNIST_FILES } from '../../../../src/engine/data/mnist'
import { gzip, idxBytes, imagesIdx, labelsIdx, pixelsFor } from '../idx-fixtures'
import { engineError, imageOf, memoryFiles } from './image-fixtures'

/** Four IDX files (the training images gzipped) in `dir`, labels as given. */
function idxFiles(trainLabels: number[], testLabels: number[], dir = 'fashion/'): Record<string, Uint8Array | string> {
  return {
    [`${dir}${MNIST_FILES.trainImages}.gz`]: gzip(imagesIdx(trainLabels.length)),
    [`${dir}${MNIST_FILES.trainLabels}`]: labelsIdx(trainLabels),
    [`${dir}${MNIST_FILES.testImages}`]: imagesIdx(testLabels.length),
    [`${dir}${MNIST_FILES.testLabels}`]: labelsIdx(testLabels)
  }
}

describe('IDX (MNIST format)', () => {
  it('reads the four files, raw or gzipped, with the digits as classes when there is no classes.txt', async () => {
    const { dataset, source } = await importImageSet('digits', memoryFiles(idxFiles([0, 1, 9, 3], [4, 5])))
    expect(source).toBe('idx')
    expect(dataset.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    expect(dataset.train).toMatchObject({ count: 4, channels: 1, rows: 28, cols: 28 })
    expect(Array.from(dataset.train.labels)).toEqual([0, 1, 9, 3])
    expect(dataset.train.images).toEqual(pixelsFor(4))
  })

  it('names the classes from classes.txt beside the files', async () => {
    const names = 'T-shirt/top\r\nTrouser\r\nPullover\r\n'
    const { dataset } = await importImageSet('fashion', memoryFiles({ ...idxFiles([0, 2, 1], [2]), 'fashion/classes.txt': names }))
    expect(dataset.classes).toEqual(['T-shirt/top', 'Trouser', 'Pullover'])
  })

  it('refuses a classes.txt that names fewer classes than the labels use', async () => {
    const error = await engineError(() => importImageSet('f', memoryFiles({ ...idxFiles([0, 5], [1]), 'fashion/classes.txt': 'a\nb\n' })))
    expect(error.message).toBe('fashion/classes.txt: names 2 classes, but the labels go up to 5')
    const noNames = await engineError(() => importImageSet('k', memoryFiles(idxFiles([0, 12], [1]))))
    expect(noNames.message).toBe('the labels go up to 12: add a classes.txt beside the IDX files naming the 13 classes, one a line')
  })

  it('resizes and expands to colour when asked', async () => {
    const files = idxFiles([0, 1], [1], '')
    files[MNIST_FILES.trainImages + '.gz'] = gzip(
      idxBytes(
        [2, 8, 8],
        new Array(128).fill(0).map((_, i) => (i < 64 ? 40 : (i % 2) * 100))
      )
    )
    files[MNIST_FILES.testImages] = idxBytes([1, 8, 8], new Array(64).fill(7))
    const { dataset } = await importImageSet('small', memoryFiles(files), { size: { height: 8, width: 16 }, colour: 'colour' })
    expect(dataset.train).toMatchObject({ channels: 3, rows: 8, cols: 16 })
    const second = imageOf(dataset.train, 1)
    // the second image alternates 0 and 100 along each row; doubled in width, each becomes two pixels
    expect(second.slice(0, 4)).toEqual([0, 0, 100, 100])
    expect(second.slice(128, 132)).toEqual([0, 0, 100, 100])
    expect(imageOf(dataset.test, 0)).toEqual(new Array(3 * 128).fill(7))
  })

  it('names a missing file', async () => {
    const files = idxFiles([0, 1], [1])
    delete files[`fashion/${MNIST_FILES.testLabels}`]
    const error = await engineError(() => importImageSet('f', memoryFiles(files)))
    expect(error.message).toBe('fashion/: an IDX folder, but t10k-labels-idx1-ubyte (or .gz) is missing')
  })
})
