import { EMBED_MAX_POINTS, EMBED_METHODS, EMBED_MIN_POINTS, type EmbedMethod } from '../../engine/config/embedding'
import { intOption, parseOptions, UsageError } from '../args'
import { openWithModel } from '../model-files'
import type { EngineEventOf } from '../../engine/protocol'

const METHODS = EMBED_METHODS.join('|')
const USAGE = `usage: lab embed --model FILE [--data NAME|DIR] [--layer NAME] --method ${METHODS} [--n N] [--seed S] [--json]`

/** What each projection keeps, printed under the picture. */
const READING: Record<EmbedMethod, string> = {
  pca: 'the two directions of largest variance: distances and directions are linear, clusters may overlap',
  tsne: 'neighbours stay neighbours; the sizes of clusters and the gaps between them mean little',
  umap: 'neighbours stay neighbours, and more of the larger shape is kept than by t-SNE'
}

/**
 * `lab embed`: a saved model's activations of one layer (by default the last hidden layer before the
 * class scores) for the first N test images, projected to 2-D. JSON:
 * {"method","layer","n","points":[[x,y],…],"labels":[…]} plus predicted, dimensions, seed, settings;
 * otherwise an ASCII scatter of the classes and a summary. Bad input (an unknown method, a layer the
 * model lacks, N out of range, a model for other data) is one line, exit 2.
 */
export async function embedCommand(args: string[]): Promise<number> {
  const options = parseOptions(args, {
    model: { type: 'string' },
    data: { type: 'string' },
    layer: { type: 'string' },
    method: { type: 'string' },
    n: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' }
  })
  if (!options.model) throw new UsageError(`--model is required; ${USAGE}`)
  if (!options.method) throw new UsageError(`--method is required (${METHODS})`)
  const method = options.method as EmbedMethod
  if (!EMBED_METHODS.includes(method)) throw new UsageError(`unknown method "${options.method}": use ${METHODS}`)
  const n = intOption(options.n, '--n', EMBED_MIN_POINTS, EMBED_MAX_POINTS)
  const seed = intOption(options.seed, '--seed', 0, 0xffffffff) ?? 1
  const { engine, dataset } = await openWithModel(options.model, options.data)
  const result = await engine.until('embedding', {
    type: 'embed',
    requestId: 'cli-embed',
    source: 'model',
    split: 'test',
    method,
    seed,
    ...(n !== undefined ? { n } : {}),
    ...(options.layer ? { layer: options.layer } : {})
  })
  if (options.json) {
    const { layer, points, labels, predicted, dimensions, settings } = result
    process.stdout.write(JSON.stringify({ method, layer, n: result.n, points, labels, predicted, dimensions, seed, settings }) + '\n')
    return 0
  }
  process.stdout.write(asciiScatter(result.points, result.labels))
  process.stdout.write(summary(result, dataset.classes))
  return 0
}

const COLUMNS = 64
const ROWS = 24
/** One mark per class (the label's last digit or letter), '*' where classes share a cell. */
const MARKS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** The points on a character grid, each cell marked with the class of its points ('*' when several). */
export function asciiScatter(points: Array<[number, number]>, labels: number[]): string {
  const xs = points.map((p) => p[0])
  const ys = points.map((p) => p[1])
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]
  const cell = (v: number, lo: number, hi: number, size: number): number => (hi > lo ? Math.min(size - 1, Math.floor(((v - lo) / (hi - lo)) * size)) : 0)
  const grid: string[][] = Array.from({ length: ROWS }, () => new Array<string>(COLUMNS).fill(' '))
  points.forEach(([x, y], i) => {
    const row = ROWS - 1 - cell(y, y0, y1, ROWS)
    const column = cell(x, x0, x1, COLUMNS)
    const mark = MARKS[labels[i] % MARKS.length]
    grid[row][column] = grid[row][column] === ' ' || grid[row][column] === mark ? mark : '*'
  })
  const border = '+' + '-'.repeat(COLUMNS) + '+'
  return [border, ...grid.map((row) => '|' + row.join('') + '|'), border].join('\n') + '\n'
}

function summary(result: EngineEventOf<'embedding'>, classes: readonly string[]): string {
  const named = classes.some((c, k) => c !== String(k))
  const lines = [
    `${result.method} of ${result.layer} (${result.dimensions} values per image) for the first ${result.n} ${result.split} images, seed ${result.seed}`,
    `${READING[result.method]}${result.explained ? `; variance explained ${(result.explained[0] * 100).toFixed(1)} % + ${(result.explained[1] * 100).toFixed(1)} %` : ''}`,
    `nearest-neighbour agreement: ${(neighbourAgreement(result.points, result.labels) * 100).toFixed(1)} % of the points have a nearest neighbour of their own class`
  ]
  if (named) lines.push(`marks: ${classes.map((c, k) => `${MARKS[k % MARKS.length]}=${c}`).join(' ')}`)
  return lines.join('\n') + '\n'
}

/** Share of points whose nearest other point (in 2-D) has the same label: how well the picture separates the classes. */
export function neighbourAgreement(points: Array<[number, number]>, labels: number[]): number {
  let agree = 0
  points.forEach(([x, y], i) => {
    let best = -1
    let bestDistance = Infinity
    points.forEach(([u, v], j) => {
      const d = (x - u) ** 2 + (y - v) ** 2
      if (j !== i && d < bestDistance) [best, bestDistance] = [j, d]
    })
    if (best >= 0 && labels[best] === labels[i]) agree++
  })
  return agree / points.length
}
