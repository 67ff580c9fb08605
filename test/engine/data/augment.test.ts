/*
 * Augmentation: each transform against an expectation computed here independently, with a scripted
 * Random forcing the draws; the documented draw order; determinism; and the CLI form's parser.
 */
import { describe, expect, it } from 'vitest'
import { AugmentSchema, augmentBatch, formatAugmentSpec, parseAugmentSpec, sinCosDegrees, type AugmentOptions } from '../../../src/engine/data/augment'
import { Random } from '../../../src/engine/core/random'

/** A Random whose draws are given in advance; it records every call, in order. */
class ScriptedRandom extends Random {
  readonly calls: string[] = []
  constructor(
    private readonly ints: number[] = [],
    private readonly uniforms: number[] = [],
    private readonly normals: number[] = []
  ) {
    super(0)
  }
  override int(n: number): number {
    this.calls.push(`int(${n})`)
    const value = this.ints.shift()
    if (value === undefined || value >= n) throw new Error(`unscripted int(${n})`)
    return value
  }
  override uniform(): number {
    this.calls.push('uniform')
    const value = this.uniforms.shift()
    if (value === undefined) throw new Error('unscripted uniform')
    return value
  }
  override normal(): number {
    this.calls.push('normal')
    return this.normals.shift() ?? 0
  }
}

/** An image of distinct values in (0, 1): value(c, y, x) = (1 + c·100 + y·10 + x) / 1000. */
function distinctImage(channels: number, rows: number, cols: number, type: 'f32' | 'f64' = 'f64'): Float32Array | Float64Array {
  const x = type === 'f32' ? new Float32Array(channels * rows * cols) : new Float64Array(channels * rows * cols)
  for (let c = 0; c < channels; c++)
    for (let y = 0; y < rows; y++) for (let col = 0; col < cols; col++) x[(c * rows + y) * cols + col] = (1 + c * 100 + y * 10 + col) / 1000
  return x
}

/** The expected image: out(c, y, x) = source(c, from(y, x)), or 0 where `from` gives a position outside. */
function mapped(source: ArrayLike<number>, channels: number, rows: number, cols: number, from: (y: number, x: number) => [number, number]): Float64Array {
  const out = new Float64Array(channels * rows * cols)
  for (let c = 0; c < channels; c++)
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < cols; x++) {
        const [sy, sx] = from(y, x)
        out[(c * rows + y) * cols + x] = sy >= 0 && sy < rows && sx >= 0 && sx < cols ? source[(c * rows + sy) * cols + sx] : 0
      }
  return out
}

const copy = (x: Float32Array | Float64Array): number[] => Array.from(x)

describe('augmentBatch: nothing to do draws nothing', () => {
  it.each<AugmentOptions>([{}, { shift: 0, rotate: 0, crop: 0, noise: 0, flip: false }])('options %j leave x and the Random untouched', (options) => {
    const x = distinctImage(3, 5, 6)
    const before = copy(x)
    const random = new Random(42)
    const state = random.saveState()
    augmentBatch(x, 1, 3, 5, 6, options, random)
    expect(copy(x)).toEqual(before)
    expect(random.saveState()).toEqual(state)
  })
})

