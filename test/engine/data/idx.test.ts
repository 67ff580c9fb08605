import { describe, expect, it } from 'vitest'
import { parseIdx } from '../../../src/engine/data/idx'
import { expectEngineError, idxBytes, pixelsFor } from './idx-fixtures'

const FILE = 'train-images-idx3-ubyte'

describe('parseIdx', () => {
  it('reads the dims and returns the data as a view into the input, not a copy', () => {
    const pixels = pixelsFor(3, 2, 4)
    const bytes = idxBytes([3, 2, 4], pixels)
    const parsed = parseIdx(bytes, FILE)
    expect(parsed.dims).toEqual([3, 2, 4])
    expect(Array.from(parsed.data)).toEqual(Array.from(pixels))
    expect(parsed.data.buffer).toBe(bytes.buffer)
    expect(parsed.data.byteOffset).toBe(16)
  })

  it('reads big-endian dims larger than one byte', () => {
    const parsed = parseIdx(idxBytes([70000], new Uint8Array(70000)), FILE)
    expect(parsed.dims).toEqual([70000])
    expect(parsed.data.length).toBe(70000)
  })

  it('parses a view that does not start at the beginning of its buffer', () => {
    const inner = idxBytes([2], [4, 9])
    const outer = new Uint8Array(inner.length + 5)
    outer.set(inner, 5)
    const parsed = parseIdx(outer.subarray(5), FILE)
    expect(parsed.dims).toEqual([2])
    expect(Array.from(parsed.data)).toEqual([4, 9])
  })

  it('rejects a file shorter than the 4-byte header', async () => {
    await expectEngineError(
      () => parseIdx(new Uint8Array([0, 0]), FILE),
      'DATASET_INVALID',
      'train-images-idx3-ubyte: file is only 2 bytes, shorter than the 4-byte IDX header'
    )
  })

  it('rejects a file shorter than its dimension list', async () => {
    await expectEngineError(
      () => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0]), FILE),
      'DATASET_INVALID',
      'train-images-idx3-ubyte: file is only 10 bytes, shorter than its 16-byte IDX header (3 dimensions)'
    )
  })

  it('rejects a wrong magic number and says what was found', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    await expectEngineError(
      () => parseIdx(png, FILE),
      'DATASET_INVALID',
      'train-images-idx3-ubyte: wrong magic number 0x89504e47 (expected an IDX file of unsigned bytes, 0x0000080x)'
    )
  })

  it('rejects IDX types other than unsigned bytes, naming the type', async () => {
    await expectEngineError(
      () => parseIdx(idxBytes([2], new Uint8Array(8), 0x0d), FILE),
      'DATASET_INVALID',
      'train-images-idx3-ubyte: unsupported IDX data type 0x0d (32-bit floats); only 0x08 (unsigned bytes) is supported'
    )
    await expectEngineError(
      () => parseIdx(idxBytes([2], new Uint8Array(2), 0x42), FILE),
      'DATASET_INVALID',
      'train-images-idx3-ubyte: unsupported IDX data type 0x42 (not an IDX type); only 0x08 (unsigned bytes) is supported'
    )
  })

  it('rejects zero dimensions', async () => {
    await expectEngineError(() => parseIdx(new Uint8Array([0, 0, 8, 0]), FILE), 'DATASET_INVALID', 'train-images-idx3-ubyte: IDX header declares 0 dimensions')
  })

  it('rejects truncated data with the promised and actual sizes', async () => {
    await expectEngineError(
      () => parseIdx(idxBytes([10000, 28, 28], new Uint8Array(1234)), FILE),
      'DATASET_INVALID',
      'train-images-idx3-ubyte: truncated: header promises 7840000 bytes of data (10000×28×28), file has 1234'
    )
  })

  it('rejects trailing bytes after the data', async () => {
    await expectEngineError(
      () => parseIdx(idxBytes([2, 2], new Uint8Array(7)), 't10k-labels-idx1-ubyte'),
      'DATASET_INVALID',
      't10k-labels-idx1-ubyte: 3 unexpected bytes after the 4 bytes of data the header promises (2×2)'
    )
  })

  it('accepts an empty array when a dimension is 0', () => {
    const parsed = parseIdx(idxBytes([0, 28, 28], []), FILE)
    expect(parsed.dims).toEqual([0, 28, 28])
    expect(parsed.data.length).toBe(0)
  })
})
