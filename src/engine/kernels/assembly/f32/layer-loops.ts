/*
 * The float32 layers' own loops, wrapped by f32/layer-loops.ts: ReLU, max pooling (and both in one pass
 * for inference) and an affine layer's bias. Each gives the same bits as the layer's TypeScript loops
 * (the same float32 operations in the same order; the exceptions are named) and works on a range, maps
 * or elements, that belongs to it alone, so threads may split the work.
 *
 * All pointers are byte addresses in the (shared) memory; all sizes are element counts.
 */
import { GEOMETRY_FH, GEOMETRY_H, GEOMETRY_OH, GEOMETRY_OW, GEOMETRY_PAD, GEOMETRY_STRIDE, GEOMETRY_W } from '../../plan-layouts'

/**
 * y = max(x, 0) for elements [start, end). The same bits as relu.ts's (x + |x|)·½ for every finite x
 * and NaN; −Inf gives 0 here (as numpy's mask does) where that formula gives NaN.
 */
export function reluForward(x: usize, y: usize, start: i32, end: i32): void {
  const zero = f32x4.splat(0)
  let i = start
  for (; i + 4 <= end; i += 4) v128.store(y + (<usize>i << 2), f32x4.max(v128.load(x + (<usize>i << 2)), zero))
  for (; i < end; i++) store<f32>(y + (<usize>i << 2), max(load<f32>(x + (<usize>i << 2)), 0))
}

/** dx = g · (x > 0 ? 1 : 0) for elements [start, end), as relu.ts (g · 0 keeps g's sign). */
export function reluBackward(x: usize, g: usize, dx: usize, start: i32, end: i32): void {
  const zero = f32x4.splat(0)
  const one = f32x4.splat(1)
  let i = start
  for (; i + 4 <= end; i += 4) {
    const at = <usize>i << 2
    const gate = v128.and(f32x4.gt(v128.load(x + at), zero), one)
    v128.store(dx + at, f32x4.mul(v128.load(g + at), gate))
  }
  for (; i < end; i++) {
    const at = <usize>i << 2
    store<f32>(dx + at, load<f32>(g + at) * (load<f32>(x + at) > 0 ? <f32>1 : <f32>0))
  }
}

/**
 * Max pooling of maps [mapStart, mapEnd) (a map = one channel of one image), as max-pool.ts: the first
 * maximum in window order (a strictly larger value replaces it), padding zeros taking part; argmax holds
 * its input index, or −1 for padding. The geometry is ten i32: n, c, h, w, size, size, stride, pad, oh, ow.
 * Four neighbouring outputs whose windows lie inside the map are pooled side by side in vector lanes;
 * the rest one at a time.
 */
export function maxPoolForward(geometry: usize, x: usize, out: usize, argmax: usize, mapStart: i32, mapEnd: i32): void {
  const h = load<i32>(geometry, GEOMETRY_H), w = load<i32>(geometry, GEOMETRY_W), size = load<i32>(geometry, GEOMETRY_FH)
  const stride = load<i32>(geometry, GEOMETRY_STRIDE), pad = load<i32>(geometry, GEOMETRY_PAD), oh = load<i32>(geometry, GEOMETRY_OH), ow = load<i32>(geometry, GEOMETRY_OW)
  const laneOffsets = i32x4(0, stride, 2 * stride, 3 * stride)
  let o = <usize>mapStart * <usize>oh * <usize>ow
  for (let map = mapStart; map < mapEnd; map++) {
    const base = map * h * w
    for (let oy = 0; oy < oh; oy++) {
      const top = oy * stride - pad
      const rowsInside = top >= 0 && top + size <= h
      let ox = 0
      while (ox < ow) {
        const left = ox * stride - pad
        if (rowsInside && ox + 4 <= ow && left >= 0 && left + 3 * stride + size <= w) {
          // The course's 2 × 2 windows at stride 2: four outputs' windows are two rows of 8 values.
          if (size == 2 && stride == 2 && left + 8 <= w) poolFourPairs(x, base + top * w + left, w, out + (o << 2), argmax + (o << 2))
          else poolFour(x, base + top * w + left, w, size, laneOffsets, out + (o << 2), argmax + (o << 2))
          o += 4
          ox += 4
          continue
        }
        poolOne(x, base, h, w, size, top, left, out + (o << 2), argmax + (o << 2))
        o++
        ox++
      }
    }
  }
}

