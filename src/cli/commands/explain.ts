import { intOption, parseOptions, UsageError } from '../args'
import { openWithModel } from '../model-files'
import type { EngineEventOf } from '../../engine/protocol'

const METHODS = 'saliency|gradxinput|smoothgrad|integrated|occlusion|gradcam'
const USAGE = `usage: lab explain --model FILE [--data NAME|DIR] [--split test|train] --index I --method ${METHODS} [--class K] [--layer NAME] [--json]`

/** What each map answers, printed under it. */
const READING: Record<string, string> = {
  saliency: 'Σ_c |∂score/∂pixel|: where a small change of the image moves the class score most',
  gradxinput: "Σ_c pixel · ∂score/∂pixel: each pixel's first-order share of the score (0 on black pixels)",
  smoothgrad: 'Σ_c |mean ∂score/∂pixel over noisy copies|: the saliency without its pixel-to-pixel noise',
  integrated: 'Σ_c (pixel − black) · mean gradient on the path from black: shares that add up to score(image) − score(black)',
  occlusion: 'how much the class score drops when a patch over the pixel is blacked out',
  gradcam: "ReLU(Σ_k w_k A_k) of a conv layer, w_k the mean gradient of map k: the regions the layer's evidence for the class comes from"
}

/**
 * `lab explain`: why a saved model gives its answer for one image of the data — a map over the image,
 * larger = more important for the class (the predicted one unless --class). JSON:
 * {"index","label","predicted","class","method","height","width","map":[[…]]}; otherwise an ASCII heat map
 * and a summary. Bad input (an index outside the split, an unknown method, a Grad-CAM layer that is not
 * a conv layer) is one line, exit 2.
 */
export async function explainCommand(args: string[]): Promise<number> {
  const options = parseOptions(args, {
    model: { type: 'string' },
    data: { type: 'string' },
    split: { type: 'string' },
    index: { type: 'string' },
    method: { type: 'string' },
    class: { type: 'string' },
    layer: { type: 'string' },
    json: { type: 'boolean' }
  })
  // One line each, the usage included: bad input is always one line.
  if (!options.model) throw new UsageError(`--model is required; ${USAGE}`)
  if (options.index === undefined) throw new UsageError(`--index is required; ${USAGE}`)
  if (!options.method) throw new UsageError(`--method is required (${METHODS})`)
  const split = options.split ?? 'test'
  if (split !== 'test' && split !== 'train') throw new UsageError(`--split must be test or train, got "${split}"`)
  const index = intOption(options.index, '--index', 0, 2 ** 31 - 1)!
  const target = intOption(options.class, '--class', 0, 99)
  const { engine, dataset } = await openWithModel(options.model, options.data)
  const result = await engine.until('explanation', {
    type: 'explainImage',
    requestId: 'cli-explain',
    split,
    index,
    method: options.method,
    ...(target !== undefined ? { class: target } : {}),
    ...(options.layer ? { layer: options.layer } : {})
  })
  const rows = Array.from({ length: result.height }, (_, y) => result.map.slice(y * result.width, (y + 1) * result.width))
  if (options.json) {
    const { label, predicted, method, height, width } = result
    process.stdout.write(JSON.stringify({ index, label, predicted, class: result.class, method, height, width, map: rows }) + '\n')
    return 0
  }
  process.stdout.write(asciiHeatMap(rows))
  process.stdout.write(summary(result, dataset.classes))
  return 0
}

const RAMP = ' .:-=+*#%@'

/** One character per pixel (two for narrow images, so the picture keeps its shape), by tenths of the largest value; blank ≈ 0 or below. */
export function asciiHeatMap(rows: number[][]): string {
  const max = Math.max(...rows.flat())
  const repeat = rows[0].length <= 40 ? 2 : 1
  const shade = (v: number): string => (max > 0 && v > 0 ? RAMP[Math.round((v / max) * (RAMP.length - 1))] : ' ')
  return rows.map((row) => row.map((v) => shade(v).repeat(repeat)).join('')).join('\n') + '\n'
}

function summary(result: EngineEventOf<'explanation'>, classes: readonly string[]): string {
  const name = (k: number): string => (classes[k] !== undefined && classes[k] !== String(k) ? `${k} (${classes[k]})` : String(k))
  const max = Math.max(...result.map)
  const lines = [
    `image ${result.index} of the ${result.split} split, label ${name(result.label!)}: predicted ${name(result.predicted)}; explained class ${name(result.class)}, score ${result.scores[result.class].toFixed(4)}`,
    `${result.method}${result.layer ? ` on ${result.layer}` : ''}: ${READING[result.method]}`,
    `scale: '${RAMP.at(-1)}' = ${max.toPrecision(4)}, each of '${RAMP.slice(1, -1)}' a ninth less; blank ≈ 0 or below`
  ]
  if (result.completeness) {
    const { attributionSum, outputDifference, relativeError } = result.completeness
    lines.push(
      `completeness: Σ attributions ${attributionSum.toFixed(4)} vs score(image) − score(black) ${outputDifference.toFixed(4)} (${(relativeError * 100).toFixed(2)} % apart)`
    )
  }
  return lines.join('\n') + '\n'
}
