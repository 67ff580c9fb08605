import { enlargeRgba } from './colour-image'

/**
 * Sizes a canvas to rows × cols blocks of `cell` × `cell` pixels (at least 1) and paints RGBA pixels into
 * it, each one a block. Returns the context and the block size, for drawing over the picture, or null
 * where there is no canvas or no 2-D context (happy-dom in the component tests).
 */
export function paintEnlarged(
  el: HTMLCanvasElement | null,
  rgba: Uint8ClampedArray,
  rows: number,
  cols: number,
  cell: number
): { ctx: CanvasRenderingContext2D; cell: number } | null {
  const ctx = el?.getContext?.('2d')
  if (!el || !ctx) return null
  const size = Math.max(1, Math.floor(cell))
  el.width = cols * size
  el.height = rows * size
  ctx.putImageData(new ImageData(enlargeRgba(rgba, rows, cols, size), el.width, el.height), 0, 0)
  return { ctx, cell: size }
}
