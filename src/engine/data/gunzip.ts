import { EngineError } from '../protocol/error-codes'

/*
 * Transparent gzip support for dataset files. Uses the standard DecompressionStream (a global in
 * Node 20, browsers and Web Workers) so the engine needs no zlib import and runs in every host.
 */

const GZIP_MAGIC_0 = 0x1f
const GZIP_MAGIC_1 = 0x8b
/** gzip header (10) + trailer (8): anything shorter cannot be a gzip file. */
const GZIP_MIN_LENGTH = 18
/** deflate cannot compress better than about 1032:1, so a larger size claim is a corrupt trailer. */
const DEFLATE_MAX_RATIO = 1032
/**
 * The most a dataset file may decompress to: 5× the full MNIST training images (47 MB). A small gzip
 * "bomb" can claim gigabytes; decompression stops at this size instead of exhausting the engine's memory.
 */
export const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1
}

/** Decompresses `bytes` if they are gzip, otherwise returns them unchanged (no copy). */
export async function gunzipIfNeeded(bytes: Uint8Array, fileLabel: string, maxBytes = MAX_DECOMPRESSED_BYTES): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes
  try {
    return await gunzip(bytes, maxBytes)
  } catch (err) {
    if (err instanceof TooLarge) {
      throw new EngineError('DATASET_INVALID', `${fileLabel}: decompresses to more than ${formatMiB(maxBytes)}, the largest dataset file this lab reads`)
    }
    const reason = err instanceof Error && err.message ? err.message : String(err)
    throw new EngineError('DATASET_INVALID', `${fileLabel}: not a valid gzip file (${reason})`)
  }
}

class TooLarge extends Error {}

const formatMiB = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MiB`

async function gunzip(compressed: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  if (compressed.length < GZIP_MIN_LENGTH) {
    throw new Error(`only ${compressed.length} bytes, shorter than a gzip header and trailer`)
  }
  const stream = new DecompressionStream('gzip')
  const writer = stream.writable.getWriter()
  // The cast only widens the buffer type the DOM typings insist on; the bytes are passed as they are.
  const writing = writer.write(compressed as Uint8Array<ArrayBuffer>).then(() => writer.close())
  const reader = stream.readable.getReader()
  const reading = collect(reader, Math.min(expectedSize(compressed), maxBytes), maxBytes).catch(async (error: unknown) => {
    // Stop inflating at once; the writer's side then rejects too, and that rejection is awaited below.
    await reader.cancel().catch(() => undefined)
    throw error
  })
  // Await both so a failure on either side is reported once, and no rejection goes unhandled.
  const [written, read] = await Promise.allSettled([writing, reading])
  if (read.status === 'rejected') throw read.reason
  if (written.status === 'rejected') throw written.reason
  return read.value
}

/**
 * The gzip trailer's ISIZE (uncompressed length mod 2^32), used to allocate the output once instead of
 * holding every chunk plus their concatenation: for the full MNIST training images that halves the peak.
 * Only a hint: a multi-member file or a corrupt trailer makes it wrong, and `collect` copes.
 */
function expectedSize(compressed: Uint8Array): number {
  const view = new DataView(compressed.buffer, compressed.byteOffset, compressed.byteLength)
  const isize = view.getUint32(compressed.length - 4, true)
  return isize <= compressed.length * DEFLATE_MAX_RATIO ? isize : 0
}

async function collect(reader: ReadableStreamDefaultReader<Uint8Array>, sizeHint: number, maxBytes: number): Promise<Uint8Array> {
  let output = new Uint8Array(sizeHint)
  let length = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (length + value.length > maxBytes) throw new TooLarge()
    if (length + value.length > output.length) {
      const grown = new Uint8Array(Math.min(maxBytes, Math.max(length + value.length, output.length * 2)))
      grown.set(output.subarray(0, length))
      output = grown
    }
    output.set(value, length)
    length += value.length
  }
  // Exact when the hint was right; otherwise trim so no slack stays alive for the dataset's lifetime.
  return length === output.length ? output : output.slice(0, length)
}
