/**
 * Forming a batch from bytes on the float32 kernels: byte / 255 (data/batch.ts's values, bit for bit),
 * and, for images wide enough to skip zeros in, each row's non-zero terms listed on the way
 * (assembly/f32/batch-pixels.ts's pixelRows). The first layer's products (sparse-products.ts) then skip the zero
 * pixels without looking for them again, forward and for the weight gradient.
 *
 * The lists describe the array as formed here. So data/batch.ts forgets them (`forget`) before anything
 * else writes a batch, and here they are only recorded once the kernels have written it.
 */
import { TERM_BYTES } from '../plan-layouts'
import { KernelMemory, MIN_PART_VALUES } from './kernel-memory'
// Images narrower than the products' SPARSE_MIN_ROW are not listed: too little to skip per row.
import { SPARSE_MIN_ROW } from './sparse-products'

/** The compiled kernels this file calls (assembly/f32/batch-pixels.ts); pointers are byte addresses. */
export interface BatchPixelKernels {
  unitPixels(bytes: number, out: number, start: number, end: number): void
  pixelRows(bytes: number, out: number, terms: number, counts: number, k: number, rowStart: number, rowEnd: number): void
}

/** A batch's non-zero terms, row by row (pixelRows's layout). */
export interface PixelTerms {
  /** The rows and the values per row that the lists describe. */
  rows: number
  width: number
  /** Byte offsets of the counts (one i32 per row) and of the (index, value) pairs (`width` pairs of room per row). */
  countsAt: number
  pairsAt: number
  /** Non-zero terms in all. */
  nonZeros: number
  /** The resident integers holding counts and pairs (kept alive with the record). */
  room: Int32Array
}

/** What forming a batch reads besides the memory: the batches' term lists, and whether zero skipping is on. */
export type BatchMemory = KernelMemory & { zeroSkipping: boolean; readonly pixelTerms: WeakMap<Float32Array, PixelTerms> }

/** Counts first, padded to a cache line, then the pairs. */
const countsWords = (rows: number): number => Math.ceil(rows / 16) * 16

/**
 * A batch's pixels as byte / 255: images `indices` of `images` (`pixels` bytes each), in order, into out.
 * False when it cannot run here.
 */
export function gatherPixels(mem: BatchMemory, images: Uint8Array, indices: ArrayLike<number>, pixels: number, out: Float32Array): boolean {
  return formBatch(mem, indices.length, pixels, out, (bytes) => {
    for (let i = 0; i < indices.length; i++) bytes.set(images.subarray(indices[i] * pixels, (indices[i] + 1) * pixels), i * pixels)
  })
}

/** gatherPixels for the images [first, first + count): one copy. */
export function gatherPixelRange(mem: BatchMemory, images: Uint8Array, first: number, count: number, pixels: number, out: Float32Array): boolean {
  return formBatch(mem, count, pixels, out, (bytes) => bytes.set(images.subarray(first * pixels, (first + count) * pixels)))
}

function formBatch(mem: BatchMemory, rows: number, width: number, out: Float32Array, fill: (bytes: Uint8Array) => void): boolean {
  const previous = mem.pixelTerms.get(out)
  mem.pixelTerms.delete(out)
  const count = rows * width
  const room = mem.zeroSkipping && width >= SPARSE_MIN_ROW ? termRoom(mem, previous, rows, width) : undefined
  const regions = mem.layout([[null, Math.ceil(count / 4)], [out, count], ...(room ? [[room, room.length] as const] : [])])
  if (!regions) return false
  const [bytesAt, outAt, roomAt] = regions
  fill(mem.bytesAt(bytesAt, count))
  if (room) {
    const countsAt = roomAt
    const pairsAt = roomAt + countsWords(rows) * 4
    const minRows = mem.minParts(width)
    mem.split('pixelRows', [bytesAt, outAt, pairsAt, countsAt, width], rows, 1, minRows, (start, end) =>
      mem.kernels.pixelRows(bytesAt, outAt, pairsAt, countsAt, width, start, end)
    )
    let nonZeros = 0
    for (let i = 0; i < rows; i++) nonZeros += room[i]
    mem.pixelTerms.set(out, { rows, width, countsAt, pairsAt, nonZeros, room })
  } else {
    mem.split('unitPixels', [bytesAt, outAt], count, 16, MIN_PART_VALUES, (start, end) => mem.kernels.unitPixels(bytesAt, outAt, start, end))
  }
  mem.take(out, outAt, count)
  return true
}

/** Resident room for a batch's lists: its last forming's when the shape is the same; undefined off shared memory. */
function termRoom(mem: KernelMemory, previous: PixelTerms | undefined, rows: number, width: number): Int32Array | undefined {
  const length = countsWords(rows) + (rows * width * TERM_BYTES) / 4
  if (previous && previous.room.length === length) return previous.room
  return mem.residentInts(length)
}