/** Four outputs whose windows start at `first`, `first` + stride, …: lane by lane, the same choice as poolOne. */
// @ts-ignore: decorator
@inline
function poolFour(x: usize, first: i32, w: i32, size: i32, laneOffsets: v128, out: usize, argmax: usize): void {
  let best = f32x4.splat(-Infinity)
  let arg = i32x4.splat(-1)
  for (let ky = 0; ky < size; ky++) {
    for (let kx = 0; kx < size; kx++) {
      const index = i32x4.add(i32x4.splat(first + ky * w + kx), laneOffsets)
      let v = v128.load32_splat(x + (<usize>i32x4.extract_lane(index, 0) << 2))
      v = f32x4.replace_lane(v, 1, load<f32>(x + (<usize>i32x4.extract_lane(index, 1) << 2)))
      v = f32x4.replace_lane(v, 2, load<f32>(x + (<usize>i32x4.extract_lane(index, 2) << 2)))
      v = f32x4.replace_lane(v, 3, load<f32>(x + (<usize>i32x4.extract_lane(index, 3) << 2)))
      const larger = f32x4.gt(v, best)
      best = v128.bitselect(v, best, larger)
      arg = v128.bitselect(index, arg, larger)
    }
  }
  v128.store(out, best)
  v128.store(argmax, arg)
}

/** poolFour for 2 × 2 windows at stride 2: each window row is the even and odd lanes of 8 values. */
// @ts-ignore: decorator
@inline
function poolFourPairs(x: usize, first: i32, w: i32, out: usize, argmax: usize): void {
  let best = f32x4.splat(-Infinity)
  let arg = i32x4.splat(-1)
  const evens = i32x4.add(i32x4.splat(first), i32x4(0, 2, 4, 6))
  for (let ky = 0; ky < 2; ky++) {
    const row = x + (<usize>(first + ky * w) << 2)
    const a = v128.load(row)
    const b = v128.load(row, 16)
    for (let kx = 0; kx < 2; kx++) {
      const v = kx == 0 ? v128.shuffle<i32>(a, b, 0, 2, 4, 6) : v128.shuffle<i32>(a, b, 1, 3, 5, 7)
      const index = i32x4.add(evens, i32x4.splat(ky * w + kx))
      const larger = f32x4.gt(v, best)
      best = v128.bitselect(v, best, larger)
      arg = v128.bitselect(index, arg, larger)
    }
  }
  v128.store(out, best)
  v128.store(argmax, arg)
}

/**
 * One output, its window possibly over the padding. The running maximum is kept as its bits and chosen
 * with an integer select (a conditional move): which value is larger is a coin toss, and a branch (what a
 * float select compiles to) would mispredict.
 */
function poolOne(x: usize, base: i32, h: i32, w: i32, size: i32, top: i32, left: i32, out: usize, argmax: usize): void {
  let best = reinterpret<i32>(-Infinity as f32)
  let arg = -1
  for (let ky = 0; ky < size; ky++) {
    const y = top + ky
    for (let kx = 0; kx < size; kx++) {
      const xx = left + kx
      const inside = y >= 0 && y < h && xx >= 0 && xx < w
      const v: i32 = inside ? load<i32>(x + (<usize>(base + y * w + xx) << 2)) : 0 // the bits of +0
      const larger = reinterpret<f32>(v) > reinterpret<f32>(best)
      best = select<i32>(v, best, larger)
      arg = select<i32>(inside ? base + y * w + xx : -1, arg, larger)
    }
  }
  store<i32>(out, best)
  store<i32>(argmax, arg)
}

/**
 * Inference's ReLU then max pooling in one pass, for maps [mapStart, mapEnd): each window's maximum of
 * max(x, 0), as reluForward then maxPoolForward give it (the same ReLU, the same first-larger choice,
 * padding zeros taking part), without the ReLU's output or the argmax that only a backward pass reads.
 */
export function reluMaxPoolForward(geometry: usize, x: usize, out: usize, mapStart: i32, mapEnd: i32): void {
  const h = load<i32>(geometry, GEOMETRY_H), w = load<i32>(geometry, GEOMETRY_W), size = load<i32>(geometry, GEOMETRY_FH)
  const stride = load<i32>(geometry, GEOMETRY_STRIDE), pad = load<i32>(geometry, GEOMETRY_PAD), oh = load<i32>(geometry, GEOMETRY_OH), ow = load<i32>(geometry, GEOMETRY_OW)
  let o = <usize>mapStart * <usize>oh * <usize>ow
  for (let map = mapStart; map < mapEnd; map++) {
    const base = map * h * w
    for (let oy = 0; oy < oh; oy++) {
      const top = oy * stride - pad
      const rowsInside = top >= 0 && top + size <= h
      let ox = 0
      // The course's 2 × 2 windows at stride 2, four outputs at a time where their 8 columns lie inside the map.
      if (rowsInside && size == 2 && stride == 2) {
        for (; ox + 4 <= ow; ox += 4) {
          const left = ox * 2 - pad
          if (left < 0 || left + 8 > w) break
          reluPoolFourPairs(x, base + top * w + left, w, out + (o << 2))
          o += 4
        }
      }
      for (; ox < ow; ox++) {
        reluPoolOne(x, base, h, w, size, top, ox * stride - pad, out + (o << 2))
        o++
      }
    }
  }
}

