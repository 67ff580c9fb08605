/*
 * The stored data set: a bit-exact round trip, grey and RGB, and one DATASET_INVALID line for every kind
 * of bad file.
 */
import { describe, expect, it } from 'vitest'
import { checkDataset, decodeStoredSet, encodeStoredSet, type StoredSetInfo } from '../../../src/engine/data/stored-set'
import { datasetFingerprint } from '../../../src/engine/data/fingerprint'
import type { ImageDataset, Split } from '../../../src/engine/data/image-set'
import { decodeSafetensors, encodeSafetensors } from '../../../src/engine/model-file/safetensors'
import { Random } from '../../../src/engine/core/random'
import { expectOneLineError } from '../one-line-error'
import { headerLength, readHeader, withHeader } from '../../fixtures/safetensors'

function randomSplit(random: Random, count: number, channels: number, rows: number, cols: number, classCount: number): Split {
  const images = new Uint8Array(count * channels * rows * cols)
  for (let i = 0; i < images.length; i++) images[i] = random.int(256)
  const labels = new Uint8Array(count)
  for (let i = 0; i < count; i++) labels[i] = i % classCount // every class present
  return { count, channels, rows, cols, images, labels }
}

function makeSet(channels: number, rows = 10, cols = 12): ImageDataset {
  const random = new Random(channels)
  const classes = channels === 1 ? ['あ', 'い', 'う'] : ['cat', 'dog', 'frog', 'ship']
  return {
    name: `set ${channels}`,
    classes,
    train: randomSplit(random, 7, channels, rows, cols, classes.length),
    test: randomSplit(random, 3, channels, rows, cols, classes.length)
  }
}

const info: StoredSetInfo = { source: '/home/me/leaves', createdAt: '2025-01-02T03:04:05.000Z', skipped: 2 }

const withMetadata = (bytes: Uint8Array, edit: (metadata: any) => void): Uint8Array =>
  withHeader(bytes, (h) => {
    const metadata = JSON.parse(h.__metadata__.dataset)
    edit(metadata)
    h.__metadata__.dataset = JSON.stringify(metadata)
  })

/** The offset in the file of tensor `name`'s first byte. */
function dataOffset(bytes: Uint8Array, name: string): number {
  return 8 + headerLength(bytes) + readHeader(bytes)[name].data_offsets[0]
}

const fails = (bytes: Uint8Array, message: RegExp) => expectOneLineError(() => decodeStoredSet(bytes), 'DATASET_INVALID', message)

describe('round trip', () => {
  it.each([1, 3])('%i channel(s): the same bytes, classes, name and metadata back', (channels) => {
    const dataset = makeSet(channels)
    const bytes = encodeStoredSet(dataset, info)
    const { dataset: back, metadata } = decodeStoredSet(bytes)
    expect(back.name).toBe(dataset.name)
    expect(back.classes).toEqual(dataset.classes)
    for (const split of ['train', 'test'] as const) {
      const { images, labels, ...shape } = back[split]
      const { images: images0, labels: labels0, ...shape0 } = dataset[split]
      expect(shape).toEqual(shape0)
      expect(Buffer.from(images).equals(Buffer.from(images0))).toBe(true)
      expect(Buffer.from(labels).equals(Buffer.from(labels0))).toBe(true)
    }
    expect(metadata).toEqual({
      format: 'gradient-lab-dataset',
      version: 1,
      name: dataset.name,
      classes: dataset.classes,
      fingerprint: datasetFingerprint(dataset),
      ...info
    })
    expect(encodeStoredSet(back, info)).toEqual(bytes)
  })

  it('is a plain safetensors file of U8 tensors that other tools can read', () => {
    const bytes = encodeStoredSet(makeSet(3, 8, 9), info)
    const header = readHeader(bytes)
    expect(header['train.images']).toMatchObject({ dtype: 'U8', shape: [7, 3, 8, 9] })
    expect(header['train.labels']).toMatchObject({ dtype: 'U8', shape: [7] })
    expect(header['test.images']).toMatchObject({ dtype: 'U8', shape: [3, 3, 8, 9] })
    expect(JSON.parse(header.__metadata__.dataset).format).toBe('gradient-lab-dataset')
  })

  it('a test split may be empty; a training split may not', () => {
    const dataset = makeSet(1)
    dataset.test = { ...dataset.test, count: 0, images: new Uint8Array(0), labels: new Uint8Array(0) }
    expect(decodeStoredSet(encodeStoredSet(dataset, info)).dataset.test.count).toBe(0)
    dataset.train = dataset.test
    expect(() => encodeStoredSet(dataset, info)).toThrow(/the train split has 0 images/)
  })
})

