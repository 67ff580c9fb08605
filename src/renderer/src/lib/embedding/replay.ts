import type { Point2 } from './geometry'

/*
 * A run's projections at its evaluations as one moving picture: each frame at the same size, and the
 * picture between two evaluations drawn by moving every point along the straight line between them.
 */

/** A frame's points centred on their mean and scaled to unit root-mean-square radius. */
export function normalizeFrame(points: readonly Point2[]): Point2[] {
  const n = points.length
  if (n === 0) return []
  let mx = 0
  let my = 0
  for (const [x, y] of points) {
    mx += x
    my += y
  }
  mx /= n
  my /= n
  let ss = 0
  for (const [x, y] of points) ss += (x - mx) ** 2 + (y - my) ** 2
  const scale = ss > 0 ? 1 / Math.sqrt(ss / n) : 1
  return points.map(([x, y]) => [(x - mx) * scale, (y - my) * scale] as const)
}

/**
 * The frames of a replay, each centred at unit size. The engine has already turned each snapshot onto the
 * one before it (Procrustes, src/engine/embed/layout.ts); the size is made the frame's own here because
 * activations grow as a network trains, and the early frames' spread would otherwise leave the late ones
 * small in a view that fits them all.
 */
export function replayFrames(frames: readonly (readonly Point2[])[]): Point2[][] {
  return frames.map(normalizeFrame)
}

/** The picture at a fractional position along the aligned frames: straight lines between neighbours. */
export function frameAt(frames: readonly (readonly Point2[])[], position: number): Point2[] {
  if (frames.length === 0) return []
  const p = Math.min(frames.length - 1, Math.max(0, position))
  const i = Math.floor(p)
  const t = p - i
  const a = frames[i]
  if (t === 0 || i + 1 >= frames.length) return a.map((q) => [q[0], q[1]] as const)
  const b = frames[i + 1]
  return a.map((q, k) => [q[0] + (b[k][0] - q[0]) * t, q[1] + (b[k][1] - q[1]) * t] as const)
}