describe('augmentBatch: each transform', () => {
  it('flip mirrors left–right when drawn (1), not when 0; twice is the identity', () => {
    const source = distinctImage(2, 4, 5)
    const x = Float64Array.from(source)
    augmentBatch(x, 1, 2, 4, 5, { flip: true }, new ScriptedRandom([1]))
    expect(copy(x)).toEqual(copy(mapped(source, 2, 4, 5, (y, col) => [y, 4 - col])))
    augmentBatch(x, 1, 2, 4, 5, { flip: true }, new ScriptedRandom([1]))
    expect(copy(x)).toEqual(copy(source))
    augmentBatch(x, 1, 2, 4, 5, { flip: true }, new ScriptedRandom([0]))
    expect(copy(x)).toEqual(copy(source))
  })

  it('shift moves the pixels exactly by the drawn amount, zeros coming in', () => {
    const source = distinctImage(1, 6, 7)
    const x = Float64Array.from(source)
    // shift 2: int(5) − 2 → rows +2 (down), then columns −1 (left).
    augmentBatch(x, 1, 1, 6, 7, { shift: 2 }, new ScriptedRandom([4, 1]))
    expect(copy(x)).toEqual(copy(mapped(source, 1, 6, 7, (y, col) => [y - 2, col + 1])))
    expect(x[0]).toBe(0)
    expect(x[2 * 7]).toBe(source[0 * 7 + 1])
  })

  it('crop with padding 0 is the identity; with padding p it takes the drawn window of the padded image', () => {
    const source = distinctImage(1, 5, 5)
    const x = Float64Array.from(source)
    augmentBatch(x, 1, 1, 5, 5, { crop: 0 }, new ScriptedRandom())
    expect(copy(x)).toEqual(copy(source))
    // Padded by 2: the window at top 0, left 4 shows padded rows 0…4 = input rows −2…2, columns 2…6.
    augmentBatch(x, 1, 1, 5, 5, { crop: 2 }, new ScriptedRandom([0, 4]))
    expect(copy(x)).toEqual(copy(mapped(source, 1, 5, 5, (y, col) => [y - 2, col + 2])))
  })

  it('rotate draws an angle in [−r, r]; an angle of 0 is the identity', () => {
    const source = distinctImage(1, 5, 5)
    const x = Float64Array.from(source)
    augmentBatch(x, 1, 1, 5, 5, { rotate: 30 }, new ScriptedRandom([], [0.5]))
    expect(copy(x)).toEqual(copy(source))
  })

  it('rotate 90° turns a square image counter-clockwise: out(y, x) = in(x, N−1−y); −90° the other way', () => {
    const n = 6
    const source = distinctImage(1, n, n)
    const x = Float64Array.from(source)
    augmentBatch(x, 1, 1, n, n, { rotate: 90 }, new ScriptedRandom([], [1]))
    const expected = mapped(source, 1, n, n, (y, col) => [col, n - 1 - y])
    for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - expected[i])).toBeLessThan(1e-6)

    const back = Float64Array.from(source)
    augmentBatch(back, 1, 1, n, n, { rotate: 90 }, new ScriptedRandom([], [0]))
    const clockwise = mapped(source, 1, n, n, (y, col) => [n - 1 - col, y])
    for (let i = 0; i < back.length; i++) expect(Math.abs(back[i] - clockwise[i])).toBeLessThan(1e-6)
  })

  it('rotate 45° samples bilinearly: the centre pixel of an odd image stays, a corner gets zeros mixed in', () => {
    const n = 5
    const x = new Float64Array(n * n).fill(1)
    augmentBatch(x, 1, 1, n, n, { rotate: 90 }, new ScriptedRandom([], [0.75])) // 90·(2·0.75 − 1) = 45°
    expect(x[2 * n + 2]).toBeCloseTo(1, 12)
    // The corner (0, 0) comes from (2 − 2√2, 2) ≈ (−0.83, 2): 17 % of row 0, the rest from outside.
    expect(x[0]).toBeCloseTo(1 - (2 * Math.SQRT2 - 2), 12)
  })

  it('noise adds drawn normals times the std and clamps to [0, 1]', () => {
    const x = new Float64Array([0, 1, 0.5, 0.5])
    augmentBatch(x, 1, 1, 2, 2, { noise: 0.1 }, new ScriptedRandom([], [], [-1, 1, 2, -3]))
    expect(copy(x)).toEqual([0, 1, 0.5 + 0.1 * 2, 0.5 - 0.1 * 3])
    const wide = new Float32Array(1000).fill(0.5)
    augmentBatch(wide, 10, 1, 10, 10, { noise: 1 }, new Random(3))
    expect(Math.min(...wide)).toBe(0)
    expect(Math.max(...wide)).toBe(1)
    expect(wide.some((v) => v > 0 && v < 1 && v !== 0.5)).toBe(true)
  })
})

describe('augmentBatch: order, channels, determinism', () => {
  it('draws in the documented order, per image, only for the options that are on', () => {
    const random = new ScriptedRandom([0, 1, 2, 3, 4, 1, 2, 0, 4, 5], [0.5, 0.25])
    augmentBatch(new Float64Array(18).fill(0.5), 2, 1, 3, 3, { noise: 0.01, rotate: 5, crop: 4, shift: 1, flip: true }, random)
    const perImage = ['int(2)', 'int(3)', 'int(3)', 'int(9)', 'int(9)', 'uniform', ...Array(9).fill('normal')]
    expect(random.calls).toEqual([...perImage, ...perImage])

    const shiftOnly = new ScriptedRandom([1, 1])
    augmentBatch(new Float32Array(9), 1, 1, 3, 3, { shift: 1, rotate: 0 }, shiftOnly)
    expect(shiftOnly.calls).toEqual(['int(3)', 'int(3)'])
  })

  it('every channel plane gets the same transform', () => {
    const plane = distinctImage(1, 8, 8)
    const x = new Float64Array(4 * 3 * 64)
    for (let i = 0; i < 12; i++) x.set(plane, i * 64)
    augmentBatch(x, 4, 3, 8, 8, { shift: 2, flip: true, rotate: 25, crop: 3 }, new Random(9))
    for (let image = 0; image < 4; image++) {
      const first = copy(x.subarray(image * 192, image * 192 + 64))
      expect(first).not.toEqual(copy(plane)) // something happened
      expect(copy(x.subarray(image * 192 + 64, image * 192 + 128))).toEqual(first)
      expect(copy(x.subarray(image * 192 + 128, image * 192 + 192))).toEqual(first)
    }
  })

  it.each(['f32', 'f64'] as const)('the same seed gives the same bytes (%s), and another seed other ones', (type) => {
    const options: AugmentOptions = { shift: 2, flip: true, rotate: 15, crop: 2, noise: 0.05 }
    const run = (seed: number) => {
      const x = distinctImage(3, 10, 10, type)
      const batch = type === 'f32' ? new Float32Array(4 * 300) : new Float64Array(4 * 300)
      for (let i = 0; i < 4; i++) batch.set(x, i * 300)
      const random = new Random(seed)
      augmentBatch(batch, 4, 3, 10, 10, options, random)
      return { bytes: Array.from(new Uint8Array(batch.buffer)), state: random.saveState() }
    }
    const a = run(5)
    expect(run(5)).toEqual(a)
    expect(run(6).bytes).not.toEqual(a.bytes)
  })

  it('refuses a batch that does not hold n images', () => {
    expect(() => augmentBatch(new Float32Array(10), 1, 1, 4, 4, { flip: true }, new Random(1))).toThrow(RangeError)
  })
})

