import { portableLog } from './portable-math'

/**
 * The engine's only source of randomness: xoshiro128** seeded through splitmix32. Integer arithmetic
 * throughout, and normals by Marsaglia's polar method (sqrt and fdlibm's log from + − × ÷, not Math.log, whose
 * last bit differs between V8 versions), so a seed gives the same stream bit for bit in Node, a browser Web
 * Worker and Electron.
 */
export class Random {
  private s0: number
  private s1: number
  private s2: number
  private s3: number
  private spareNormal: number | null = null

  constructor(seed: number) {
    let state = seed >>> 0
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) | 0
      let z = state
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.s0 = splitmix32()
    this.s1 = splitmix32()
    this.s2 = splitmix32()
    this.s3 = splitmix32()
  }

  /** The generator's full state, to replay a stream (checkpoints, tests that hold dropout masks fixed). */
  saveState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.spareNormal ?? Number.NaN]
  }

  restoreState(state: readonly number[]): void {
    ;[this.s0, this.s1, this.s2, this.s3] = state
    this.spareNormal = Number.isNaN(state[4]) ? null : state[4]
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5 // 27 bits
    const low = this.nextUint32() >>> 6 // 26 bits
    return (high * 67108864 + low) / 9007199254740992
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!(n >= 1 && n <= 0x100000000)) throw new RangeError(`Random.int: n must be in [1, 2^32], got ${n}`)
    const limit = 0x100000000 - (0x100000000 % n)
    for (;;) {
      const x = this.nextUint32()
      if (x < limit) return x % n
    }
  }

  /** Standard normal N(0, 1). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal
      this.spareNormal = null
      return spare
    }
    for (;;) {
      const u = 2 * this.uniform() - 1
      const v = 2 * this.uniform() - 1
      const s = u * u + v * v
      if (s > 0 && s < 1) {
        const factor = Math.sqrt((-2 * portableLog(s)) / s)
        this.spareNormal = v * factor
        return u * factor
      }
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
