/*
 * The optimizers' updates for float32 parameters, wrapped by f32/optimizer-updates.ts. They compute as the
 * TypeScript optimizers do (optimizers/*.ts): every value read is widened to float64, the formula is
 * evaluated in float64 in the same order, and each store rounds to float32, so the bits are the same.
 * The float64 scalars (learning rate, decay rates, …) are read from `s`, in the order each names.
 * Elements [start, end) only: any split between threads gives the same result.
 *
 * All pointers are byte addresses in the (shared) memory.
 */

// @ts-ignore: decorator
@inline
function at32(base: usize, i: i32): usize {
  return base + (<usize>i << 2)
}

// @ts-ignore: decorator
@inline
function read(base: usize, i: i32): f64 {
  return <f64>load<f32>(at32(base, i))
}

// @ts-ignore: decorator
@inline
function write(base: usize, i: i32, v: f64): void {
  store<f32>(at32(base, i), <f32>v)
}

/** s: lr. p ← p − lr·g */
export function sgdUpdate(value: usize, grad: usize, s: usize, start: i32, end: i32): void {
  const lr = load<f64>(s)
  for (let i = start; i < end; i++) write(value, i, read(value, i) - lr * read(grad, i))
}

/** s: lr, momentum. v ← momentum·v − lr·g;  p ← p + v */
export function momentumUpdate(value: usize, grad: usize, velocity: usize, s: usize, start: i32, end: i32): void {
  const lr = load<f64>(s), momentum = load<f64>(s, 8)
  for (let i = start; i < end; i++) {
    write(velocity, i, momentum * read(velocity, i) - lr * read(grad, i))
    write(value, i, read(value, i) + read(velocity, i))
  }
}

/** s: lr, momentum. v ← momentum·v − lr·g;  p ← p + momentum²·v;  p ← p − (1 + momentum)·lr·g */
export function nesterovUpdate(value: usize, grad: usize, velocity: usize, s: usize, start: i32, end: i32): void {
  const lr = load<f64>(s), momentum = load<f64>(s, 8)
  for (let i = start; i < end; i++) {
    write(velocity, i, momentum * read(velocity, i) - lr * read(grad, i))
    write(value, i, read(value, i) + momentum * momentum * read(velocity, i))
    write(value, i, read(value, i) - (1 + momentum) * lr * read(grad, i))
  }
}

/**
 * s: lr, initialH, course (1 or 0), first (1 or 0), epsilon. The course: h ← first ? initialH : h + g²,
 * p ← p − lr·g / √h. The book: h ← h + g²;  p ← p − lr·g / (√h + ε)
 */
export function adagradUpdate(value: usize, grad: usize, h: usize, s: usize, start: i32, end: i32): void {
  const lr = load<f64>(s), initialH = load<f64>(s, 8), course = load<f64>(s, 16) != 0, first = load<f64>(s, 24) != 0, epsilon = load<f64>(s, 32)
  for (let i = start; i < end; i++) {
    const g = read(grad, i)
    if (course) {
      write(h, i, first ? initialH : read(h, i) + g * g)
      write(value, i, read(value, i) - (lr * g) / Math.sqrt(read(h, i)))
    } else {
      write(h, i, read(h, i) + g * g)
      write(value, i, read(value, i) - (lr * g) / (Math.sqrt(read(h, i)) + epsilon))
    }
  }
}

/** s: lr, decay, epsilon. h ← decay·h;  h ← h + (1 − decay)·g·g;  p ← p − lr·g / (√h + ε) */
export function rmspropUpdate(value: usize, grad: usize, h: usize, s: usize, start: i32, end: i32): void {
  const lr = load<f64>(s), decay = load<f64>(s, 8), epsilon = load<f64>(s, 16)
  for (let i = start; i < end; i++) {
    const g = read(grad, i)
    write(h, i, read(h, i) * decay)
    write(h, i, read(h, i) + (1 - decay) * g * g)
    write(value, i, read(value, i) - (lr * g) / (Math.sqrt(read(h, i)) + epsilon))
  }
}

/**
 * s: lrT, β1, β2, ε. m ← m + (1 − β1)(g − m);  v ← v + (1 − β2)(g² − v);  p ← p − lrT·m / (√v + ε).
 * Four values at a time as two float64 pairs (the same operations per value, so the same bits).
 */
export function adamUpdate(value: usize, grad: usize, m: usize, v: usize, s: usize, start: i32, end: i32): void {
  const lrT = load<f64>(s), beta1 = load<f64>(s, 8), beta2 = load<f64>(s, 16), epsilon = load<f64>(s, 24)
  let i = start
  if ((i & 3) == 0) {
    const keep1 = f64x2.splat(1 - beta1), keep2 = f64x2.splat(1 - beta2), step = f64x2.splat(lrT), eps = f64x2.splat(epsilon)
    for (; i + 4 <= end; i += 4) {
      const at = <usize>i << 2
      const g4 = v128.load(grad + at), m4 = v128.load(m + at), v4 = v128.load(v + at), p4 = v128.load(value + at)
      // Lanes 0–1, then 2–3, each widened to float64, updated, rounded to float32 as the loop stores them.
      const mLow = roundF32(adamMoment(low(m4), low(g4), keep1, false))
      const mHigh = roundF32(adamMoment(high(m4), high(g4), keep1, false))
      const vLow = roundF32(adamMoment(low(v4), low(g4), keep2, true))
      const vHigh = roundF32(adamMoment(high(v4), high(g4), keep2, true))
      const pLow = f64x2.sub(low(p4), f64x2.div(f64x2.mul(step, mLow), f64x2.add(f64x2.sqrt(vLow), eps)))
      const pHigh = f64x2.sub(high(p4), f64x2.div(f64x2.mul(step, mHigh), f64x2.add(f64x2.sqrt(vHigh), eps)))
      v128.store(m + at, join(mLow, mHigh))
      v128.store(v + at, join(vLow, vHigh))
      v128.store(value + at, join(pLow, pHigh))
    }
  }
  for (; i < end; i++) {
    const g = read(grad, i)
    write(m, i, read(m, i) + (1 - beta1) * (g - read(m, i)))
    write(v, i, read(v, i) + (1 - beta2) * (g * g - read(v, i)))
    write(value, i, read(value, i) - (lrT * read(m, i)) / (Math.sqrt(read(v, i)) + epsilon))
  }
}

/** m + keep·(g − m), or with `squared` v + keep·(g·g − v), in float64 pairs. */
// @ts-ignore: decorator
@inline
function adamMoment(old: v128, g: v128, keep: v128, squared: bool): v128 {
  const target = squared ? f64x2.mul(g, g) : g
  return f64x2.add(old, f64x2.mul(keep, f64x2.sub(target, old)))
}

// @ts-ignore: decorator
@inline
function low(x: v128): v128 {
  return f64x2.promote_low_f32x4(x)
}

// @ts-ignore: decorator
@inline
function high(x: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<i32>(x, x, 2, 3, 2, 3))
}

/** A float64 pair rounded to float32 and widened back: the value the loop reads after storing it. */
// @ts-ignore: decorator
@inline
function roundF32(x: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(x))
}

/** Two float64 pairs as the four float32 values they round to. */
// @ts-ignore: decorator
@inline
function join(lowPair: v128, highPair: v128): v128 {
  return v128.shuffle<i32>(f32x4.demote_f64x2_zero(lowPair), f32x4.demote_f64x2_zero(highPair), 0, 1, 4, 5)
}
