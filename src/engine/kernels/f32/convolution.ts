/**
 * Convolutions on the float32 kernels (assembly/f32/convolution.ts): im2col and col2im (the same bits
 * as kernels/im2col.ts and col2im.ts), a convolution's products a few images at a time, and its layout
 * changes (N, P, FN) ↔ (N, FN, P) with the bias and its gradient (the same bits as conv2d.ts's loops).
 * Whether a convolution takes Winograd's algorithm instead is decided here (winogradFits; winograd.ts).
 */
import { colCols, colRows, type ConvGeometry } from '../conv-shape'
import { KernelMemory, type Words } from './kernel-memory'
import { packPanels, panelFloats, runProduct, runProductRowMajorB } from './products'

/** The compiled kernels this file calls (assembly/f32/convolution.ts); pointers are byte addresses. */
export interface ConvolutionKernels {
  im2col(geometry: number, x: number, col: number, imgStart: number, imgEnd: number): void
  col2im(geometry: number, col: number, x: number, imgStart: number, imgEnd: number): void
  mapsFromRows(rows: number, bias: number, out: number, positions: number, filters: number, imgStart: number, imgEnd: number): void
  rowsFromMaps(dout: number, rows: number, positions: number, filters: number, imgStart: number, imgEnd: number): void
  filterSums(dout: number, images: number, positions: number, filters: number, db: number, fStart: number, fEnd: number): void
  convOneChannelRelu(geometry: number, x: number, w: number, bias: number, padded: number, out: number, filters: number, imgStart: number, imgEnd: number): void
  convOneChannel(geometry: number, x: number, w: number, bias: number, padded: number, out: number, filters: number, imgStart: number, imgEnd: number): void
}

/** What the convolutions read besides the memory: the chunk size (tests set it to compare chunkings). */
export type ConvMemory = KernelMemory & { convChunkBytes: number }

/** im2col rows per convolution chunk: well inside the last-level cache (32 MiB here), several per thread. */
export const CONV_CHUNK_BYTES = 4 << 20
/** Below this many multiply-adds a part is not worth a thread's wake-up. */
export const MIN_PART_WORK = 300_000

/**
 * Whether a convolution takes Winograd's F(2×2, 3×3): 3×3 windows at stride 1, over at least 8 channels
 * (on one channel — a first layer on pixels — its transforms cost more than they save: measured 1.6 vs
 * 1.2 ms forward on cnn-deep's first layer).
 */
export function winogradFits(g: ConvGeometry): boolean {
  return g.fh === 3 && g.fw === 3 && g.stride === 1 && g.c >= 8
}

/** db[f] = the sum of filter f's output gradients (conv2d.ts's order), without the row layout. */
export function filterSums(mem: KernelMemory, dout: Float32Array, db: Float32Array, images: number, positions: number, filters: number): boolean {
  const size = images * positions * filters
  const regions = mem.layout([
    [dout, size],
    [db, filters]
  ])
  if (!regions) return false
  const [doutAt, dbAt] = regions
  mem.put(dout, doutAt, size)
  sumFilters(mem, doutAt, dbAt, images, positions, filters)
  mem.take(db, dbAt, filters)
  return true
}

/** The filter sums of dout (already in the memory at doutAt) into db at dbAt, split between threads by filter. */
function sumFilters(mem: KernelMemory, doutAt: number, dbAt: number, images: number, positions: number, filters: number): void {
  const minFilters = mem.minParts(images * positions)
  mem.split('filterSums', [doutAt, images, positions, filters, dbAt], filters, 1, minFilters, (start, end) =>
    mem.kernels.filterSums(doutAt, images, positions, filters, dbAt, start, end)
  )
}

/** im2col (kernels/im2col.ts) with `col` resident; false when it cannot run here (then the caller's loops do). */
export function im2col(mem: KernelMemory, x: Float32Array, g: ConvGeometry, col: Float32Array): boolean {
  const regions = mem.layout([
    [col, colRows(g) * colCols(g)],
    [x, g.n * g.c * g.h * g.w],
    [null, KernelMemory.GEOMETRY_WORDS]
  ])
  if (!regions || !mem.isResident(col)) return false
  const [colAt, xAt, geometryAt] = regions
  mem.put(x, xAt, g.n * g.c * g.h * g.w)
  mem.writeGeometry(geometryAt, g)
  mem.split('im2col', [geometryAt, xAt, colAt], g.n, 1, minImages(g), (start, end) => mem.kernels.im2col(geometryAt, xAt, colAt, start, end))
  return true
}