describe('sinCosDegrees', () => {
  it('agrees with Math.sin and Math.cos to 1e-15 over [−180, 180], exactly at 0', () => {
    for (let d = -180; d <= 180; d += 7.5) {
      const [sin, cos] = sinCosDegrees(d)
      expect(Math.abs(sin - Math.sin((d * Math.PI) / 180))).toBeLessThan(1e-15)
      expect(Math.abs(cos - Math.cos((d * Math.PI) / 180))).toBeLessThan(1e-15)
    }
    expect(sinCosDegrees(0)).toEqual([0, 1])
  })
})

describe('the CLI form', () => {
  it('parses the documented example, and formats it back', () => {
    const options = parseAugmentSpec('shift=2,rotate=10,flip,crop=4,noise=0.05')
    expect(options).toEqual({ shift: 2, rotate: 10, flip: true, crop: 4, noise: 0.05 })
    expect(formatAugmentSpec(options)).toBe('shift=2,rotate=10,flip,crop=4,noise=0.05')
    expect(parseAugmentSpec(' noise = 1e-3 , flip ')).toEqual({ noise: 0.001, flip: true })
    expect(parseAugmentSpec('')).toEqual({})
    expect(formatAugmentSpec({})).toBe('')
    expect(formatAugmentSpec({ flip: false, rotate: 0 })).toBe('rotate=0')
    for (const options of [{ rotate: 12.5 }, { noise: 1e-7, shift: 0 }, { crop: 16, flip: true }])
      expect(parseAugmentSpec(formatAugmentSpec(options))).toEqual(options)
  })

  it.each([
    ['shift=2,blur=3', '--augment: unknown augmentation "blur" (known: shift, rotate, flip, crop, noise)'],
    ['shift=2,,flip', '--augment: an empty entry in "shift=2,,flip" (entries are separated by single commas)'],
    ['shift', '--augment: shift needs a value, as shift=2'],
    ['noise=', '--augment: noise needs a value, as noise=0.05'],
    ['rotate=ten', '--augment: rotate=ten is not a number'],
    ['shift=0x10', '--augment: shift=0x10 is not a number'],
    ['shift=2.5', '--augment: shift=2.5: shift must be a whole number of pixels from 0 to 16'],
    ['shift=17', '--augment: shift=17: shift must be a whole number of pixels from 0 to 16'],
    ['crop=-1', '--augment: crop=-1: crop must be a whole number of pixels from 0 to 16'],
    ['rotate=181', '--augment: rotate=181: rotate must be a number of degrees from 0 to 180'],
    ['noise=1.5', '--augment: noise=1.5: noise must be a standard deviation from 0 to 1'],
    ['flip=1', '--augment: flip takes no value (write flip)'],
    ['flip,shift=1,flip', '--augment: flip is given twice']
  ])('refuses %j in one line', (spec, message) => {
    let error: any
    try {
      parseAugmentSpec(spec)
    } catch (e) {
      error = e
    }
    expect(error?.code).toBe('INVALID_CONFIG')
    expect(error.message).toBe(message)
  })
})

describe('AugmentSchema', () => {
  it('accepts what the parser accepts, and nothing else', () => {
    expect(AugmentSchema.parse({ shift: 2, rotate: 10, flip: true, crop: 4, noise: 0.05 })).toEqual({ shift: 2, rotate: 10, flip: true, crop: 4, noise: 0.05 })
    expect(AugmentSchema.parse({})).toEqual({})
    for (const bad of [{ shift: 2.5 }, { shift: 17 }, { rotate: -1 }, { rotate: 181 }, { crop: 17 }, { noise: 1.01 }, { flip: 'yes' }, { blur: 1 }]) {
      expect(AugmentSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false)
    }
  })
})
