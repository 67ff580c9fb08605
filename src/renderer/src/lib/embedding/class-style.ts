import { LINE_COLORS } from '@renderer/lib/palette'

/**
 * How a class is drawn in the scatter: a colour AND a marker shape, so classes stay apart for colour-blind
 * students and in greyscale print (as runs do with colour and dash). Colours are palette.ts's Okabe–Ito
 * list; the two lists have coprime lengths (8 and 5), so the first 40 classes all get distinct pairs.
 */
export const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross'] as const
export type Marker = (typeof MARKERS)[number]

export interface ClassStyle {
  color: string
  marker: Marker
}

export function classStyle(k: number): ClassStyle {
  const i = Math.max(0, Math.floor(k))
  return { color: LINE_COLORS[i % LINE_COLORS.length], marker: MARKERS[i % MARKERS.length] }
}

/** Draws one marker centred on (x, y), `r` its half-size, on a 2-D canvas context. */
export function drawMarker(ctx: CanvasRenderingContext2D, marker: Marker, x: number, y: number, r: number): void {
  ctx.beginPath()
  switch (marker) {
    case 'circle':
      ctx.arc(x, y, r, 0, 2 * Math.PI)
      ctx.fill()
      return
    case 'square':
      ctx.fillRect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7)
      return
    case 'triangle':
      ctx.moveTo(x, y - r)
      ctx.lineTo(x + r, y + r * 0.8)
      ctx.lineTo(x - r, y + r * 0.8)
      ctx.closePath()
      ctx.fill()
      return
    case 'diamond':
      ctx.moveTo(x, y - r * 1.1)
      ctx.lineTo(x + r, y)
      ctx.lineTo(x, y + r * 1.1)
      ctx.lineTo(x - r, y)
      ctx.closePath()
      ctx.fill()
      return
    case 'cross':
      ctx.lineWidth = Math.max(1.5, r * 0.6)
      ctx.moveTo(x - r, y - r)
      ctx.lineTo(x + r, y + r)
      ctx.moveTo(x + r, y - r)
      ctx.lineTo(x - r, y + r)
      ctx.stroke()
      return
  }
}
