import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { gunzipIfNeeded } from '../../../src/engine/data/gunzip'
import { parseIdx } from '../../../src/engine/data/idx'
import { decodeMnist } from '../../../src/engine/data/mnist'
import { EngineError } from '../../../src/engine/protocol/error-codes'
import type { DatasetFiles } from '../../../src/engine/protocol/messages'
import { cyclingLabels, gzip, idxBytes, imagesIdx, labelsIdx, pixelsFor } from '../data/idx-fixtures'
import { FUZZ_TEST_TIMEOUT_MS, bytesAround, expectTypedFailure, fuzzParameters, largestAllocation } from './fuzz-support'

/*
 * The IDX reader against hostile input. Every case ends in a parsed array or a DATASET_INVALID error with
 * a one-line message; no case allocates more than the input's own size, whatever its header declares.
 */

const FILE = 'train-images-idx3-ubyte'
const validImages = imagesIdx(3)
const validLabels = labelsIdx([3, 1, 4, 1, 5])

/** Dimensions as an attacker picks them: small, MNIST-like, or near the uint32 limit. */
const declaredDim = fc.oneof(fc.nat({ max: 40 }), fc.constantFrom(28, 60_000, 2 ** 31, 2 ** 32 - 1), fc.nat({ max: 2 ** 32 - 1 }))

/** A well-formed header with arbitrary declared dims, followed by up to 300 bytes of data. */
const lyingHeader = fc
  .tuple(fc.array(declaredDim, { minLength: 1, maxLength: 6 }), fc.uint8Array({ maxLength: 300 }))
  .map(([dims, data]) => idxBytes(dims, data))

function parseOutcome(bytes: Uint8Array): void {
  try {
    const parsed = parseIdx(bytes, FILE)
    // A result is exactly what the header declares, viewed in place.
    expect(parsed.data.length).toBe(parsed.dims.reduce((a, b) => a * b, 1))
    expect(parsed.data.buffer).toBe(bytes.buffer)
    expect(4 + 4 * parsed.dims.length + parsed.data.length).toBe(bytes.length)
  } catch (error) {
    expectTypedFailure(error, 'DATASET_INVALID')
    expect((error as EngineError).message.startsWith(`${FILE}: `)).toBe(true)
  }
}

describe('fuzz: IDX reader (parseIdx)', () => {
  it('random bytes, truncations and single-byte mutations of valid image and label files', () => {
    const input = fc.oneof(bytesAround(validImages), bytesAround(validLabels))
    fc.assert(fc.property(input, parseOutcome), fuzzParameters())
  })

  it('headers declaring any size, up to 2^32−1 per dimension, over at most 300 bytes', () => {
    fc.assert(fc.property(lyingHeader, parseOutcome), fuzzParameters())
  })

  it('never allocates: a result is a view, and a lying header fails before any buffer is made', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(lyingHeader, bytesAround(validImages)), async (bytes) => {
        expect(await largestAllocation(() => parseIdx(bytes, FILE))).toBe(0)
      }),
      fuzzParameters(2_000)
    )
  })

  it('a header declaring 2^31 images of 28×28 in a 100-byte file fails at once, allocating nothing', async () => {
    const bytes = idxBytes([2 ** 31, 28, 28], new Uint8Array(100 - 16))
    expect(bytes.length).toBe(100)
    let error: unknown
    const largest = await largestAllocation(() => {
      try {
        parseIdx(bytes, FILE)
      } catch (e) {
        error = e
      }
    })
    expect(largest).toBe(0)
    expect(error).toBeInstanceOf(EngineError)
    expect((error as EngineError).message).toBe(`${FILE}: truncated: header promises 1683627180032 bytes of data (2147483648×28×28), file has 84`)
  })
})

// ---- the whole dataset reader: gzip, IDX, shapes, labels ------------------------------------------

