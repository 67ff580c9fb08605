/*
 * What #/draw can offer a model: drawing needs a 28×28 grey model (the drawing becomes an MNIST image);
 * an image file suits any model (the engine converts and resizes it to the model's input). And the class
 * scores as rows for the bar chart: every class in order for up to `limit` classes, else the most likely.
 */

/** [channels, height, width] of the images a model takes. */
export type ImageShape = readonly number[]

/** A drawing can be read by a model that takes 28×28 grey images (what predictDigit sends). */
export function canDraw(shape: ImageShape): boolean {
  return shape.length === 3 && shape[0] === 1 && shape[1] === 28 && shape[2] === 28
}

/** The i18n key and parameters of the one line that says what the model takes instead of a drawing. */
export function needsImageFile(shape: ImageShape): { key: string; params: Record<string, number> } | null {
  if (canDraw(shape)) return null
  const [channels, rows, cols] = shape
  return { key: channels === 3 ? 'draw.needsColourFile' : 'draw.needsGreyFile', params: { rows, cols } }
}

export interface ClassScore {
  index: number
  name: string
  probability: number
}

/** Rows for the bars: all classes in order when there are at most `limit`, else the `limit` most likely, best first. */
export function classScoreRows(probabilities: readonly number[], classes: readonly string[], limit = 10): ClassScore[] {
  const rows = probabilities.map((probability, index) => ({
    index,
    name: classes.length === probabilities.length ? classes[index] : String(index),
    probability
  }))
  if (rows.length <= limit) return rows
  return [...rows].sort((a, b) => b.probability - a.probability || a.index - b.index).slice(0, limit)
}

/** The index of the most likely class (the first of equals), or null without scores. */
export function bestClass(probabilities: readonly number[] | null): number | null {
  if (!probabilities || probabilities.length === 0) return null
  let best = 0
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i
  return best
}
