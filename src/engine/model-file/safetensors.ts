/**
 * The safetensors layout, as its specification writes it: an 8-byte little-endian header length N, N
 * bytes of JSON header, then the tensors' bytes back to back. The header maps each tensor name to
 * `{ dtype, shape, data_offsets: [begin, end] }` (offsets relative to the data) and may hold
 * `__metadata__`, a map of string to string.
 *
 * Reading trusts nothing: every length and offset is checked against the bytes actually present before
 * anything is allocated, and the tensors must cover the data exactly, with no holes and no overlaps.
 *
 * Models hold F32 or F64 tensors; stored data sets (`data/stored-set.ts`) hold U8 images and labels, read
 * by `decodeByteTensors` with their own error code and wording.
 */
import { bytesPerValue, precisionOf, precisionOfSafetensorsDtype, safetensorsDtype, type FloatArray, type Precision } from '../core/dtype'
import { EngineError, type ErrorCode } from '../protocol/error-codes'

export interface NamedTensor {
  name: string
  shape: readonly number[]
  value: FloatArray
}

/** A tensor of bytes, written as U8 (a stored data set's images and labels). */
export interface NamedByteTensor {
  name: string
  shape: readonly number[]
  value: Uint8Array
}

export interface SafetensorsContents {
  metadata: Record<string, string>
  tensors: Map<string, { shape: number[]; precision: Precision; value: FloatArray }>
}

/** A header larger than this is not a model of ours (ours are a few KiB), whatever the file claims. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024

/** What a file is read as: the code of its errors and the noun their messages call it. */
export interface FileKind {
  code: ErrorCode
  noun: string
}

const MODEL: FileKind = { code: 'INVALID_MODEL', noun: 'model' }

/** Encodes tensors (in the given order) and string metadata; the header is padded to keep the data 8-byte aligned. */
export function encodeSafetensors(tensors: readonly (NamedTensor | NamedByteTensor)[], metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata }
  let offset = 0
  for (const { name, shape, value } of tensors) {
    if (name === '__metadata__' || name in header) throw new Error(`safetensors: duplicate tensor name "${name}"`)
    const dtype = isBytes(value) ? 'U8' : safetensorsDtype(precisionOf(value))
    header[name] = { dtype, shape: [...shape], data_offsets: [offset, offset + value.byteLength] }
    offset += value.byteLength
  }
  const json = JSON.stringify(header)
  const encoder = new TextEncoder()
  let headerBytes = encoder.encode(json)
  const padding = (8 - ((8 + headerBytes.length) % 8)) % 8
  if (padding > 0) headerBytes = encoder.encode(json + ' '.repeat(padding))

  const out = new Uint8Array(8 + headerBytes.length + offset)
  const view = new DataView(out.buffer)
  view.setUint32(0, headerBytes.length, true)
  view.setUint32(4, 0, true)
  out.set(headerBytes, 8)
  let at = 8 + headerBytes.length
  for (const { value } of tensors) {
    out.set(littleEndianBytes(value), at)
    at += value.byteLength
  }
  return out
}

/** Decodes and validates a model's safetensors file (F32 and F64 tensors); every problem is an INVALID_MODEL error naming it. */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContents {
  const { metadata, entries } = decodeLayout(bytes, MODEL, { F32: 4, F64: 8 })
  const tensors: SafetensorsContents['tensors'] = new Map()
  for (const entry of entries) {
    const precision = precisionOfSafetensorsDtype(entry.dtype) as Precision
    tensors.set(entry.name, { shape: entry.shape, precision, value: fromLittleEndian(entry.raw, precision) })
  }
  return { metadata, tensors }
}

/**
 * Decodes and validates a safetensors file of U8 tensors; each value is a view into `bytes` (no copy).
 * Every problem is an error of `kind.code` naming it.
 */
export function decodeByteTensors(
  bytes: Uint8Array,
  kind: FileKind
): { metadata: Record<string, string>; tensors: Map<string, { shape: number[]; value: Uint8Array }> } {
  const { metadata, entries } = decodeLayout(bytes, kind, { U8: 1 })
  return { metadata, tensors: new Map(entries.map((entry) => [entry.name, { shape: entry.shape, value: entry.raw }])) }
}

