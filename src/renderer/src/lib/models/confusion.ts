/*
 * The confusion matrix's labels and shading, for any number of classes (2 to 100): class names when the
 * model's names fit the matrix, short forms for the column headers of a wide matrix.
 */

/** Above this many classes the matrix is drawn compact: narrow cells, vertical column names. */
export const COMPACT_FROM = 13

/** One label per row and column: the class names, or the indices when the names do not fit the matrix. */
export function confusionLabels(classes: readonly string[] | null | undefined, size: number): string[] {
  if (classes && classes.length === size) return [...classes]
  return Array.from({ length: size }, (_, i) => String(i))
}

/** A name cut to `max` characters (code points, so a kanji or an emoji is not split) with an ellipsis. */
export function shortLabel(name: string, max: number): string {
  const chars = [...name]
  return chars.length <= max ? name : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`
}

/** A cell's colour: green on the diagonal (right), red off it (wrong), stronger for more images; null for 0. */
export function cellShade(count: number, max: number, diagonal: boolean): { background: string; dark: boolean } | null {
  if (count <= 0 || max <= 0) return null
  const strength = 0.15 + 0.85 * Math.sqrt(Math.min(1, count / max))
  const hue = diagonal ? '22, 163, 74' : '220, 38, 38'
  return { background: `rgba(${hue}, ${strength.toFixed(3)})`, dark: strength > 0.55 }
}

/** The most images in any cell: diagonal cells dominate, so a wide matrix is shaded off the diagonal on its own maximum. */
export function cellMaxima(confusion: readonly (readonly number[])[]): { diagonal: number; offDiagonal: number } {
  let diagonal = 0
  let offDiagonal = 0
  confusion.forEach((row, i) =>
    row.forEach((count, j) => {
      if (i === j) diagonal = Math.max(diagonal, count)
      else offDiagonal = Math.max(offDiagonal, count)
    })
  )
  return { diagonal, offDiagonal }
}