/** col2im (kernels/col2im.ts) from a resident `col`; false when it cannot run here. */
export function col2im(mem: KernelMemory, col: Float32Array, g: ConvGeometry, x: Float32Array): boolean {
  const regions = mem.layout([
    [col, colRows(g) * colCols(g)],
    [x, g.n * g.c * g.h * g.w],
    [null, KernelMemory.GEOMETRY_WORDS]
  ])
  if (!regions || !mem.isResident(col)) return false
  const [colAt, xAt, geometryAt] = regions
  mem.writeGeometry(geometryAt, g)
  mem.split('col2im', [geometryAt, colAt, xAt], g.n, 1, minImages(g), (start, end) => mem.kernels.col2im(geometryAt, colAt, xAt, start, end))
  mem.take(x, xAt, g.n * g.c * g.h * g.w)
  return true
}

// ---- Convolutions a few images at a time -------------------------------------------------------------
// The whole batch's im2col matrix is tens of MB (cnn-deep's second layer: 45 MB); a few images' rows
// take ~4 MB, used while still in cache: cnn-deep's second convolution is ~20 % faster forward and
// backward this way (measured), and the engine's peak memory falls by the difference. Every row of a
// product is computed as before, and dW sums its terms in the same order (`accumulate`), so the bits are
// those of one im2col of the batch then one product.

/** Images whose im2col rows take about convChunkBytes: one chunk of a convolution. */
export function convChunkImages(mem: ConvMemory, g: ConvGeometry): number {
  const bytesPerImage = g.oh * g.ow * colCols(g) * 4
  return Math.max(1, Math.min(g.n, Math.floor(mem.convChunkBytes / Math.max(1, bytesPerImage))))
}

/**
 * rows (N·OH·OW × FN) = im2col(x) · Wt, unrolling convChunkImages(g) images at a time into `col`
 * (resident, room for one chunk). False when it cannot run here (the caller's whole-batch path then does).
 */
export function convForward(
  mem: ConvMemory,
  x: Float32Array,
  g: ConvGeometry,
  wt: Float32Array,
  rows: Float32Array,
  col: Float32Array,
  filters: number
): boolean {
  const positions = g.oh * g.ow
  const k = colCols(g)
  const chunk = convChunkImages(mem, g)
  const imageSize = g.c * g.h * g.w
  const regions = mem.layout([
    [col, chunk * positions * k],
    [x, g.n * imageSize],
    [wt, k * filters],
    [null, panelFloats(filters, k)],
    [rows, g.n * positions * filters],
    [null, KernelMemory.GEOMETRY_WORDS]
  ])
  if (!regions || !mem.isResident(col)) return false
  const [colAt, xAt, wtAt, panelsAt, rowsAt, geometryAt] = regions
  mem.put(x, xAt, g.n * imageSize)
  mem.put(wt, wtAt, k * filters)
  packPanels(mem, wtAt, filters, k, filters, panelsAt)
  mem.writeGeometry(geometryAt, g)
  for (let first = 0; first < g.n; first += chunk) {
    const images = Math.min(chunk, g.n - first)
    unrollChunk(mem, geometryAt, xAt + first * imageSize * 4, colAt, images, g)
    runProduct(mem, colAt, k, 1, k, panelsAt, rowsAt + first * positions * filters * 4, filters, images * positions)
  }
  mem.take(rows, rowsAt, g.n * positions * filters)
  return true
}

/**
 * A convolution's backward products: dWt (C·FH·FW × FN) = im2col(x)ᵀ · rows and, when dx is given,
 * dx = col2im(rows · W), a chunk of images at a time (rows: the output gradient, N·OH·OW × FN; w: FN ×
 * C·FH·FW). False when it cannot run here.
 */
