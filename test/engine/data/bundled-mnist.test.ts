import { describe, expect, it } from 'vitest'
import { decodeMnist, describeDataset } from '../../../src/engine/data/mnist'
import type { Split } from '../../../src/engine/data/image-set'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { BUNDLED_MNIST_DIR } from './idx-fixtures'

/* The committed resources/mnist files, made by scripts/make-bundled-mnist.mjs (counts from its README). */

const classCounts = (split: Split): number[] => {
  const counts = new Array<number>(10).fill(0)
  for (const label of split.labels) counts[label]++
  return counts
}

describe('bundled MNIST subset', () => {
  it('decodes to 8,000 training and 2,000 test images with every digit in both', async () => {
    const ds = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
    const info = describeDataset(ds)
    expect(info.train).toEqual({ count: 8000, channels: 1, rows: 28, cols: 28 })
    expect(info.test).toEqual({ count: 2000, channels: 1, rows: 28, cols: 28 })
    expect(info.trainClassCounts).toEqual([819, 908, 792, 832, 760, 683, 810, 856, 756, 784])
    expect(classCounts(ds.test)).toEqual([182, 219, 199, 200, 220, 180, 204, 214, 188, 194])
    expect(info.bytes).toBe(10000 * 784 + 10000)
  })

  it('holds real digit images: mostly black, with ink in every image', async () => {
    const ds = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
    for (const split of [ds.train, ds.test]) {
      let inkless = 0
      let dark = 0
      for (let i = 0; i < split.count; i++) {
        const image = split.images.subarray(i * 784, (i + 1) * 784)
        if (image.every((p) => p === 0)) inkless++
        dark += image.filter((p) => p === 0).length
      }
      expect(inkless).toBe(0)
      expect(dark / (split.count * 784)).toBeGreaterThan(0.7)
    }
  })
})