/** The header and the tensors' raw bytes, all checked; `dtypes` are the ones accepted, with their sizes in bytes. */
function decodeLayout(bytes: Uint8Array, kind: FileKind, dtypes: Record<string, number>) {
  const invalid = (message: string): EngineError => new EngineError(kind.code, message)
  const noun = kind.noun
  if (bytes.length < 8) throw invalid(`the file is too short to be a ${noun} (${bytes.length} bytes; a safetensors file starts with an 8-byte header length)`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const low = view.getUint32(0, true)
  const high = view.getUint32(4, true)
  const headerLength = high * 2 ** 32 + low
  if (headerLength > bytes.length - 8) {
    throw invalid(`the header length (${headerLength} bytes) runs past the end of the file (${bytes.length} bytes): the file is truncated or not a ${noun}`)
  }
  if (headerLength > MAX_HEADER_BYTES) throw invalid(`the header is ${headerLength} bytes, more than any Gradient Lab ${noun} has (${MAX_HEADER_BYTES})`)
  if (headerLength < 2) throw invalid(`the header is empty: not a ${noun} file`)

  let header: unknown
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)))
  } catch {
    throw invalid(`the header is not valid JSON: the file is corrupt or not a ${noun}`)
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw invalid(`the header is not a JSON object: not a ${noun} file`)

  const metadata: Record<string, string> = {}
  const rawMetadata = (header as Record<string, unknown>).__metadata__
  if (rawMetadata !== undefined) {
    if (typeof rawMetadata !== 'object' || rawMetadata === null || Array.isArray(rawMetadata)) throw invalid('__metadata__ must be a map of strings')
    for (const [key, value] of Object.entries(rawMetadata)) {
      if (typeof value !== 'string') throw invalid(`__metadata__.${key} is not a string (the format allows only strings)`)
      metadata[key] = value
    }
  }

  const dataStart = 8 + headerLength
  const dataLength = bytes.length - dataStart
  const entries: { name: string; shape: number[]; dtype: string; begin: number; end: number }[] = []
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue
    entries.push(checkEntry(name, raw, dtypes, invalid))
  }

  const described = entries.reduce((max, e) => Math.max(max, e.end), 0)
  if (described > dataLength) {
    throw invalid(
      `the header describes ${described} bytes of tensor data, but the file holds ${dataLength}: the file is truncated or its offsets point outside it`
    )
  }
  // Contiguous, no holes, no overlaps, covering the data exactly.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end)
  let expected = 0
  for (const entry of entries) {
    if (entry.begin < expected)
      throw invalid(`tensor "${entry.name}" overlaps the tensor before it (its data starts at byte ${entry.begin}, before ${expected})`)
    if (entry.begin > expected) throw invalid(`the data has a hole of ${entry.begin - expected} bytes before tensor "${entry.name}"`)
    expected = entry.end
  }
  if (expected !== dataLength) {
    throw invalid(`the header describes ${expected} bytes of tensor data, but the file holds ${dataLength}: the file is truncated or has bytes appended`)
  }

  return { metadata, entries: entries.map((entry) => ({ ...entry, raw: bytes.subarray(dataStart + entry.begin, dataStart + entry.end) })) }
}

function checkEntry(name: string, raw: unknown, dtypes: Record<string, number>, invalid: (message: string) => EngineError) {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(`tensor "${name}" is not described by an object`)
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>
  if (typeof dtype !== 'string') throw invalid(`tensor "${name}" has no dtype`)
  const size = Object.hasOwn(dtypes, dtype) ? dtypes[dtype] : undefined
  if (size === undefined)
    throw invalid(
      `tensor "${name}" has dtype ${JSON.stringify(dtype).slice(0, 20)}, which Gradient Lab does not use (${Object.keys(dtypes).join(' or ')} only)`
    )
  if (!Array.isArray(shape) || shape.length > 8 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw invalid(`tensor "${name}" has an invalid shape (a list of at most 8 whole numbers ≥ 0)`)
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw invalid(`tensor "${name}" has invalid data_offsets (two whole numbers ≥ 0)`)
  }
  const [begin, end] = offsets as [number, number]
  if (begin > end) throw invalid(`tensor "${name}" has data offsets [${begin}, ${end}] that end before they begin`)
  let count = 1
  for (const d of shape as number[]) count *= d
  if (count * size !== end - begin) {
    throw invalid(`tensor "${name}": shape [${(shape as number[]).join(', ')}] in ${dtype} needs ${count * size} bytes, its offsets span ${end - begin}`)
  }
  return { name, shape: shape as number[], dtype, begin, end }
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

const isBytes = (value: FloatArray | Uint8Array): value is Uint8Array => value.BYTES_PER_ELEMENT === 1

/** The array's bytes in little-endian order (a copy on big-endian hosts, which no supported platform is). */
function littleEndianBytes(value: FloatArray | Uint8Array): Uint8Array {
  if (littleEndianHost || isBytes(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  const out = new Uint8Array(value.byteLength)
  const view = new DataView(out.buffer)
  const size = value.BYTES_PER_ELEMENT
  for (let i = 0; i < value.length; i++) {
    if (size === 4) view.setFloat32(i * 4, value[i], true)
    else view.setFloat64(i * 8, value[i], true)
  }
  return out
}

function fromLittleEndian(raw: Uint8Array, precision: Precision): FloatArray {
  const size = bytesPerValue(precision)
  const count = raw.length / size
  const out = precision === 'float32' ? new Float32Array(count) : new Float64Array(count)
  if (littleEndianHost) {
    new Uint8Array(out.buffer).set(raw)
    return out
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  for (let i = 0; i < count; i++) out[i] = size === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true)
  return out
}
