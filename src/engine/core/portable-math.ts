/**
 * exp, log, expm1 and tanh computed from + − × ÷ only (fdlibm's algorithms: e_exp.c, e_log.c, s_expm1.c,
 * s_tanh.c; measured equal to Node 20's Math.* on millions of arguments), pow from them, and sin/cos by a
 * series, so they give the same bits on every host. The JavaScript engines' own Math.exp, Math.log and Math.pow differ in the last bit
 * between V8 versions (measured: Node 20 against Chromium 156, Math.log on ~7 % of arguments in (0, 1),
 * Math.exp on most), and iterative methods such as t-SNE and UMAP grow such a bit into a different picture.
 */

const float = new Float64Array(1)
const words = new Uint32Array(float.buffer)
// Which 32-bit word holds the sign, exponent and top of the mantissa (every host we run on is little-endian).
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0
const LOW = 1 - HIGH

const LN2_HI = 6.9314718036912381649e-1
const LN2_LO = 1.90821492927058770002e-10
const INV_LN2 = 1.442695040888963387
const P1 = 1.66666666666666019037e-1
const P2 = -2.77777777770155933842e-3
const P3 = 6.61375632143793436117e-5
const P4 = -1.6533902205465251539e-6
const P5 = 4.13813679705723846039e-8
const TWO54 = 1.8014398509481984e16
const LG1 = 6.66666666666673513e-1
const LG2 = 3.999999999940941908e-1
const LG3 = 2.857142874366239149e-1
const LG4 = 2.222219843214978396e-1
const LG5 = 1.818357216161805012e-1
const LG6 = 1.531383769920937332e-1
const LG7 = 1.479819860511658591e-1

/** 2^k for every integer k in [−1022, 1023], built once from its bits (a table: exp calls this per value). */
const POWERS_OF_TWO = Float64Array.from({ length: 2046 }, (_, i) => {
  words[HIGH] = (i + 1) << 20
  words[LOW] = 0
  return float[0]
})

function twoTo(k: number): number {
  return POWERS_OF_TWO[k + 1022]
}

/**
 * y · 2^k (two steps where 2^k alone would not be a normal number). A subnormal result is rounded once, in
 * the last step, as fdlibm's exp does (y · 2^-1022 first would round twice).
 */
function scaleByPowerOfTwo(y: number, k: number): number {
  if (k > 1023) return y * twoTo(1023) * twoTo(k - 1023)
  if (k < -1022) return y * twoTo(k + 1000) * twoTo(-1000)
  return y * twoTo(k)
}

export function portableExp(x: number): number {
  if (Number.isNaN(x)) return x
  if (x > 7.09782712893383973096e2) return Infinity
  if (x < -7.4513321910194110842e2) return 0
  const ax = Math.abs(x)
  if (ax < 3.725290298461914e-9) return 1 + x
  let hi = x
  let lo = 0
  let k = 0
  if (ax > 0.5 * LN2_HI) {
    k = Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5))
    hi = x - k * LN2_HI
    lo = k * LN2_LO
    x = hi - lo
  }
  const t = x * x
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))))
  if (k === 0) return 1 - ((x * c) / (c - 2) - x)
  const y = 1 - (lo - (x * c) / (2 - c) - hi)
  return scaleByPowerOfTwo(y, k)
}

export function portableLog(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN
  if (x === 0) return -Infinity
  if (x === Infinity) return x
  float[0] = x
  let hx = words[HIGH] | 0
  let k = 0
  if (hx < 0x00100000) {
    // Subnormal: scale into the normal range first.
    k -= 54
    float[0] = x * TWO54
    hx = words[HIGH] | 0
  }
  k += (hx >> 20) - 1023
  hx &= 0x000fffff
  const i = (hx + 0x95f64) & 0x100000
  // Normalise x or x/2 into [√2/2, √2).
  words[HIGH] = hx | (i ^ 0x3ff00000)
  k += i >> 20
  const f = float[0] - 1
  const dk = k
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO
    const r = f * f * (0.5 - 0.3333333333333333 * f)
    return k === 0 ? f - r : dk * LN2_HI - (r - dk * LN2_LO - f)
  }
  const s = f / (2 + f)
  const z = s * s
  const w = z * z
  const t1 = w * (LG2 + w * (LG4 + w * LG6))
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
  const r = t2 + t1
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f)
  }
  return k === 0 ? f - s * (f - r) : dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f)
}

/** x^y: exact for y = 0, 1, 2 and √x for y = ½; otherwise exp(y·log x) (a few ulps; the same on every host). */
export function portablePow(x: number, y: number): number {
  if (y === 0) return 1
  if (y === 1) return x
  if (y === 2) return x * x
  if (y === 0.5 && x >= 0) return Math.sqrt(x)
  if (x > 0) return portableExp(y * portableLog(x))
  if (x === 0) return y > 0 ? 0 : Infinity
  // A negative base: defined for whole exponents only.
  if (!Number.isInteger(y)) return NaN
  const magnitude = portableExp(y * portableLog(-x))
  return y % 2 === 0 ? magnitude : -magnitude
}

