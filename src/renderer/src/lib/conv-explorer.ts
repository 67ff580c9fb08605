import { im2col } from '@engine/kernels/im2col'
import { convOutputSize, type ConvGeometry } from '@engine/kernels/conv-shape'

/**
 * Pure helpers of the Convolution view: the im2col explorer's input, its checks, the window of a matrix row,
 * the col2im coverage counts, and the colour scales of the heatmaps.
 */

export interface ExplorerShape {
  n: number
  c: number
  h: number
  w: number
}

/** The course demo: one 1-channel 4×4 image of the integers 1…16. */
export const DEMO_SHAPE: ExplorerShape = { n: 1, c: 1, h: 4, w: 4 }
export const DEMO_VALUES: number[] = Array.from({ length: 16 }, (_, i) => i + 1)

/** Limits that keep the explorer readable. */
export const MAX_IMAGES = 3
export const MAX_CHANNELS = 3
export const MAX_SIDE = 10
export const MAX_PAD = 3

/** Problems as i18n keys with parameters, so the view shows them in either language next to their field. */
export interface Problem {
  key: string
  params?: Record<string, number>
}

function intIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max
}

export function shapeProblems(shape: ExplorerShape): Partial<Record<keyof ExplorerShape, Problem>> {
  const out: Partial<Record<keyof ExplorerShape, Problem>> = {}
  if (!intIn(shape.n, 1, MAX_IMAGES)) out.n = { key: 'convolution.problem.range', params: { min: 1, max: MAX_IMAGES } }
  if (!intIn(shape.c, 1, MAX_CHANNELS)) out.c = { key: 'convolution.problem.range', params: { min: 1, max: MAX_CHANNELS } }
  if (!intIn(shape.h, 1, MAX_SIDE)) out.h = { key: 'convolution.problem.range', params: { min: 1, max: MAX_SIDE } }
  if (!intIn(shape.w, 1, MAX_SIDE)) out.w = { key: 'convolution.problem.range', params: { min: 1, max: MAX_SIDE } }
  return out
}

export interface WindowSettings {
  filter: number
  stride: number
  pad: number
}

/** Problems of the window settings for a valid input shape; `filter` says when it is larger than the padded input. */
export function windowProblems(shape: ExplorerShape, s: WindowSettings): Partial<Record<keyof WindowSettings, Problem>> {
  const out: Partial<Record<keyof WindowSettings, Problem>> = {}
  if (!intIn(s.stride, 1, MAX_SIDE)) out.stride = { key: 'convolution.problem.range', params: { min: 1, max: MAX_SIDE } }
  if (!intIn(s.pad, 0, MAX_PAD)) out.pad = { key: 'convolution.problem.range', params: { min: 0, max: MAX_PAD } }
  if (!intIn(s.filter, 1, MAX_SIDE + 2 * MAX_PAD)) out.filter = { key: 'convolution.problem.range', params: { min: 1, max: MAX_SIDE + 2 * MAX_PAD } }
  else if (!out.pad) {
    const ph = shape.h + 2 * s.pad
    const pw = shape.w + 2 * s.pad
    if (s.filter > ph || s.filter > pw) out.filter = { key: 'convolution.problem.tooLarge', params: { filter: s.filter, height: ph, width: pw } }
  }
  return out
}

/** Parses whitespace- or comma-separated numbers; null when something is not a finite number. */
export function parseValues(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter((p) => p.length > 0)
  const values = parts.map(Number)
  return values.every(Number.isFinite) ? values : null
}

/** Values as text, one line per image row (channels and images one after the other). */
export function formatValues(values: readonly number[], w: number): string {
  const lines: string[] = []
  for (let i = 0; i < values.length; i += w) lines.push(values.slice(i, i + w).join(' '))
  return lines.join('\n')
}

/** Random integers 0…9, like the course's np.random.randint demo input. */
export function randomValues(count: number, random: () => number = Math.random): number[] {
  return Array.from({ length: count }, () => Math.floor(random() * 10))
}

export function geometryOf(shape: ExplorerShape, s: WindowSettings): ConvGeometry {
  return {
    ...shape,
    fh: s.filter,
    fw: s.filter,
    stride: s.stride,
    pad: s.pad,
    oh: convOutputSize(shape.h, s.filter, s.stride, s.pad),
    ow: convOutputSize(shape.w, s.filter, s.stride, s.pad)
  }
}

export interface ColumnMatrix {
  rows: number
  cols: number
  values: Float64Array
}

/** The course's im2col of a valid input: (N·OH·OW, C·FH·FW). */
export function columnMatrix(values: readonly number[], g: ConvGeometry): ColumnMatrix {
  const rows = g.n * g.oh * g.ow
  const cols = g.c * g.fh * g.fw
  const out = new Float64Array(rows * cols)
  im2col(Float64Array.from(values), g, out)
  return { rows, cols, values: out }
}

