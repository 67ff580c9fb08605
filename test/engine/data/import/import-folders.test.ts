import { encode as encodePng } from 'fast-png'
import { describe, expect, it } from 'vitest'
import { importImageSet, type ImportProgress } from '../../../../src/engine/data/import'
import { engineError, flatPng, flatRgbPng, imageOf, memoryFiles, png } from './image-fixtures'

/** `perClass` 8×8 grey images in each class, each a flat value that says its class and number: 10·class + i. */
function classTree(classes: string[], perClass: number, prefix = ''): Record<string, Uint8Array> {
  const tree: Record<string, Uint8Array> = {}
  classes.forEach((name, c) => {
    for (let i = 0; i < perClass; i++) tree[`${prefix}${name}/${String(i).padStart(3, '0')}.png`] = flatPng(8, 8, 10 * c + i)
  })
  return tree
}

const firstPixels = (split: { count: number; channels: number; rows: number; cols: number; images: Uint8Array }): number[] =>
  Array.from({ length: split.count }, (_, k) => imageOf(split, k)[0])

const countsOf = (labels: Uint8Array, classes: number): number[] => {
  const counts = new Array<number>(classes).fill(0)
  for (const label of labels) counts[label]++
  return counts
}

describe('class folders', () => {
  it('reads classes sorted by name, labels by index, and each image into its class', async () => {
    const { dataset, source, skipped } = await importImageSet('shapes', memoryFiles(classTree(['b', 'a', 'B'], 6)))
    expect(source).toBe('folders')
    expect(skipped).toEqual([])
    expect(dataset.name).toBe('shapes')
    expect(dataset.classes).toEqual(['B', 'a', 'b'])
    for (const split of [dataset.train, dataset.test]) {
      expect(split).toMatchObject({ channels: 1, rows: 8, cols: 8 })
      const values = firstPixels(split)
      // class "b" was written as class 0 (values 0…5), "a" as 1 (10…15), "B" as 2 (20…25)
      split.labels.forEach((label, k) => expect(dataset.classes[label]).toBe(['b', 'a', 'B'][Math.floor(values[k] / 10)]))
    }
    expect(dataset.train.count + dataset.test.count).toBe(18)
  })

  it('splits each class by the test fraction, the same way for the same seed and differently for another', async () => {
    const tree = classTree(['cat', 'dog', 'owl'], 12)
    const first = await importImageSet('x', memoryFiles(tree), { seed: 5 })
    const again = await importImageSet('x', memoryFiles(tree), { seed: 5 })
    const other = await importImageSet('x', memoryFiles(tree), { seed: 6 })
    // 1/6 of 12 = 2 test images per class
    expect(countsOf(first.dataset.test.labels, 3)).toEqual([2, 2, 2])
    expect(countsOf(first.dataset.train.labels, 3)).toEqual([10, 10, 10])
    expect(again.dataset.train.images).toEqual(first.dataset.train.images)
    expect(again.dataset.test.labels).toEqual(first.dataset.test.labels)
    expect(firstPixels(other.dataset.train)).not.toEqual(firstPixels(first.dataset.train))

    const half = await importImageSet('x', memoryFiles(tree), { testSplit: 0.5 })
    expect(countsOf(half.dataset.test.labels, 3)).toEqual([6, 6, 6])
    // every image exactly once
    const all = [...firstPixels(half.dataset.train), ...firstPixels(half.dataset.test)].sort((a, b) => a - b)
    expect(all).toEqual(
      Object.keys(tree)
        .map((_, i) => 10 * Math.floor(i / 12) + (i % 12))
        .sort((a, b) => a - b)
    )
  })

  it('shuffles the order inside a split, so the first images are not all one class', async () => {
    const { dataset } = await importImageSet('x', memoryFiles(classTree(['a', 'b', 'c', 'd'], 30)))
    const firstLabels = Array.from(dataset.train.labels.subarray(0, 20))
    expect(new Set(firstLabels).size).toBeGreaterThan(2)
    expect(firstLabels).not.toEqual([...firstLabels].sort())
  })

  it('keeps the split of train/ and test/ folders, and looks through a folder that wraps everything', async () => {
    const tree = { ...classTree(['a', 'b'], 5, 'set/train/'), ...classTree(['a', 'b'], 2, 'set/Test/') }
    const { dataset, skipped } = await importImageSet('x', memoryFiles(tree))
    expect(skipped).toEqual([])
    expect(dataset.classes).toEqual(['a', 'b'])
    expect(countsOf(dataset.train.labels, 2)).toEqual([5, 5])
    expect(countsOf(dataset.test.labels, 2)).toEqual([2, 2])
    expect(firstPixels(dataset.test).sort((x, y) => x - y)).toEqual([0, 1, 10, 11])
  })

  it('ignores hidden and non-image files silently, and skips an image outside a class folder with its reason', async () => {
    const files = memoryFiles({
      ...classTree(['a', 'b'], 3),
      '.DS_Store': 'x',
      'a/.DS_Store': 'x',
      'a/._000.png': 'resource fork',
      '__MACOSX/a/._001.png': 'x',
      'b/Thumbs.db': 'x',
      'b/notes.txt': 'x',
      'cover.png': flatPng(8, 8, 1)
    })
    const { dataset, skipped } = await importImageSet('x', files)
    expect(dataset.classes).toEqual(['a', 'b'])
    expect(skipped).toEqual([{ file: 'cover.png', reason: 'not inside a class folder' }])
  })

  it('skips an undecodable image with its reason, or stops on it when strict', async () => {
    const broken = png(8, 8, 1, new Array(64).fill(3)).slice(0, 60)
    const tree = { ...classTree(['a', 'b'], 3), 'a/broken.png': broken, 'b/text.JPG': new TextEncoder().encode('not an image') }
    const { dataset, skipped } = await importImageSet('x', memoryFiles(tree))
    expect(dataset.train.count + dataset.test.count).toBe(6)
    expect(skipped.map((s) => s.file)).toEqual(['a/broken.png', 'b/text.JPG'])
    expect(skipped[0].reason).toMatch(/^PNG: /)
    expect(skipped[1].reason).toBe('not a PNG, JPEG, BMP or WebP file')

    const error = await engineError(() => importImageSet('x', memoryFiles({ ...tree, 'b/text.JPG': png(8, 8, 1, new Array(64).fill(0)) }), { strict: true }))
    expect(error.code).toBe('DATASET_INVALID')
    expect(error.message).toMatch(/^a\/broken\.png: PNG: /)
    const first = await engineError(() => importImageSet('x', memoryFiles(tree), { strict: true }))
    expect(first.message).toBe('b/text.JPG: not a PNG, JPEG, BMP or WebP file')
  })

  it('refuses an image over 50 megapixels from its header, without decoding it', async () => {
    // A real PNG header claiming 10000×6000, with no image data behind it
    const header = encodePng({ width: 1, height: 1, channels: 1, depth: 8, data: new Uint8Array(1) }).slice(0, 33)
    new DataView(header.buffer).setUint32(16, 10000)
    new DataView(header.buffer).setUint32(20, 6000)
    const tree = { ...classTree(['a', 'b'], 3), 'a/huge.png': header }
    const { skipped } = await importImageSet('x', memoryFiles(tree), { size: { height: 8, width: 8 } })
    expect(skipped).toEqual([{ file: 'a/huge.png', reason: 'PNG: 10000x6000 is 60 megapixels, over the 50 megapixel limit' }])
    const strict = await engineError(() => importImageSet('x', memoryFiles(tree), { strict: true }))
    expect(strict.message).toBe('a/huge.png: PNG: 10000x6000 is 60 megapixels, over the 50 megapixel limit')
  })

  it('defaults to the most common size scaled to fit 64, and to grey unless an image has colour', async () => {
    const tree: Record<string, Uint8Array> = {
      'a/1.png': flatPng(100, 200, 5),
      'a/2.png': flatPng(100, 200, 5),
      'b/1.png': flatPng(100, 200, 5),
      'b/2.png': flatPng(30, 30, 5),
      'b/3.png': flatPng(30, 30, 5)
    }
    const { dataset } = await importImageSet('x', memoryFiles(tree), { testSplit: 0.4 })
    // 200 rows × 100 columns is the most common; scaled to 64 rows keeps the aspect
    expect(dataset.train).toMatchObject({ channels: 1, rows: 64, cols: 32 })
    const tiny = await importImageSet(
      'x',
      memoryFiles({ 'a/1.png': flatPng(4, 2, 5), 'a/2.png': flatPng(4, 2, 5), 'b/1.png': flatRgbPng(4, 2, [1, 2, 3]), 'b/2.png': flatPng(4, 2, 5) }),
      { testSplit: 0.5 }
    )
    expect(tiny.dataset.train).toMatchObject({ channels: 3, rows: 8, cols: 8 })
    const greyRgb = await importImageSet(
      'x',
      memoryFiles({ 'a/1.png': flatRgbPng(8, 8, [7, 7, 7]), 'a/2.png': flatPng(8, 8, 1), 'b/1.png': flatRgbPng(8, 8, [9, 9, 9]), 'b/2.png': flatPng(8, 8, 1) }),
      { testSplit: 0.5 }
    )
    expect(greyRgb.dataset.train.channels).toBe(1)
    const forced = await importImageSet('x', memoryFiles(classTree(['a', 'b'], 2)), { colour: 'colour', testSplit: 0.5, size: { height: 10, width: 12 } })
    expect(forced.dataset.train).toMatchObject({ channels: 3, rows: 10, cols: 12 })
  })

  it('reads each file once when the scan kept its bytes, and twice only when the size must be found first', async () => {
    const files = memoryFiles(classTree(['a', 'b'], 3))
    await importImageSet('x', files)
    expect([...files.reads.values()]).toEqual(new Array(6).fill(1))
  })

  it('reports progress at least every 100 files and at the end of each phase', async () => {
    const calls: ImportProgress[] = []
    await importImageSet('x', memoryFiles(classTree(['a', 'b'], 130)), { onProgress: (p) => calls.push(p) })
    const decoding = calls.filter((p) => p.phase === 'decoding')
    expect(decoding.map((p) => p.done)).toEqual([0, 100, 200, 260])
    expect(decoding.every((p) => p.total === 260)).toBe(true)
    expect(calls.filter((p) => p.phase === 'scanning').at(-1)).toEqual({ phase: 'scanning', done: 260, total: 260 })
  })

  it('stops when cancelled, with an error that says so', async () => {
    const controller = new AbortController()
    let seen = 0
    const onProgress = (p: ImportProgress): void => {
      if (p.phase === 'decoding' && p.done >= 100 && seen++ === 0) controller.abort()
    }
    const error = await engineError(() => importImageSet('pets', memoryFiles(classTree(['a', 'b'], 130)), { signal: controller.signal, onProgress }))
    expect(error.message).toBe('import of "pets" was cancelled')
    expect(error.details).toEqual({ cancelled: true })
    const before = new AbortController()
    before.abort()
    await expect(importImageSet('pets', memoryFiles(classTree(['a', 'b'], 2)), { signal: before.signal })).rejects.toThrow('cancelled')
  })

  it('reports bad input in one line', async () => {
    const message = async (files: Record<string, Uint8Array | string>, options = {}): Promise<string> => {
      const error = await engineError(() => importImageSet('x', memoryFiles(files), options))
      expect(error.code).toBe('DATASET_INVALID')
      expect(error.message).not.toContain('\n')
      return error.message
    }
    expect(await message(classTree(['only'], 4))).toBe('found one class folder ("only"); an image set needs at least 2 classes, one folder of images each')
    const many = classTree(
      Array.from({ length: 101 }, (_, i) => `c${i}`),
      1
    )
    expect(await message(many)).toBe('found 101 class folders; at most 100 classes are supported')
    expect(await message({ 'a/readme.txt': 'x', '.hidden.png': 'x' })).toMatch(/^no images found: /)
    const emptyClass = { ...classTree(['a'], 3), 'b/bad.png': 'not a png' }
    expect(await message(emptyClass)).toBe('class "b" has no image to train on: b/ holds no image that could be decoded')
    expect(await message(classTree(['a', 'b'], 3), { size: { height: 4, width: 8 } })).toBe('image size 4x8 is outside 8 to 128 pixels a side')
    expect(await message(classTree(['a', 'b'], 3), { size: { height: 8, width: 129 } })).toBe('image size 8x129 is outside 8 to 128 pixels a side')
    expect(await message(classTree(['a', 'b'], 2))).toBe('the import gave no test images: each class is too small for a test split of 0.16666666666666666')
    expect(await message(classTree(['a', 'b'], 3), { testSplit: 1 })).toBe('the test split must be a fraction between 0 and 1, not 1')
    const noTest = { ...classTree(['a', 'b'], 3, 'train/'), 'test/a/bad.png': 'x' }
    expect(await message(noTest)).toBe('the import gave no test images: test/ holds no image that could be decoded')
  })
})
