/*
 * Forming a float32 batch from bytes, wrapped by f32/batch-pixels.ts: byte / 255 (data/batch.ts's values,
 * bit for bit), and for images wide enough to skip zeros in, each row's non-zero terms listed on the way
 * for the first layer's products (sparse-products.ts's gemmTermRows and gemmTermsTransA read them).
 *
 * All pointers are byte addresses in the (shared) memory; all sizes are element counts.
 */
import { TERM_BYTES, TERM_INDEX, TERM_VALUE } from '../../plan-layouts'

/**
 * Pixels [start, end) of a batch: byte / 255 as float32 (the correctly rounded quotient, which is what
 * data/batch.ts's float64 table gives once stored as float32: v/255 is never near a float32 tie).
 */
export function unitPixels(bytes: usize, out: usize, start: i32, end: i32): void {
  const scale = f32x4.splat(255)
  let i = start
  for (; i + 16 <= end; i += 16) {
    const v = v128.load(bytes + <usize>i)
    const low = i16x8.extend_low_i8x16_u(v)
    const high = i16x8.extend_high_i8x16_u(v)
    const to = out + (<usize>i << 2)
    v128.store(to, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(low)), scale))
    v128.store(to, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(low)), scale), 16)
    v128.store(to, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(high)), scale), 32)
    v128.store(to, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(high)), scale), 48)
  }
  for (; i < end; i++) store<f32>(out + (<usize>i << 2), <f32>load<u8>(bytes + <usize>i) / 255)
}

// ---- A batch's pixels with their term lists ------------------------------------------------------------
// Row i of a batch (k pixels) lists its non-zero terms as (index: i32, value: f32) pairs at
// terms + i·k pairs, in index order, and their count at counts + 4i: each row owns its room, so threads
// may take rows.

/**
 * Rows [rowStart, rowEnd) of a batch of k-byte images: byte / 255 as float32 into out (unitPixels's
 * values, bit for bit), and each row's non-zero terms. Sixteen bytes at a time: a digit's border is
 * background, and sixteen zero bytes cost four vector stores.
 */
export function pixelRows(bytes: usize, out: usize, terms: usize, counts: usize, k: i32, rowStart: i32, rowEnd: i32): void {
  const scale = f32x4.splat(255)
  const zeroBytes = i8x16.splat(0)
  const zero = f32x4.splat(0)
  for (let i = rowStart; i < rowEnd; i++) {
    const from = bytes + <usize>i * <usize>k
    const to = out + (<usize>i * <usize>k << 2)
    const list = terms + <usize>i * <usize>k * TERM_BYTES
    let count = 0
    let p = 0
    for (; p + 16 <= k; p += 16) {
      const v = v128.load(from + <usize>p)
      const at = to + (<usize>p << 2)
      if (!v128.any_true(v)) {
        v128.store(at, zero)
        v128.store(at, zero, 16)
        v128.store(at, zero, 32)
        v128.store(at, zero, 48)
        continue
      }
      const low = i16x8.extend_low_i8x16_u(v)
      const high = i16x8.extend_high_i8x16_u(v)
      v128.store(at, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(low)), scale))
      v128.store(at, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(low)), scale), 16)
      v128.store(at, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(high)), scale), 32)
      v128.store(at, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(high)), scale), 48)
      let mask = i8x16.bitmask(i8x16.ne(v, zeroBytes))
      while (mask != 0) {
        const lane = ctz(mask)
        const pair = list + <usize>count * TERM_BYTES
        store<i32>(pair, p + lane, TERM_INDEX)
        store<f32>(pair, load<f32>(at + (<usize>lane << 2)), TERM_VALUE)
        count++
        mask &= mask - 1
      }
    }
    for (; p < k; p++) {
      const value = <f32>load<u8>(from + <usize>p) / 255
      store<f32>(to + (<usize>p << 2), value)
      if (value != 0) {
        const pair = list + <usize>count * TERM_BYTES
        store<i32>(pair, p, TERM_INDEX)
        store<f32>(pair, value, TERM_VALUE)
        count++
      }
    }
    store<i32>(counts + (<usize>i << 2), count)
  }
}
