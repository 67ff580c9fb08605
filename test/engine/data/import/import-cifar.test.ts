import { describe, expect, it } from 'vitest'
import { importImageSet } from '../../../../src/engine/data/import'
import { engineError, imageOf, memoryFiles } from './image-fixtures'

/*
 * CIFAR files written in the documented layout: per record the label byte(s), then 1024 red, 1024 green
 * and 1024 blue bytes, each plane row-major 32×32.
 */

const PLANE = 32 * 32

/** A record's image: red = the record's tag, green = the pixel's row, blue = 255 − the tag. */
function recordImage(tag: number): Uint8Array {
  const image = new Uint8Array(3 * PLANE)
  image.fill(tag, 0, PLANE)
  for (let p = 0; p < PLANE; p++) image[PLANE + p] = Math.floor(p / 32)
  image.fill(255 - tag, 2 * PLANE)
  return image
}

/** Records of (labels…, tag): labelBytes holds the label byte(s) of each record. */
function cifarFile(records: { labels: number[]; tag: number }[]): Uint8Array {
  const recordBytes = records[0].labels.length + 3 * PLANE
  const bytes = new Uint8Array(records.length * recordBytes)
  records.forEach(({ labels, tag }, i) => {
    bytes.set(labels, i * recordBytes)
    bytes.set(recordImage(tag), i * recordBytes + labels.length)
  })
  return bytes
}

const CIFAR10_NAMES = 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n'

function cifar10(dir = 'cifar-10-batches-bin/'): Record<string, Uint8Array | string> {
  const files: Record<string, Uint8Array | string> = { [`${dir}batches.meta.txt`]: CIFAR10_NAMES, [`${dir}readme.html`]: '<p>' }
  for (let b = 1; b <= 5; b++) files[`${dir}data_batch_${b}.bin`] = cifarFile([0, 1].map((r) => ({ labels: [(2 * b + r) % 10], tag: 10 * b + r })))
  files[`${dir}test_batch.bin`] = cifarFile([
    { labels: [3], tag: 200 },
    { labels: [9], tag: 201 },
    { labels: [0], tag: 202 }
  ])
  return files
}

describe('CIFAR-10', () => {
  it('reads the batches in order, in a sub-folder, with the names from batches.meta.txt', async () => {
    const { dataset, source, skipped } = await importImageSet('cifar', memoryFiles(cifar10()))
    expect(source).toBe('cifar-10')
    expect(skipped).toEqual([])
    expect(dataset.classes).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'])
    expect(dataset.train).toMatchObject({ count: 10, channels: 3, rows: 32, cols: 32 })
    expect(Array.from(dataset.train.labels)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
    expect(Array.from(dataset.test.labels)).toEqual([3, 9, 0])
    expect(imageOf(dataset.train, 3)).toEqual(Array.from(recordImage(21)))
    expect(imageOf(dataset.test, 2)).toEqual(Array.from(recordImage(202)))
  })

  it('converts to grey and resizes when asked', async () => {
    const { dataset } = await importImageSet('cifar', memoryFiles(cifar10('')), { colour: 'grey', size: { height: 16, width: 8 } })
    expect(dataset.test).toMatchObject({ count: 3, channels: 1, rows: 16, cols: 8 })
    // record 200: R = 200, B = 55, G = the row; rows 0 and 1 average to G = 0.5. Grey of (200, 0, 55) is
    // round(59.8 + 6.27) = 66 and of (200, 1, 55) round(66.657) = 67, so the first output row is 66.5 → 67.
    const pixels = imageOf(dataset.test, 0)
    expect(pixels.slice(0, 8)).toEqual(new Array(8).fill(67))
  })

  it('names a file whose length is not a whole number of records', async () => {
    const files = cifar10()
    files['cifar-10-batches-bin/data_batch_3.bin'] = (files['cifar-10-batches-bin/data_batch_3.bin'] as Uint8Array).slice(0, 3000)
    const error = await engineError(() => importImageSet('cifar', memoryFiles(files)))
    expect(error.code).toBe('DATASET_INVALID')
    expect(error.message).toBe('cifar-10-batches-bin/data_batch_3.bin: 3000 bytes is not a whole number of 3073-byte records (truncated or not a CIFAR file)')
  })

  it('names a missing batch, and a label the names do not cover', async () => {
    const files = cifar10()
    delete files['cifar-10-batches-bin/data_batch_4.bin']
    expect((await engineError(() => importImageSet('c', memoryFiles(files)))).message).toBe(
      'cifar-10-batches-bin/: a CIFAR-10 folder, but data_batch_4.bin is missing'
    )
    const fewNames = { ...cifar10(), 'cifar-10-batches-bin/batches.meta.txt': 'a\nb\nc\n' }
    expect((await engineError(() => importImageSet('c', memoryFiles(fewNames)))).message).toBe(
      'cifar-10-batches-bin/data_batch_1.bin: record 1 has label 3, but only 3 class names are given'
    )
  })
})

describe('CIFAR-100', () => {
  it('uses the fine labels and fine_label_names.txt', async () => {
    const names = Array.from({ length: 100 }, (_, i) => `fine${i}`).join('\n')
    const files = {
      'cifar-100-binary/train.bin': cifarFile([
        { labels: [1, 42], tag: 1 },
        { labels: [19, 99], tag: 2 }
      ]),
      'cifar-100-binary/test.bin': cifarFile([{ labels: [0, 7], tag: 3 }]),
      'cifar-100-binary/fine_label_names.txt': names,
      'cifar-100-binary/coarse_label_names.txt': 'x\ny'
    }
    const { dataset, source } = await importImageSet('c100', memoryFiles(files))
    expect(source).toBe('cifar-100')
    expect(dataset.classes).toHaveLength(100)
    expect(Array.from(dataset.train.labels)).toEqual([42, 99])
    expect(Array.from(dataset.test.labels)).toEqual([7])
    expect(imageOf(dataset.train, 1)).toEqual(Array.from(recordImage(2)))

    const short = { ...files, 'cifar-100-binary/test.bin': (files['cifar-100-binary/test.bin'] as Uint8Array).slice(0, 3073) }
    expect((await engineError(() => importImageSet('c100', memoryFiles(short)))).message).toBe(
      'cifar-100-binary/test.bin: 3073 bytes is not a whole number of 3074-byte records (truncated or not a CIFAR file)'
    )
  })
})