const TRAIN = 12
const TEST = 5
const validFiles: DatasetFiles = {
  trainImages: gzip(imagesIdx(TRAIN)),
  trainLabels: gzip(labelsIdx(cyclingLabels(TRAIN))),
  testImages: imagesIdx(TEST),
  testLabels: labelsIdx(cyclingLabels(TEST))
}
const KEYS = Object.keys(validFiles) as (keyof DatasetFiles)[]

/** The valid set with one file replaced by a hostile variant of itself (or of its gzip). */
const hostileSet = fc.constantFrom(...KEYS).chain((key) => bytesAround(validFiles[key] as Uint8Array, 64).map((bytes) => ({ ...validFiles, [key]: bytes })))

/** Largest allocation a reader may make for an input of `inputBytes`: deflate's best ratio, 1032:1. */
const allocationBound = (files: DatasetFiles): number => Math.max(...KEYS.map((key) => (files[key] as Uint8Array).length * 1032))

describe('fuzz: MNIST dataset reader (decodeMnist: gzip + IDX + consistency)', () => {
  it(
    'one file of a valid set replaced by random bytes, a truncation or a mutation: a dataset or DATASET_INVALID',
    async () => {
      await fc.assert(
        fc.asyncProperty(hostileSet, async (files) => {
          let outcome: unknown
          const largest = await largestAllocation(async () => {
            try {
              outcome = await decodeMnist('fuzz', files)
            } catch (error) {
              outcome = error
            }
          })
          if (outcome instanceof Error) expectTypedFailure(outcome, 'DATASET_INVALID')
          else {
            const dataset = outcome as Awaited<ReturnType<typeof decodeMnist>>
            expect(dataset.train.images.length).toBe(dataset.train.count * 28 * 28)
            expect(dataset.train.labels.length).toBe(dataset.train.count)
            expect(dataset.test.labels.every((label) => label < 10)).toBe(true)
          }
          expect(largest).toBeLessThanOrEqual(allocationBound(files))
        }),
        { ...fuzzParameters(), timeout: 5_000 }
      )
      // 10,000 async cases through gunzip take 5–8 s on a 2-core machine: the whole property gets its own budget.
    },
    FUZZ_TEST_TIMEOUT_MS
  )
})

describe('gzip bombs', () => {
  it('a small gzip claiming more than the limit stops at the limit with one clear message', async () => {
    const bomb = gzip(new Uint8Array(4 * 1024 * 1024)) // 4 MiB of zeros in about 4 KB
    const limit = 1024 * 1024
    let error: unknown
    const largest = await largestAllocation(async () => {
      try {
        await gunzipIfNeeded(bomb, 'train-images-idx3-ubyte', limit)
      } catch (e) {
        error = e
      }
    })
    expect(error).toBeInstanceOf(EngineError)
    expect((error as EngineError).message).toBe('train-images-idx3-ubyte: decompresses to more than 1 MiB, the largest dataset file this lab reads')
    expect(largest).toBeLessThanOrEqual(limit)
  })

  it('a file exactly at the limit still decompresses', async () => {
    const raw = pixelsFor(10)
    expect((await gunzipIfNeeded(gzip(raw), 'x', raw.length)).length).toBe(raw.length)
  })
})

describe('the allocation recorder itself', () => {
  it('sees typed arrays and buffers made by number or by copy, and not views', async () => {
    expect(await largestAllocation(() => new Float64Array(1000))).toBe(8000)
    expect(await largestAllocation(() => new ArrayBuffer(77))).toBe(77)
    expect(await largestAllocation(() => Uint8Array.from(new Uint8Array(5)))).toBeGreaterThanOrEqual(0)
    expect(await largestAllocation(() => new Uint8Array([1, 2, 3]))).toBe(3)
    const buffer = new ArrayBuffer(64)
    expect(await largestAllocation(() => new Uint8Array(buffer, 8, 8))).toBe(0)
    expect(await largestAllocation(() => gunzipIfNeeded(gzip(new Uint8Array(5000)), 'x'))).toBe(5000)
  })
})