export function convBackward(
  mem: ConvMemory,
  x: Float32Array,
  g: ConvGeometry,
  rows: Float32Array,
  w: Float32Array,
  dWt: Float32Array,
  col: Float32Array,
  filters: number,
  dx: Float32Array | null
): boolean {
  const positions = g.oh * g.ow
  const k = colCols(g)
  const chunk = convChunkImages(mem, g)
  const imageSize = g.c * g.h * g.w
  const operands: [Words | null, number][] = [
    [col, chunk * positions * k],
    [x, g.n * imageSize],
    [rows, g.n * positions * filters],
    [w, filters * k],
    [dWt, k * filters],
    [null, panelFloats(k, filters)],
    [null, KernelMemory.GEOMETRY_WORDS],
    [dx, dx ? g.n * imageSize : 0]
  ]
  const regions = mem.layout(operands)
  if (!regions || !mem.isResident(col)) return false
  const [colAt, xAt, rowsAt, wAt, dWtAt, wPanelsAt, geometryAt, dxAt] = regions
  mem.put(x, xAt, g.n * imageSize)
  mem.put(rows, rowsAt, g.n * positions * filters)
  mem.put(w, wAt, filters * k)
  if (dx) packPanels(mem, wAt, k, filters, k, wPanelsAt)
  mem.writeGeometry(geometryAt, g)
  for (let first = 0; first < g.n; first += chunk) {
    const images = Math.min(chunk, g.n - first)
    const m = images * positions
    const rowsChunk = rowsAt + first * positions * filters * 4
    unrollChunk(mem, geometryAt, xAt + first * imageSize * 4, colAt, images, g)
    // dWt += colᵀ · rows: row p of dWt reads column p of col (neighbouring rows 1 apart, steps k apart);
    // rows are read in place.
    runProductRowMajorB(mem, colAt, 1, k, m, rowsChunk, dWtAt, filters, k, first > 0)
    if (!dx) continue
    runProduct(mem, rowsChunk, filters, 1, filters, wPanelsAt, colAt, k, m) // dcol = rows · W, over the chunk's col
    const dxChunk = dxAt + first * imageSize * 4
    mem.split('col2im', [geometryAt, colAt, dxChunk], images, 1, minImages(g), (start, end) => mem.kernels.col2im(geometryAt, colAt, dxChunk, start, end))
  }
  mem.take(dWt, dWtAt, k * filters)
  if (dx) mem.take(dx, dxAt, g.n * imageSize)
  return true
}

/** im2col of `images` images starting at byte address `x`, into col from its first row. */
function unrollChunk(mem: KernelMemory, geometryAt: number, x: number, colAt: number, images: number, g: ConvGeometry): void {
  mem.split('im2col', [geometryAt, x, colAt], images, 1, minImages(g), (start, end) => mem.kernels.im2col(geometryAt, x, colAt, start, end))
}

/** out (N, FN, P) = rows (N, P, FN) + bias: a convolution's output in numpy's layout. */
export function mapsFromRows(
  mem: KernelMemory,
  rows: Float32Array,
  bias: Float32Array,
  out: Float32Array,
  images: number,
  positions: number,
  filters: number
): void {
  const size = images * positions * filters
  const regions = mem.layout([
    [rows, size],
    [bias, filters],
    [out, size]
  ])
  if (!regions) return mapsFromRowsLoops(rows, bias, out, images, positions, filters)
  const [rowsAt, biasAt, outAt] = regions
  mem.put(rows, rowsAt, size)
  mem.put(bias, biasAt, filters)
  const args = [rowsAt, biasAt, outAt, positions, filters]
  mem.split('mapsFromRows', args, images, 1, mem.minParts(positions * filters), (start, end) =>
    mem.kernels.mapsFromRows(rowsAt, biasAt, outAt, positions, filters, start, end)
  )
  mem.take(out, outAt, size)
}

/** rows (N, P, FN) = dout (N, FN, P), and db[f] = the sum of filter f's gradients (conv2d.ts's order). */
export function rowsFromMaps(
  mem: KernelMemory,
  dout: Float32Array,
  rows: Float32Array,
  db: Float32Array,
  images: number,
  positions: number,
  filters: number
): void {
  const size = images * positions * filters
  const regions = mem.layout([
    [dout, size],
    [rows, size],
    [db, filters]
  ])
  if (!regions) return rowsFromMapsLoops(dout, rows, db, images, positions, filters)
  const [doutAt, rowsAt, dbAt] = regions
  mem.put(dout, doutAt, size)
  const minImages = mem.minParts(positions * filters)
  mem.split('rowsFromMaps', [doutAt, rowsAt, positions, filters], images, 1, minImages, (start, end) =>
    mem.kernels.rowsFromMaps(doutAt, rowsAt, positions, filters, start, end)
  )
  sumFilters(mem, doutAt, dbAt, images, positions, filters)
  mem.take(rows, rowsAt, size)
  mem.take(db, dbAt, filters)
}

