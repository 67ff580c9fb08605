/*
 * Seeded data augmentation of a training mini-batch, after it is formed: values are bytes / 255 in a
 * Float32Array or Float64Array laid out [N, C, H, W], changed in place.
 *
 * Every host gives the same result for a seed: the random numbers come only from `Random`, in the fixed
 * order below, and the arithmetic is IEEE +, −, ×, ÷ and floor (the rotation's sine and cosine are our
 * own series, not Math.sin, whose last bit an engine may choose). A batch without augmentation draws
 * nothing, so runs without it keep their numbers bit for bit.
 *
 * Per image, the numbers drawn are, in this order and only for the options that are on:
 *   1. flip:   random.int(2), 1 = mirror left–right;
 *   2. shift:  random.int(2s + 1) − s for the rows, then the same for the columns;
 *   3. crop:   random.int(2p + 1) for the window's top, then its left (the window in the image padded by p);
 *   4. rotate: random.uniform(), the angle r·(2u − 1) degrees, counter-clockwise as the image is shown;
 *   5. noise:  random.normal() for every value, channel by channel, row by row.
 * The geometry (1–4) is one inverse mapping: each output pixel is sampled from the input, bilinearly when
 * rotated, 0 outside the image; all channels of an image get the same transform, the noise is per value.
 */
import { z } from 'zod'
import { portableSinCos } from '../core/portable-math'
import type { Random } from '../core/random'
import { EngineError } from '../protocol/error-codes'

export interface AugmentOptions {
  /** Max pixels, each axis: an integer uniform in [−shift, shift]. */
  shift?: number
  /** Mirror left–right with probability 0.5. */
  flip?: boolean
  /** Max degrees: uniform in [−rotate, rotate]. */
  rotate?: number
  /** Pad by this many zero pixels on every side, then take a random H×W window. */
  crop?: number
  /** Standard deviation of Gaussian noise added to every value, which is then clamped to [0, 1]. */
  noise?: number
}

/** The allowed ranges, shared by the CLI parser and the run file's schema. */
const RANGES = {
  shift: { max: 16, whole: true, what: 'a whole number of pixels' },
  rotate: { max: 180, whole: false, what: 'a number of degrees' },
  crop: { max: 16, whole: true, what: 'a whole number of pixels' },
  noise: { max: 1, whole: false, what: 'a standard deviation' }
} as const

type NumericKey = keyof typeof RANGES

/** In the order `formatAugmentSpec` writes them (the CLI's documented example). */
const KEYS = ['shift', 'rotate', 'flip', 'crop', 'noise'] as const

const rangeSchema = (key: NumericKey) => {
  const number = RANGES[key].whole ? z.number().int() : z.number()
  return number.min(0).max(RANGES[key].max).optional()
}

/** The `"augment"` object of a run file: every field optional, nothing else allowed. */
export const AugmentSchema = z.strictObject({
  shift: rangeSchema('shift'),
  flip: z.boolean().optional(),
  rotate: rangeSchema('rotate'),
  crop: rangeSchema('crop'),
  noise: rangeSchema('noise')
})

const refuse = (message: string): EngineError => new EngineError('INVALID_CONFIG', `--augment: ${message}`)

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/** Reads the CLI form `shift=2,rotate=10,flip,crop=4,noise=0.05`; an empty spec is no augmentation. */
export function parseAugmentSpec(spec: string): AugmentOptions {
  const options: AugmentOptions = {}
  if (spec.trim() === '') return options
  for (const rawEntry of spec.split(',')) {
    const entry = rawEntry.trim()
    if (entry === '') throw refuse(`an empty entry in "${spec}" (entries are separated by single commas)`)
    const equals = entry.indexOf('=')
    const key = (equals < 0 ? entry : entry.slice(0, equals)).trim()
    const value = equals < 0 ? undefined : entry.slice(equals + 1).trim()
    if (!(KEYS as readonly string[]).includes(key)) throw refuse(`unknown augmentation "${key}" (known: ${KEYS.join(', ')})`)
    if (key in options) throw refuse(`${key} is given twice`)
    if (key === 'flip') {
      if (value !== undefined) throw refuse('flip takes no value (write flip)')
      options.flip = true
      continue
    }
    const numeric = key as NumericKey
    const { max, whole, what } = RANGES[numeric]
    if (value === undefined || value === '') throw refuse(`${key} needs a value, as ${key}=${max === 1 ? '0.05' : 2}`)
    const number = NUMBER.test(value) ? Number(value) : Number.NaN
    if (!Number.isFinite(number)) throw refuse(`${key}=${value} is not a number`)
    if (number < 0 || number > max || (whole && !Number.isInteger(number))) throw refuse(`${key}=${value}: ${key} must be ${what} from 0 to ${max}`)
    options[numeric] = number
  }
  return options
}

/** The CLI form of `options` (the inverse of `parseAugmentSpec`; `flip: false` is left out, as it means no flip). */
export function formatAugmentSpec(options: AugmentOptions): string {
  const entries: string[] = []
  for (const key of KEYS) {
    if (key === 'flip') {
      if (options.flip) entries.push('flip')
    } else if (options[key] !== undefined) {
      entries.push(`${key}=${options[key]}`)
    }
  }
  return entries.join(',')
}

