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

/**
 * A cell's colour: green on the diagonal (right), red off it (wrong), stronger for more images; null for 0.
 * The background is the hue blended over white (opaque), and the text black or white, whichever contrasts
 * more with it: at least 4.5:1 at every strength (WCAG AA), black text meeting white at luminance ≈ 0.18.
 */
export function cellShade(count: number, max: number, diagonal: boolean): { background: string; dark: boolean } | null {
  if (count <= 0 || max <= 0) return null
  const strength = 0.15 + 0.85 * Math.sqrt(Math.min(1, count / max))
  const hue = diagonal ? [21, 128, 61] : [185, 28, 28]
  const rgb = hue.map((c) => Math.round(255 - strength * (255 - c)))
  const luminance = relativeLuminance(rgb)
  const onWhiteText = 1.05 / (luminance + 0.05)
  const onBlackText = (luminance + 0.05) / 0.05
  return { background: `rgb(${rgb.join(', ')})`, dark: onWhiteText > onBlackText }
}

/** WCAG 2's relative luminance of an sRGB colour (0–255 channels). */
export function relativeLuminance([r, g, b]: readonly number[]): number {
  const linear = (c: number): number => {
    const v = c / 255
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
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