/** Four 2 × 2 windows at stride 2 from `first`: poolFourPairs on max(x, 0), without the argmax. */
// @ts-ignore: decorator
@inline
function reluPoolFourPairs(x: usize, first: i32, w: i32, out: usize): void {
  const zero = f32x4.splat(0)
  let best = f32x4.splat(-Infinity)
  for (let ky = 0; ky < 2; ky++) {
    const row = x + (<usize>(first + ky * w) << 2)
    const a = f32x4.max(v128.load(row), zero)
    const b = f32x4.max(v128.load(row, 16), zero)
    const even = v128.shuffle<i32>(a, b, 0, 2, 4, 6)
    best = v128.bitselect(even, best, f32x4.gt(even, best))
    const odd = v128.shuffle<i32>(a, b, 1, 3, 5, 7)
    best = v128.bitselect(odd, best, f32x4.gt(odd, best))
  }
  v128.store(out, best)
}

/** One window, possibly over the padding: poolOne on max(x, 0), without the argmax. */
function reluPoolOne(x: usize, base: i32, h: i32, w: i32, size: i32, top: i32, left: i32, out: usize): void {
  let best = reinterpret<i32>(-Infinity as f32)
  for (let ky = 0; ky < size; ky++) {
    const y = top + ky
    for (let kx = 0; kx < size; kx++) {
      const xx = left + kx
      const inside = y >= 0 && y < h && xx >= 0 && xx < w
      const v: i32 = inside ? reinterpret<i32>(max(load<f32>(x + (<usize>(base + y * w + xx) << 2)), 0)) : 0 // the bits of +0
      best = select<i32>(v, best, reinterpret<f32>(v) > reinterpret<f32>(best))
    }
  }
  store<i32>(out, best)
}

/**
 * dx of maps [mapStart, mapEnd): zeroed, then each output's gradient added at its maximum's index
 * (overlapping windows add, in output order), as max-pool.ts. A map's maxima lie in that map.
 */
export function maxPoolBackward(dout: usize, argmax: usize, dx: usize, mapSize: i32, outsPerMap: i32, mapStart: i32, mapEnd: i32): void {
  memory.fill(dx + (<usize>mapStart * <usize>mapSize << 2), 0, <usize>(mapEnd - mapStart) * <usize>mapSize << 2)
  const end = <usize>mapEnd * <usize>outsPerMap
  for (let o = <usize>mapStart * <usize>outsPerMap; o < end; o++) {
    const arg = load<i32>(argmax + (o << 2))
    if (arg >= 0) {
      const at = dx + (<usize>arg << 2)
      store<f32>(at, load<f32>(at) + load<f32>(dout + (o << 2)))
    }
  }
}

/** Rows [rowStart, rowEnd) of out (·×cols) += bias: an affine layer's bias, one float32 addition per value as affine.ts. */
export function addRowBias(out: usize, bias: usize, cols: i32, rowStart: i32, rowEnd: i32): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const row = out + (<usize>i * <usize>cols << 2)
    let j = 0
    for (; j + 4 <= cols; j += 4) {
      const at = row + (<usize>j << 2)
      v128.store(at, f32x4.add(v128.load(at), v128.load(bias + (<usize>j << 2))))
    }
    for (; j < cols; j++) {
      const at = row + (<usize>j << 2)
      store<f32>(at, load<f32>(at) + load<f32>(bias + (<usize>j << 2)))
    }
  }
}

/**
 * sums[j] = Σ over rows i = 0, 1, … of g[i, j], for columns [colStart, colEnd), from +0 in row order: an
 * affine layer's bias gradient, the float32 additions of affine.ts's loop.
 */
export function columnSums(g: usize, rows: i32, cols: i32, sums: usize, colStart: i32, colEnd: i32): void {
  const stride = <usize>cols << 2
  let j = colStart
  for (; j + 16 <= colEnd; j += 16) {
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0
    let at = g + (<usize>j << 2)
    for (let i = 0; i < rows; i++) {
      s0 = f32x4.add(s0, v128.load(at))
      s1 = f32x4.add(s1, v128.load(at, 16))
      s2 = f32x4.add(s2, v128.load(at, 32))
      s3 = f32x4.add(s3, v128.load(at, 48))
      at += stride
    }
    const to = sums + (<usize>j << 2)
    v128.store(to, s0)
    v128.store(to, s1, 16)
    v128.store(to, s2, 32)
    v128.store(to, s3, 48)
  }
  for (; j + 4 <= colEnd; j += 4) {
    let s = f32x4.splat(0)
    let at = g + (<usize>j << 2)
    for (let i = 0; i < rows; i++) {
      s = f32x4.add(s, v128.load(at))
      at += stride
    }
    v128.store(sums + (<usize>j << 2), s)
  }
  for (; j < colEnd; j++) {
    let s: f32 = 0
    let at = g + (<usize>j << 2)
    for (let i = 0; i < rows; i++) {
      s += load<f32>(at)
      at += stride
    }
    store<f32>(sums + (<usize>j << 2), s)
  }
}
