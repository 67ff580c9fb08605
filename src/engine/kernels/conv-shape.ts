/**
 * The window arithmetic shared by im2col, col2im, convolution and pooling: one place, so every kernel
 * agrees on where a window starts and how many there are.
 */

/** One window placement: an (N, C, H, W) input read by FH×FW windows every `stride` pixels, after `pad` zeros on each side. */
export interface ConvGeometry {
  readonly n: number
  readonly c: number
  readonly h: number
  readonly w: number
  readonly fh: number
  readonly fw: number
  readonly stride: number
  readonly pad: number
  /** Output height and width: (H + 2·pad − FH) // stride + 1, the course's formula. */
  readonly oh: number
  readonly ow: number
}

/** (size + 2·pad − filter) // stride + 1, with Python's floor division as the course writes it. */
export function convOutputSize(size: number, filter: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - filter) / stride) + 1
}

/**
 * Why a window does not fit an input, or null when it does. Checked before any buffer is sized: a
 * negative or zero output size would otherwise surface as a confusing RangeError deep in a kernel.
 */
export function windowProblem(h: number, w: number, fh: number, fw: number, stride: number, pad: number): string | null {
  const settings = windowSettingsProblem(fh, fw, stride, pad)
  if (settings) return settings
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) return `the input must be at least 1×1, got ${h}×${w}`
  if (fh > h + 2 * pad || fw > w + 2 * pad) {
    return `a ${fh}×${fw} window does not fit the padded input ${h + 2 * pad}×${w + 2 * pad} (${h}×${w} with padding ${pad})`
  }
  return null
}

/** Why a window's own settings are impossible whatever the input, or null. */
export function windowSettingsProblem(fh: number, fw: number, stride: number, pad: number): string | null {
  if (![fh, fw, stride, pad].every(Number.isInteger)) return 'window size, stride and padding must be whole numbers'
  if (stride < 1) return `stride must be at least 1, got ${stride}`
  if (pad < 0) return `padding must be 0 or more, got ${pad}`
  if (fh < 1 || fw < 1) return `the window must be at least 1×1, got ${fh}×${fw}`
  return null
}

/** The geometry of FH×FW windows over an (N, C, H, W) input; throws a RangeError naming the problem. */
export function convGeometry(shape: readonly number[], fh: number, fw: number, stride: number, pad: number): ConvGeometry {
  if (shape.length !== 4) throw new RangeError(`expected an (N, C, H, W) input, got shape [${shape.join(', ')}]`)
  const [n, c, h, w] = shape
  const problem = windowProblem(h, w, fh, fw, stride, pad)
  if (problem) throw new RangeError(problem)
  return { n, c, h, w, fh, fw, stride, pad, oh: convOutputSize(h, fh, stride, pad), ow: convOutputSize(w, fw, stride, pad) }
}

/** Rows of the im2col matrix: one per output position, N·OH·OW. */
/**
 * One sample's output height and width for a [C, H, W] input; throws a RangeError naming the shapes when the
 * input is not a map or the window does not fit it.
 */
export function windowedSize(inputShape: readonly number[], fh: number, fw: number, stride: number, pad: number): [number, number] {
  if (inputShape.length !== 3) throw new RangeError(`expects a [channels, height, width] input, gets [${inputShape.join(', ')}]`)
  const [, h, w] = inputShape
  const problem = windowProblem(h, w, fh, fw, stride, pad)
  if (problem) throw new RangeError(problem)
  return [convOutputSize(h, fh, stride, pad), convOutputSize(w, fw, stride, pad)]
}

/** Whether `shape` is the (N, C, H, W) input `g` was made for (compared in place: called every step). */
export function fitsGeometry(shape: readonly number[], g: ConvGeometry): boolean {
  return shape.length === 4 && shape[0] === g.n && shape[1] === g.c && shape[2] === g.h && shape[3] === g.w
}

export function colRows(g: ConvGeometry): number {
  return g.n * g.oh * g.ow
}

/** Columns of the im2col matrix: one per window element, C·FH·FW. */
export function colCols(g: ConvGeometry): number {
  return g.c * g.fh * g.fw
}
