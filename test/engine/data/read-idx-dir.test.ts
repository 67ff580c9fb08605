import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MNIST_FILES } from '../../../src/engine/data/mnist'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { expectEngineError, gzip, mnistFiles } from './idx-fixtures'

describe('readIdxDirectory', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gradient-lab-idx-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const files = mnistFiles(12, 5) as Record<keyof typeof MNIST_FILES, Uint8Array>

  it('reads plain and .gz files, preferring the plain one when both exist', async () => {
    await writeFile(join(dir, MNIST_FILES.trainImages), files.trainImages)
    await writeFile(join(dir, `${MNIST_FILES.trainImages}.gz`), new Uint8Array([1, 2, 3]))
    await writeFile(join(dir, `${MNIST_FILES.trainLabels}.gz`), gzip(files.trainLabels))
    await writeFile(join(dir, MNIST_FILES.testImages), files.testImages)
    await writeFile(join(dir, `${MNIST_FILES.testLabels}.gz`), gzip(files.testLabels))

    const read = await readIdxDirectory(dir)
    expect(Object.keys(read).sort()).toEqual(['testImages', 'testLabels', 'trainImages', 'trainLabels'])
    expect(read.trainImages).toEqual(files.trainImages)
    expect(read.trainLabels).toEqual(gzip(files.trainLabels))
    expect(read.testImages).toEqual(files.testImages)
    expect(Object.getPrototypeOf(read.trainImages)).toBe(Uint8Array.prototype)
  })

  it('names the first missing file', async () => {
    await writeFile(join(dir, MNIST_FILES.trainImages), files.trainImages)
    await writeFile(join(dir, MNIST_FILES.trainLabels), files.trainLabels)
    await writeFile(join(dir, MNIST_FILES.testLabels), files.testLabels)
    await expectEngineError(() => readIdxDirectory(dir), 'DATASET_MISSING_FILE', `${dir}: missing t10k-images-idx3-ubyte (or t10k-images-idx3-ubyte.gz)`)
  })

  it('reports a directory that does not exist', async () => {
    const absent = join(dir, 'nowhere')
    await expectEngineError(() => readIdxDirectory(absent), 'DATASET_MISSING_FILE', `${absent}: dataset directory not found`)
  })

  it('reports a path that is a file, not a directory', async () => {
    const file = join(dir, 'mnist.zip')
    await writeFile(file, 'PK')
    await expectEngineError(() => readIdxDirectory(file), 'DATASET_MISSING_FILE', `${file}: not a directory (expected a directory holding the MNIST files)`)
  })

  it('reports a dataset file that cannot be read', async () => {
    const unreadable = join(dir, MNIST_FILES.trainImages)
    await mkdir(unreadable) // a directory where the file should be: reading it fails with EISDIR
    await expectEngineError(
      () => readIdxDirectory(dir),
      'DATASET_MISSING_FILE',
      `${unreadable}: cannot read the file (EISDIR: illegal operation on a directory, read)`
    )
  })
})