/** Images per thread worth waking it for: ~MIN_PART_WORK values of col. */
function minImages(g: ConvGeometry): number {
  return Math.ceil(MIN_PART_WORK / Math.max(1, g.oh * g.ow * colCols(g)))
}

// The layout loops, for operands too large for the kernels' memory (never on MNIST-sized networks).
function mapsFromRowsLoops(rows: Float32Array, bias: Float32Array, out: Float32Array, images: number, positions: number, filters: number): void {
  for (let img = 0; img < images; img++) {
    for (let p = 0; p < positions; p++) {
      const from = (img * positions + p) * filters
      const to = img * filters * positions + p
      for (let f = 0; f < filters; f++) out[to + f * positions] = rows[from + f] + bias[f]
    }
  }
}

function rowsFromMapsLoops(dout: Float32Array, rows: Float32Array, db: Float32Array, images: number, positions: number, filters: number): void {
  db.fill(0)
  for (let img = 0; img < images; img++) {
    for (let f = 0; f < filters; f++) {
      const from = (img * filters + f) * positions
      let sum = 0
      for (let p = 0; p < positions; p++) {
        const v = dout[from + p]
        rows[(img * positions + p) * filters + f] = v
        sum += v
      }
      db[f] += sum
    }
  }
}

/**
 * Inference's out (N, FN, OH, OW) = max(x ∗ w + bias, 0) for 3×3 windows at stride 1 on one input channel
 * (a first layer on pixels) straight from the pixels, by convOneChannelRelu: the bits of convForward (its
 * im2col, product and mapsFromRows) then reluForward, without the im2col matrix or the product's rows.
 * False when it does not apply or cannot run here.
 */
export function convOneChannelRelu(
  mem: KernelMemory,
  x: Float32Array,
  g: ConvGeometry,
  w: Float32Array,
  bias: Float32Array,
  out: Float32Array,
  filters: number
): boolean {
  return oneChannel(mem, 'convOneChannelRelu', x, g, w, bias, out, filters)
}

/**
 * Training's out = x ∗ w + bias on one input channel, 3×3 at stride 1, by convOneChannel: the bits of
 * convForward (im2col, product, mapsFromRows) in one pass over the pixels, one kernel call (three before).
 */
export function convOneChannel(
  mem: KernelMemory,
  x: Float32Array,
  g: ConvGeometry,
  w: Float32Array,
  bias: Float32Array,
  out: Float32Array,
  filters: number
): boolean {
  return oneChannel(mem, 'convOneChannel', x, g, w, bias, out, filters)
}

/** Either kernel on one channel; false when it does not apply or cannot run here. */
function oneChannel(
  mem: KernelMemory,
  kernel: 'convOneChannel' | 'convOneChannelRelu',
  x: Float32Array,
  g: ConvGeometry,
  w: Float32Array,
  bias: Float32Array,
  out: Float32Array,
  filters: number
): boolean {
  if (g.c !== 1 || g.fh !== 3 || g.fw !== 3 || g.stride !== 1) return false
  const imageSize = g.h * g.w
  const outSize = g.n * filters * g.oh * g.ow
  // Each image's zero-bordered plane, and slack for the vectors that run past a row's end.
  const planeFloats = (g.h + 2 * g.pad) * (g.w + 2 * g.pad) + 8
  const regions = mem.layout([
    [x, g.n * imageSize],
    [w, filters * 9],
    [bias, filters],
    [out, outSize],
    [null, g.n * planeFloats],
    [null, KernelMemory.GEOMETRY_WORDS]
  ])
  if (!regions) return false
  const [xAt, wAt, biasAt, outAt, paddedAt, geometryAt] = regions
  mem.put(x, xAt, g.n * imageSize)
  mem.put(w, wAt, filters * 9)
  mem.put(bias, biasAt, filters)
  mem.writeGeometry(geometryAt, g)
  const minImages = Math.ceil(MIN_PART_WORK / Math.max(1, g.oh * g.ow * filters * 9))
  mem.split(kernel, [geometryAt, xAt, wAt, biasAt, paddedAt, outAt, filters], g.n, 1, minImages, (start, end) =>
    kernel === 'convOneChannelRelu'
      ? mem.kernels.convOneChannelRelu(geometryAt, xAt, wAt, biasAt, paddedAt, outAt, filters, start, end)
      : mem.kernels.convOneChannel(geometryAt, xAt, wAt, biasAt, paddedAt, outAt, filters, start, end)
  )
  mem.take(out, outAt, outSize)
  return true
}
