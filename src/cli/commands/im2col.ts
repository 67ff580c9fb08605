import { readFileSync } from 'node:fs'
import { col2im } from '../../engine/kernels/col2im'
import { colCols, colRows, convOutputSize, windowProblem } from '../../engine/kernels/conv-shape'
import { im2col } from '../../engine/kernels/im2col'
import { intOption, parseOptions, UsageError } from '../args'
import { parseNestedArray, toNestedArray } from '../nested-array'
import { prettyJson } from '../pretty-json'

const USAGE = 'usage: lab im2col --input FILE.json --fh N [--fw N] [--stride S] [--pad P] [--col2im]'

/**
 * `lab im2col`: the course's im2col on an N×C×H×W nested JSON array — one row per output position,
 * columns by channel, filter row, filter column — printed as JSON; with --col2im also col2im of that
 * matrix (each pixel times the number of windows covering it). Bad input exits 2 with one line.
 */
export function im2colCommand(args: string[]): number {
  const options = parseOptions(args, {
    input: { type: 'string' },
    fh: { type: 'string' },
    fw: { type: 'string' },
    stride: { type: 'string' },
    pad: { type: 'string' },
    col2im: { type: 'boolean' }
  })
  if (!options.input) throw new UsageError(`--input is required\n${USAGE}`)
  const fh = intOption(options.fh, '--fh', 1, 1000)
  if (fh === undefined) throw new UsageError(`--fh is required\n${USAGE}`)
  const fw = intOption(options.fw, '--fw', 1, 1000) ?? fh
  const stride = intOption(options.stride, '--stride', 1, 1000) ?? 1
  const pad = intOption(options.pad, '--pad', 0, 1000) ?? 0

  const { shape, data } = parseNestedArray(readJson(options.input), 4, 'input', 'N×C×H×W')
  const [n, c, h, w] = shape
  const problem = windowProblem(h, w, fh, fw, stride, pad)
  if (problem) throw new UsageError(`${problem}, for an input of shape ${shape.join('×')}`)
  const g = { n, c, h, w, fh, fw, stride, pad, oh: convOutputSize(h, fh, stride, pad), ow: convOutputSize(w, fw, stride, pad) }
  const col = new Float64Array(colRows(g) * colCols(g))
  im2col(data, g, col)
  const result: Record<string, unknown> = {
    input: shape,
    window: { fh, fw, stride, pad },
    output: [g.oh, g.ow],
    shape: [colRows(g), colCols(g)],
    col: toNestedArray(col, [colRows(g), colCols(g)])
  }
  if (options.col2im) {
    const back = new Float64Array(data.length)
    col2im(col, g, back)
    result.col2im = toNestedArray(back, shape)
  }
  process.stdout.write(prettyJson(result) + '\n')
  return 0
}

function readJson(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read --input "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UsageError(`--input "${file}" is not JSON: ${(error as Error).message}`)
  }
}
