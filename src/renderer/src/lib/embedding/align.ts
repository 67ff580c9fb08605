import type { Point2 } from './geometry'

/*
 * A run's projections at its evaluations are computed one by one, so each may come out turned, mirrored
 * (PCA's signs, t-SNE's and UMAP's arbitrary orientation) or scaled against the one before. Aligning each
 * to the previous one (orthogonal Procrustes: the rotation or reflection, scale and shift that bring it
 * nearest) leaves only the real change, and moving between aligned frames then looks like the classes moving.
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
 * `moving` turned (or mirrored), scaled and shifted onto `target` (the same points in the same order) with
 * the least squared distance. Both are centred first; the best rotation of B onto A has cos ∝ Σ(a·b) and
 * sin ∝ Σ(a×b), and the mirror image (y negated) is tried too.
 */
export function alignTo(target: readonly Point2[], moving: readonly Point2[]): Point2[] {
  const n = Math.min(target.length, moving.length)
  if (n === 0 || target.length !== moving.length) return moving.map((p) => [p[0], p[1]] as const)
  const mean = (ps: readonly Point2[]): [number, number] => {
    let x = 0
    let y = 0
    for (const p of ps) {
      x += p[0]
      y += p[1]
    }
    return [x / n, y / n]
  }
  const [ax, ay] = mean(target)
  const [bx, by] = mean(moving)
  // a·R(θ)b = cos θ·Σ(a·b) + sin θ·Σ(a₁b₀ − a₀b₁); the same for the mirror image (b₀, −b₁).
  let dot = 0
  let cross = 0
  let dotMirror = 0
  let crossMirror = 0
  let norm = 0
  for (let i = 0; i < n; i++) {
    const a0 = target[i][0] - ax
    const a1 = target[i][1] - ay
    const b0 = moving[i][0] - bx
    const b1 = moving[i][1] - by
    dot += a0 * b0 + a1 * b1
    cross += b0 * a1 - b1 * a0
    dotMirror += a0 * b0 - a1 * b1
    crossMirror += b0 * a1 + b1 * a0
    norm += b0 * b0 + b1 * b1
  }
  const plain = Math.hypot(dot, cross)
  const mirrored = Math.hypot(dotMirror, crossMirror)
  const mirror = mirrored > plain
  const [c, s] = mirror ? [dotMirror, crossMirror] : [dot, cross]
  const len = Math.hypot(c, s)
  if (norm === 0 || len === 0) return moving.map(([x, y]) => [x - bx + ax, y - by + ay] as const)
  const scale = len / norm
  const cos = c / len
  const sin = s / len
  return moving.map(([x, y]) => {
    const u = x - bx
    const v = mirror ? -(y - by) : y - by
    return [ax + scale * (cos * u - sin * v), ay + scale * (sin * u + cos * v)] as const
  })
}

/**
 * Every frame turned onto the one before it, and each centred at unit size: one moving picture. The size
 * is the frame's own (activations grow as a network trains, and the early frames' spread would otherwise
 * leave the late ones small in a view that fits them all).
 */
export function alignFrames(frames: readonly (readonly Point2[])[]): Point2[][] {
  const out: Point2[][] = []
  for (const frame of frames) out.push(normalizeFrame(out.length === 0 ? frame : alignTo(out[out.length - 1], frame)))
  return out
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
