import { EngineError } from '../protocol/error-codes'

/*
 * The IDX format of the MNIST files: two zero bytes, a data-type byte, a dimension-count byte, one
 * big-endian uint32 per dimension, then the data in row-major order. Only unsigned bytes are accepted,
 * which is what every MNIST-style image and label file uses.
 */

export interface IdxArray {
  dims: number[]
  /** A view into the parsed bytes (no copy), product(dims) long. */
  data: Uint8Array
}

const MAGIC_LENGTH = 4
const UNSIGNED_BYTE = 0x08
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned bytes',
  0x09: 'signed bytes',
  0x0b: '16-bit integers',
  0x0c: '32-bit integers',
  0x0d: '32-bit floats',
  0x0e: '64-bit floats'
}

const hex = (value: number, digits: number): string => '0x' + value.toString(16).padStart(digits, '0')

export function parseIdx(bytes: Uint8Array, fileLabel: string): IdxArray {
  const invalid = (problem: string): EngineError => new EngineError('DATASET_INVALID', `${fileLabel}: ${problem}`)
  if (bytes.length < MAGIC_LENGTH) {
    throw invalid(`file is only ${bytes.length} bytes, shorter than the ${MAGIC_LENGTH}-byte IDX header`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)

  const magic = view.getUint32(0, false)
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw invalid(`wrong magic number ${hex(magic, 8)} (expected an IDX file of unsigned bytes, 0x0000080x)`)
  }
  const type = bytes[2]
  if (type !== UNSIGNED_BYTE) {
    const name = TYPE_NAMES[type] ?? 'not an IDX type'
    throw invalid(`unsupported IDX data type ${hex(type, 2)} (${name}); only ${hex(UNSIGNED_BYTE, 2)} (unsigned bytes) is supported`)
  }
  const dimCount = bytes[3]
  if (dimCount === 0) throw invalid('IDX header declares 0 dimensions')

  const headerLength = MAGIC_LENGTH + 4 * dimCount
  if (bytes.length < headerLength) {
    throw invalid(`file is only ${bytes.length} bytes, shorter than its ${headerLength}-byte IDX header (${dimCount} dimensions)`)
  }
  const dims = Array.from({ length: dimCount }, (_, i) => view.getUint32(MAGIC_LENGTH + 4 * i, false))

  // A plain Number product: exact for any size that could fit in memory, and too big otherwise anyway.
  const expected = dims.reduce((product, d) => product * d, 1)
  const actual = bytes.length - headerLength
  const shape = dims.join('×')
  if (actual < expected) {
    throw invalid(`truncated: header promises ${expected} bytes of data (${shape}), file has ${actual}`)
  }
  if (actual > expected) {
    throw invalid(`${actual - expected} unexpected bytes after the ${expected} bytes of data the header promises (${shape})`)
  }
  return { dims, data: bytes.subarray(headerLength) }
}