/** The padded input of one image and channel, row-major (PH·PW), zeros around. */
export function paddedPlane(values: readonly number[], g: ConvGeometry, img: number, ch: number): number[] {
  const ph = g.h + 2 * g.pad
  const pw = g.w + 2 * g.pad
  const out = new Array<number>(ph * pw).fill(0)
  const base = (img * g.c + ch) * g.h * g.w
  for (let y = 0; y < g.h; y++) for (let x = 0; x < g.w; x++) out[(y + g.pad) * pw + x + g.pad] = values[base + y * g.w + x]
  return out
}

/** Where row `row` of the column matrix reads: its image, output position and window top-left in the padded input. */
export interface RowWindow {
  img: number
  oy: number
  ox: number
  top: number
  left: number
}

export function rowWindow(row: number, g: ConvGeometry): RowWindow {
  const perImage = g.oh * g.ow
  const img = Math.floor(row / perImage)
  const rest = row - img * perImage
  const oy = Math.floor(rest / g.ow)
  const ox = rest - oy * g.ow
  return { img, oy, ox, top: oy * g.stride, left: ox * g.stride }
}

/** Whether padded cell (y, x) of image `img` lies in the window of `row` (every channel shares the window). */
export function inWindow(row: number, g: ConvGeometry, img: number, y: number, x: number): boolean {
  const win = rowWindow(row, g)
  return win.img === img && y >= win.top && y < win.top + g.fh && x >= win.left && x < win.left + g.fw
}

/** Header of column k: channel, filter row, filter column, the order of the course's matrix. */
export function columnLabel(k: number, g: ConvGeometry): { c: number; ky: number; kx: number } {
  const per = g.fh * g.fw
  const c = Math.floor(k / per)
  const rest = k - c * per
  return { c, ky: Math.floor(rest / g.fw), kx: rest % g.fw }
}

/**
 * How many windows cover each padded cell of one image (PH·PW): col2im of a matrix of ones. col2im sums the
 * overlaps, so col2im(im2col(x)) is x times this count, not x.
 */
export function coverageCounts(g: ConvGeometry): number[] {
  const ph = g.h + 2 * g.pad
  const pw = g.w + 2 * g.pad
  const out = new Array<number>(ph * pw).fill(0)
  for (let oy = 0; oy < g.oh; oy++)
    for (let ox = 0; ox < g.ow; ox++) for (let ky = 0; ky < g.fh; ky++) for (let kx = 0; kx < g.fw; kx++) out[(oy * g.stride + ky) * pw + ox * g.stride + kx]++
  return out
}

/** Moves a selected row by a key: arrows by one, Page keys by ten, Home/End to the ends; null for other keys. */
export function moveRow(row: number, key: string, rows: number): number | null {
  if (rows <= 0) return null
  const clamp = (r: number): number => Math.max(0, Math.min(rows - 1, r))
  switch (key) {
    case 'ArrowDown':
      return clamp(row + 1)
    case 'ArrowUp':
      return clamp(row - 1)
    case 'PageDown':
      return clamp(row + 10)
    case 'PageUp':
      return clamp(row - 10)
    case 'Home':
      return 0
    case 'End':
      return rows - 1
    default:
      return null
  }
}

// ---- colour scales -------------------------------------------------------------------------------

export type Rgb = [number, number, number]

/** Grey from black (min) to white (max); a flat map is mid-grey. */
export function grayColor(v: number, min: number, max: number): Rgb {
  const t = max > min ? (v - min) / (max - min) : 0.5
  const g = Math.round(Math.max(0, Math.min(1, t)) * 255)
  return [g, g, g]
}

/** Blue (−maxAbs) through white (0) to red (+maxAbs): for weights, whose sign matters. */
export function divergingColor(v: number, maxAbs: number): Rgb {
  const t = maxAbs > 0 ? Math.max(-1, Math.min(1, v / maxAbs)) : 0
  const fade = Math.round(255 * (1 - Math.abs(t)))
  return t >= 0 ? [255, fade, fade] : [fade, fade, 255]
}

export function extent(values: ArrayLike<number>): { min: number; max: number; maxAbs: number } {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v < min) min = v
    if (v > max) max = v
  }
  if (values.length === 0) return { min: 0, max: 0, maxAbs: 0 }
  return { min, max, maxAbs: Math.max(Math.abs(min), Math.abs(max)) }
}

/** Flattens nested arrays of numbers (the engine's weights[f][c][y][x]). */
export function flatten(nested: unknown): number[] {
  return Array.isArray(nested) ? nested.flatMap((v) => flatten(v)) : typeof nested === 'number' ? [nested] : []
}
