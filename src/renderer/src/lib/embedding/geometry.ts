/*
 * The scatter's geometry, apart from any canvas: the data's bounds, data ↔ pixel transforms, the point
 * under the pointer, and the points inside a selection box (drawn with the mouse or moved by the keys).
 */

export type Point2 = readonly [number, number]

export interface Bounds {
  xMin: number
  xMax: number
  yMin: number
  yMax: number
}

/** A box in data coordinates, corners in any order. */
export interface Box {
  x0: number
  y0: number
  x1: number
  y1: number
}

/** The points' bounds with a margin (a fraction of each side); a degenerate side gets a unit width. */
export function boundsOf(frames: readonly (readonly Point2[])[], margin = 0.05): Bounds {
  let xMin = Infinity
  let xMax = -Infinity
  let yMin = Infinity
  let yMax = -Infinity
  for (const points of frames) {
    for (const [x, y] of points) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue
      if (x < xMin) xMin = x
      if (x > xMax) xMax = x
      if (y < yMin) yMin = y
      if (y > yMax) yMax = y
    }
  }
  if (xMin > xMax) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 }
  const widen = (lo: number, hi: number): [number, number] => {
    if (hi === lo) return [lo - 0.5 - margin, hi + 0.5 + margin]
    const span = hi - lo
    return [lo - span * margin, hi + span * margin]
  }
  const [x0, x1] = widen(xMin, xMax)
  const [y0, y1] = widen(yMin, yMax)
  return { xMin: x0, xMax: x1, yMin: y0, yMax: y1 }
}

/** Data → pixels on a width × height canvas; y grows upwards in the data, downwards on the canvas. */
export function toPixel(bounds: Bounds, width: number, height: number, [x, y]: Point2): [number, number] {
  return [((x - bounds.xMin) / (bounds.xMax - bounds.xMin)) * width, ((bounds.yMax - y) / (bounds.yMax - bounds.yMin)) * height]
}

export function toData(bounds: Bounds, width: number, height: number, [px, py]: Point2): [number, number] {
  return [bounds.xMin + (px / width) * (bounds.xMax - bounds.xMin), bounds.yMax - (py / height) * (bounds.yMax - bounds.yMin)]
}

/** The index of the point nearest to (px, py) in pixels, if one is within `radius` pixels; else -1. */
export function nearestPoint(points: readonly Point2[], bounds: Bounds, width: number, height: number, pixel: Point2, radius: number): number {
  let best = -1
  let bestD = radius * radius
  for (let i = 0; i < points.length; i++) {
    const [x, y] = toPixel(bounds, width, height, points[i])
    const d = (x - pixel[0]) ** 2 + (y - pixel[1]) ** 2
    if (d <= bestD) {
      bestD = d
      best = i
    }
  }
  return best
}

export function normalizeBox(box: Box): Box {
  return { x0: Math.min(box.x0, box.x1), y0: Math.min(box.y0, box.y1), x1: Math.max(box.x0, box.x1), y1: Math.max(box.y0, box.y1) }
}

/** Indices of the points inside the box (edges included), in the points' order. */
export function pointsInBox(points: readonly Point2[], box: Box): number[] {
  const b = normalizeBox(box)
  const inside: number[] = []
  points.forEach(([x, y], i) => {
    if (x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1) inside.push(i)
  })
  return inside
}

/**
 * The keyboard's box: a box a quarter of the view wide, centred; the arrows move it (Shift: grow or shrink
 * it instead), a tenth of the view per press, kept inside the bounds.
 */
export function keyboardBox(bounds: Bounds): Box {
  const w = (bounds.xMax - bounds.xMin) / 4
  const h = (bounds.yMax - bounds.yMin) / 4
  const cx = (bounds.xMin + bounds.xMax) / 2
  const cy = (bounds.yMin + bounds.yMax) / 2
  return { x0: cx - w / 2, y0: cy - h / 2, x1: cx + w / 2, y1: cy + h / 2 }
}

export type BoxKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown'

export function moveBox(box: Box, bounds: Bounds, key: BoxKey, resize: boolean): Box {
  const b = normalizeBox(box)
  const sx = (bounds.xMax - bounds.xMin) / 10
  const sy = (bounds.yMax - bounds.yMin) / 10
  const dx = key === 'ArrowLeft' ? -sx : key === 'ArrowRight' ? sx : 0
  const dy = key === 'ArrowDown' ? -sy : key === 'ArrowUp' ? sy : 0
  if (resize) {
    // Shift+arrows move the right and top edges: → ↑ grow, ← ↓ shrink, never below a tenth of the view.
    return { ...b, x1: Math.max(b.x0 + sx, Math.min(bounds.xMax, b.x1 + dx)), y1: Math.max(b.y0 + sy, Math.min(bounds.yMax, b.y1 + dy)) }
  }
  const mx = Math.min(bounds.xMax - b.x1, Math.max(bounds.xMin - b.x0, dx))
  const my = Math.min(bounds.yMax - b.y1, Math.max(bounds.yMin - b.y0, dy))
  return { x0: b.x0 + mx, y0: b.y0 + my, x1: b.x1 + mx, y1: b.y1 + my }
}