const Q1 = -3.33333333333331316428e-2
const Q2 = 1.58730158725481460165e-3
const Q3 = -7.93650757867487942473e-5
const Q4 = 4.00821782732936239552e-6
const Q5 = -2.01099218183624371326e-7

/** The smallest double whose high word is `high`: fdlibm's tests of |x|'s high word as plain comparisons. */
function fromHighWord(high: number): number {
  words[HIGH] = high
  words[LOW] = 0
  return float[0]
}
const HALF_LN2_ABOVE = fromHighWord(0x3fd62e43) // |x| > ½ ln 2 in fdlibm's high-word sense
const ONE_AND_HALF_LN2 = fromHighWord(0x3ff0a2b2)
const TWO_TO_MINUS_54 = fromHighWord(0x3c900000)

/** e^x − 1, accurate near 0 (fdlibm's s_expm1.c); tanh is built on it as fdlibm builds it. */
export function portableExpm1(x: number): number {
  if (Number.isNaN(x)) return x
  if (x > 7.09782712893383973096e2) return Infinity
  if (x < -38.816242111356935) return -1 // below −56·ln 2: −1 to the last bit
  const ax = Math.abs(x)
  let k = 0
  let c = 0
  if (ax >= HALF_LN2_ABOVE) {
    // |x| > ½ ln 2: x = k·ln 2 + r, with the rounding of the reduction kept in c.
    let hi: number
    let lo: number
    if (ax < ONE_AND_HALF_LN2) {
      k = x > 0 ? 1 : -1
      hi = x - k * LN2_HI
      lo = k * LN2_LO
    } else {
      k = Math.trunc(INV_LN2 * x + (x > 0 ? 0.5 : -0.5))
      hi = x - k * LN2_HI
      lo = k * LN2_LO
    }
    x = hi - lo
    c = hi - x - lo
  } else if (ax < TWO_TO_MINUS_54) {
    return x // |x| < 2^-54
  }
  const hfx = 0.5 * x
  const hxs = x * hfx
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))))
  const t = 3 - r1 * hfx
  let e = hxs * ((r1 - t) / (6 - x * t))
  if (k === 0) return x - (x * e - hxs)
  e = x * (e - c) - c
  e -= hxs
  if (k === -1) return 0.5 * (x - e) - 0.5
  if (k === 1) return x < -0.25 ? -2 * (e - (x + 0.5)) : 1 + 2 * (x - e)
  if (k <= -2 || k > 56) return scaleByPowerOfTwo(1 - (e - x), k) - 1
  if (k < 20) return scaleByPowerOfTwo(1 - twoTo(-k) - (e - x), k)
  return scaleByPowerOfTwo(x - (e + twoTo(-k)) + 1, k)
}

/** tanh(x) as fdlibm's s_tanh.c: x itself below 2^-28, ±1 from 22 on, expm1 of 2|x| between. */
export function portableTanh(x: number): number {
  if (Number.isNaN(x)) return x
  const ax = Math.abs(x)
  if (ax < 3.725290298461914e-9) return x
  let z: number
  if (ax >= 22) z = 1
  else if (ax >= 1) z = 1 - 2 / (portableExpm1(2 * ax) + 2)
  else {
    const t = portableExpm1(-2 * ax)
    z = -t / (t + 2)
  }
  return x < 0 ? -z : z
}

/**
 * sin and cos of an angle in [−π, π] radians by their Taylor series (48 terms: truncated below 1e-16 for
 * |θ| ≤ π, rounded within 7e-16), so the bits depend only on IEEE arithmetic. Not Math.cos's bits: they
 * differ on ~70 % of arguments, by at most a few ulps.
 */
export function portableSinCos(theta: number): [number, number] {
  let sin = 0
  let cos = 0
  let term = 1 // θ^k / k!
  for (let k = 0; k < 48; k++) {
    if (k % 4 === 0) cos += term
    else if (k % 4 === 1) sin += term
    else if (k % 4 === 2) cos -= term
    else sin -= term
    term = (term * theta) / (k + 1)
  }
  return [sin, cos]
}

/**
 * Runs `fn` with Math.exp, Math.log, Math.log2 and Math.pow replaced by the portable ones, for library
 * code (umap-js) that calls them directly. Synchronous only: nothing else can run until they are restored.
 */
export function withPortableMath<T>(fn: () => T): T {
  const saved = { exp: Math.exp, log: Math.log, log2: Math.log2, pow: Math.pow }
  const math = Math as { exp: (x: number) => number; log: (x: number) => number; log2: (x: number) => number; pow: (x: number, y: number) => number }
  math.exp = portableExp
  math.log = portableLog
  math.log2 = (x) => portableLog(x) / Math.LN2
  math.pow = portablePow
  try {
    return fn()
  } finally {
    Object.assign(math, saved)
  }
}

/**
 * A standard normal from uniforms in [0, 1) by Marsaglia's polar method with the portable log, one per
 * pair of uniforms (Random.normal keeps the second as a spare; the embeddings' seeded starts are drawn
 * this way, so they keep their points).
 */
export function portableNormal(uniform: () => number): number {
  for (;;) {
    const u = 2 * uniform() - 1
    const v = 2 * uniform() - 1
    const s = u * u + v * v
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * portableLog(s)) / s)
  }
}
