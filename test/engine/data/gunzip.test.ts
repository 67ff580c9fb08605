import { describe, expect, it } from 'vitest'
import { gunzipIfNeeded } from '../../../src/engine/data/gunzip'
import { expectEngineError, gzip, pixelsFor } from './idx-fixtures'

const FILE = 't10k-images-idx3-ubyte'

describe('gunzipIfNeeded', () => {
  it('returns bytes that are not gzip unchanged (same object, no copy)', async () => {
    const raw = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 0])
    expect(await gunzipIfNeeded(raw, FILE)).toBe(raw)
  })

  it('decompresses gzip into a buffer of exactly the decompressed size', async () => {
    const raw = pixelsFor(300) // 235,200 bytes: many stream chunks
    const out = await gunzipIfNeeded(gzip(raw), FILE)
    expect(out.length).toBe(raw.length)
    expect(out.buffer.byteLength).toBe(raw.length)
    expect(Buffer.from(out).equals(Buffer.from(raw))).toBe(true)
  })

  it('decompresses a multi-member gzip file, whose trailer size is only the last member', async () => {
    const first = pixelsFor(100)
    const second = new Uint8Array(1000).fill(3)
    const joined = new Uint8Array([...gzip(first), ...gzip(second)])
    const out = await gunzipIfNeeded(joined, FILE)
    expect(out.length).toBe(first.length + second.length)
    expect(out.buffer.byteLength).toBe(first.length + second.length)
    expect(Buffer.from(out).equals(Buffer.concat([first, second]))).toBe(true)
  })

  it('rejects a truncated gzip stream', async () => {
    const gz = gzip(pixelsFor(100))
    await expectEngineError(
      () => gunzipIfNeeded(gz.subarray(0, gz.length - 100), FILE),
      'DATASET_INVALID',
      't10k-images-idx3-ubyte: not a valid gzip file (unexpected end of file)'
    )
  })

  it('rejects a gzip stream whose checksum does not match', async () => {
    const gz = gzip(pixelsFor(100))
    gz[gz.length - 6] ^= 0x01 // inside the CRC-32 of the trailer
    await expectEngineError(() => gunzipIfNeeded(gz, FILE), 'DATASET_INVALID', 't10k-images-idx3-ubyte: not a valid gzip file (incorrect data check)')
  })

  it('rejects a file that is only the gzip magic', async () => {
    await expectEngineError(
      () => gunzipIfNeeded(new Uint8Array([0x1f, 0x8b]), FILE),
      'DATASET_INVALID',
      't10k-images-idx3-ubyte: not a valid gzip file (only 2 bytes, shorter than a gzip header and trailer)'
    )
  })
})