describe('encoding refuses a set the engine cannot use', () => {
  it.each<[string, (d: ImageDataset) => void, RegExp]>([
    ['a label past the classes', (d) => (d.train.labels[4] = 3), /train label 4 is 3, but the set has 3 classes \(0 to 2\)/],
    ['one class', (d) => (d.classes = ['a']), /1 classes; from 2 to 100/],
    ['two classes of one name', (d) => (d.classes = ['a', 'b', 'a']), /two classes are named "a"/],
    ['2 channels', (d) => (d.test = { ...d.test, channels: 2 }), /test images have 2 channels/],
    ['images too small', (d) => (d.train = { ...d.train, rows: 7 }), /train images are 7 pixels in height; from 8 to 128/],
    [
      'bytes that do not fill the shape',
      (d) => (d.train = { ...d.train, images: d.train.images.subarray(1) }),
      /train split has 839 image bytes, not 7 × 1×10×12/
    ],
    [
      'splits of different sizes',
      (d) => (d.test = { ...d.test, cols: 11, images: d.test.images.subarray(0, 3 * 110) }),
      /training images are 1×10×12 but the test images 1×10×11/
    ]
  ])('%s', (_, spoil, message) => {
    const dataset = makeSet(1)
    spoil(dataset)
    expect(() => checkDataset(dataset)).toThrow(message)
    expect(() => encodeStoredSet(dataset, info)).toThrow(message)
  })
})

describe('bad files: one clear line each', () => {
  const good = encodeStoredSet(makeSet(3), info)

  it('truncated', () => {
    fails(good.subarray(0, 5), /too short to be a data set/)
    fails(good.subarray(0, good.length - 1), /describes \d+ bytes of tensor data, but the file holds \d+/)
    fails(good.subarray(0, 100), /header length \(\d+ bytes\) runs past the end of the file/)
  })

  it('a bad header', () => {
    const garbled = good.slice()
    garbled[10] = 0xff
    fails(garbled, /header is not valid JSON: the file is corrupt or not a data set/)
    fails(new TextEncoder().encode('just some text, not a data set at all'), /runs past the end|not valid JSON/)
    fails(
      withHeader(good, (h) => (h['test.labels'].dtype = 'F32')),
      /dtype "F32", which Gradient Lab does not use \(U8 only\)/
    )
    fails(
      withHeader(good, (h) => (h['test.labels'].shape = [4])),
      /"test.labels": shape \[4\] in U8 needs 4 bytes, its offsets span 3/
    )
  })

  it('not a data set, or a newer one', () => {
    fails(encodeSafetensors([{ name: 'w', shape: [1], value: new Uint8Array(1) }], {}), /no "dataset" metadata: it is not a Gradient Lab data set/)
    fails(
      withMetadata(good, (m) => (m.format = 'something-else')),
      /format is "something-else", not "gradient-lab-dataset"/
    )
    fails(
      withMetadata(good, (m) => (m.version = 2)),
      /made by a newer Gradient Lab \(format version 2; this one reads 1\)/
    )
    fails(
      withMetadata(good, (m) => (m.fingerprint = 'xyz')),
      /fingerprint is not 16 hex digits/
    )
    fails(
      withMetadata(good, (m) => (m.classes = 'cat')),
      /classes are not a list of names/
    )
    fails(
      withMetadata(good, (m) => delete m.source),
      /source is not a string/
    )
    fails(
      withMetadata(good, (m) => (m.skipped = -1)),
      /skipped count is not a whole number/
    )
    fails(
      withHeader(good, (h) => (h.__metadata__.dataset = '{oops')),
      /"dataset" metadata is not valid JSON/
    )
  })

  it('tensors missing, extra or mis-shaped', () => {
    fails(
      withHeader(good, (h) => (h['train.extra'] = h['test.labels']) && delete h['test.labels']),
      /no tensor "test.labels"/
    )
    fails(
      withHeader(good, (h) => {
        h['train.labels'].shape = [1, 7]
      }),
      /train.labels has shape \[1, 7\], not \[count\]/
    )
    fails(
      withHeader(good, (h) => (h['train.images'].shape = [7, 3, 120])),
      /train.images has shape \[7, 3, 120\], not \[count, channels, height, width\]/
    )
    fails(
      withHeader(good, (h) => (h['train.images'].shape = [7, 2, 10, 18])),
      /the train images have 2 channels/
    )
    fails(
      withMetadata(good, (m) => (m.classes = ['cat'])),
      /the set has 1 classes/
    )
  })

  it('a label out of range', () => {
    const bytes = good.slice()
    bytes[dataOffset(bytes, 'test.labels') + 2] = 9
    fails(bytes, /test label 2 is 9, but the set has 4 classes \(0 to 3\)/)
  })

  it('bytes that do not match the fingerprint', () => {
    const image = good.slice()
    image[dataOffset(image, 'train.images') + 123] ^= 1
    fails(image, /do not match the set's fingerprint \(recorded [0-9a-f]{16}, computed [0-9a-f]{16}\): the file is corrupt/)
    const label = good.slice()
    label[dataOffset(label, 'train.labels')] = 3 // a valid class, but not the one recorded
    fails(label, /do not match the set's fingerprint/)
    fails(
      withMetadata(good, (m) => (m.classes = ['cat', 'dog', 'frog', 'toad'])),
      /do not match the set's fingerprint/
    )
  })
})

describe('the safetensors extension keeps models as they were', () => {
  it('a model file with a U8 tensor is still refused as a model', () => {
    expect(() => decodeSafetensors(encodeStoredSet(makeSet(1), info))).toThrow(/dtype "U8", which Gradient Lab does not use \(F32 or F64 only\)/)
  })
})