/** Augments the n images of `x` ([n, channels, rows, cols]) in place, drawing from `random` as documented above. */
export function augmentBatch(
  x: Float32Array | Float64Array,
  n: number,
  channels: number,
  rows: number,
  cols: number,
  options: AugmentOptions,
  random: Random
): void {
  const shift = options.shift ?? 0
  const crop = options.crop ?? 0
  const rotate = options.rotate ?? 0
  const noise = options.noise ?? 0
  const flip = options.flip === true
  const geometric = flip || shift > 0 || crop > 0 || rotate > 0
  if (!geometric && noise <= 0) return

  const plane = rows * cols
  const size = channels * plane
  if (x.length < n * size) throw new RangeError(`augmentBatch: ${x.length} values cannot hold ${n} images of ${channels}×${rows}×${cols}`)
  const scratch = geometric ? scratchOf(size) : null

  for (let image = 0; image < n; image++) {
    const offset = image * size
    if (scratch) {
      const mirror = flip && random.int(2) === 1
      let down = 0
      let right = 0
      if (shift > 0) {
        down += random.int(2 * shift + 1) - shift
        right += random.int(2 * shift + 1) - shift
      }
      if (crop > 0) {
        // The window's top-left corner in the padded image is (top, left): output row y is padded row
        // y + top, which is input row y + top − crop, a move of the content by crop − top.
        down += crop - random.int(2 * crop + 1)
        right += crop - random.int(2 * crop + 1)
      }
      const degrees = rotate > 0 ? rotate * (2 * random.uniform() - 1) : 0
      for (let i = 0; i < size; i++) scratch[i] = x[offset + i]
      const transform: Transform = { mirror, down, right, degrees }
      if (degrees === 0) translate(scratch, x, offset, channels, rows, cols, transform)
      else rotateBilinear(scratch, x, offset, channels, rows, cols, transform)
    }
    if (noise > 0) {
      for (let i = offset; i < offset + size; i++) {
        const value = x[i] + noise * random.normal()
        x[i] = value < 0 ? 0 : value > 1 ? 1 : value
      }
    }
  }
}

/*
 * One image's copy, kept between calls: a training step allocates nothing (test/engine/train/allocation).
 * Calls are synchronous, so one buffer per thread (module instance) is enough.
 */
let scratchBuffer = new Float64Array(0)

function scratchOf(size: number): Float64Array {
  if (scratchBuffer.length < size) scratchBuffer = new Float64Array(size)
  return scratchBuffer
}

interface Transform {
  /** Mirror left–right first. */
  mirror: boolean
  /** Then move the content this many pixels down and right (negative: up, left). */
  down: number
  right: number
  /** Then rotate it about the image's centre, counter-clockwise as shown. */
  degrees: number
}

/** Integer moves and the mirror: each output pixel is one input pixel, or 0 where it comes from outside. */
function translate(source: Float64Array, x: Float32Array | Float64Array, offset: number, channels: number, rows: number, cols: number, t: Transform): void {
  const plane = rows * cols
  for (let y = 0; y < rows; y++) {
    const sy = y - t.down
    for (let col = 0; col < cols; col++) {
      const moved = col - t.right
      const sx = t.mirror ? cols - 1 - moved : moved
      const inside = sy >= 0 && sy < rows && sx >= 0 && sx < cols
      for (let c = 0; c < channels; c++) x[offset + c * plane + y * cols + col] = inside ? source[c * plane + sy * cols + sx] : 0
    }
  }
}

/**
 * The whole transform by inverse mapping: an output pixel's centre is turned back by the angle about the
 * image's centre, moved back, mirrored back, and the input is sampled there bilinearly (0 outside).
 */
function rotateBilinear(
  source: Float64Array,
  x: Float32Array | Float64Array,
  offset: number,
  channels: number,
  rows: number,
  cols: number,
  t: Transform
): void {
  const plane = rows * cols
  const [sin, cos] = sinCosDegrees(t.degrees)
  const cy = (rows - 1) / 2
  const cx = (cols - 1) / 2
  for (let y = 0; y < rows; y++) {
    for (let col = 0; col < cols; col++) {
      // Rows grow downwards, so a counter-clockwise turn on screen takes (dx, dy) to
      // (dx·cos + dy·sin, −dx·sin + dy·cos); its inverse is applied to the output's position.
      const dx = col - cx
      const dy = y - cy
      const sy = cy + dx * sin + dy * cos - t.down
      const moved = cx + dx * cos - dy * sin - t.right
      const sx = t.mirror ? cols - 1 - moved : moved
      const y0 = Math.floor(sy)
      const x0 = Math.floor(sx)
      const fy = sy - y0
      const fx = sx - x0
      const top = y0 >= 0 && y0 < rows
      const bottom = y0 + 1 >= 0 && y0 + 1 < rows
      const left = x0 >= 0 && x0 < cols
      const rightIn = x0 + 1 >= 0 && x0 + 1 < cols
      for (let c = 0; c < channels; c++) {
        const base = c * plane
        let value = 0
        if (top && left) value += (1 - fy) * (1 - fx) * source[base + y0 * cols + x0]
        if (top && rightIn) value += (1 - fy) * fx * source[base + y0 * cols + x0 + 1]
        if (bottom && left) value += fy * (1 - fx) * source[base + (y0 + 1) * cols + x0]
        if (bottom && rightIn) value += fy * fx * source[base + (y0 + 1) * cols + x0 + 1]
        x[offset + base + y * cols + col] = value
      }
    }
  }
}

/** sin and cos of an angle in [−180, 180] degrees, by core/portable-math's series: the same in every JavaScript engine. */
export function sinCosDegrees(degrees: number): [number, number] {
  return portableSinCos((degrees / 180) * Math.PI)
}
