/*
 * 2-D layouts as flat arrays [x₀, y₀, x₁, y₁, …]: putting one onto another (Procrustes), rescaling a
 * start, and rounding for records.
 */

export interface Alignment {
  /** The moved layout. */
  points: Float64Array
  /** The rotation angle (radians), whether the layout was mirrored first, and the scale. */
  angle: number
  reflected: boolean
  scale: number
}

/**
 * Procrustes: the rotation (or reflection), scale and shift of `moving` closest to `fixed` in least
 * squares. In the plane it has a closed form: with both centred, a rotation by θ matches
 * c·cos θ + s·sin θ of the cross terms (c = Σ b·a, s = Σ b×a), best at θ = atan2(s, c) with value √(c² + s²);
 * a mirrored layout (y → −y) is tried the same way and the better of the two kept. The scale is that
 * value over Σ‖b‖². A projection's axes mean nothing, so this is what makes successive ones comparable.
 */
export function procrustes(fixed: Float64Array, moving: Float64Array): Alignment {
  const n = fixed.length / 2
  if (moving.length !== fixed.length || n < 1) throw new RangeError(`procrustes: layouts of ${fixed.length / 2} and ${moving.length / 2} points`)
  const [ax, ay] = mean(fixed)
  const [bx, by] = mean(moving)
  let c = 0
  let s = 0
  let cm = 0
  let sm = 0
  let norm = 0
  for (let i = 0; i < n; i++) {
    const pa = fixed[2 * i] - ax
    const qa = fixed[2 * i + 1] - ay
    const pb = moving[2 * i] - bx
    const qb = moving[2 * i + 1] - by
    c += pb * pa + qb * qa
    s += pb * qa - qb * pa
    // The mirrored layout (pb, −qb).
    cm += pb * pa - qb * qa
    sm += pb * qa + qb * pa
    norm += pb * pb + qb * qb
  }
  const reflected = cm * cm + sm * sm > c * c + s * s
  const [cx, sx] = reflected ? [cm, sm] : [c, s]
  const length = Math.sqrt(cx * cx + sx * sx)
  // cos θ and sin θ straight from the sums (√ is exact on every host; cos, sin and atan2 are not).
  const scale = norm > 0 ? length / norm : 1
  const cos = length > 0 ? (cx / length) * scale : scale
  const sin = length > 0 ? (sx / length) * scale : 0
  // eslint-disable-next-line no-restricted-properties -- display only: the angle is reported, the points above do not use it
  const angle = Math.atan2(sx, cx)
  const points = new Float64Array(moving.length)
  for (let i = 0; i < n; i++) {
    const pb = moving[2 * i] - bx
    const qb = (moving[2 * i + 1] - by) * (reflected ? -1 : 1)
    points[2 * i] = ax + cos * pb - sin * qb
    points[2 * i + 1] = ay + sin * pb + cos * qb
  }
  return { points, angle, reflected, scale }
}

/** Centred, scaled (both axes by one factor) so the coordinates' standard deviation is `spread`. */
export function scaleToSpread(points: Float64Array, spread: number): Float64Array {
  const n = points.length / 2
  const [mx, my] = mean(points)
  let variance = 0
  for (let i = 0; i < n; i++) variance += ((points[2 * i] - mx) ** 2 + (points[2 * i + 1] - my) ** 2) / (2 * n)
  const factor = variance > 0 ? spread / Math.sqrt(variance) : 0
  return Float64Array.from(points, (v, c) => (v - (c % 2 === 0 ? mx : my)) * factor)
}

/** [[x, y], …] with `digits` significant digits: a record keeps the picture, not the float noise. */
export function roundedPairs(points: Float64Array, digits = 4): Array<[number, number]> {
  const round = (v: number): number => (v === 0 || !Number.isFinite(v) ? v : Number(v.toPrecision(digits)))
  return Array.from({ length: points.length / 2 }, (_, i) => [round(points[2 * i]), round(points[2 * i + 1])])
}

export function pairs(points: Float64Array): Array<[number, number]> {
  return Array.from({ length: points.length / 2 }, (_, i) => [points[2 * i], points[2 * i + 1]])
}

function mean(points: Float64Array): [number, number] {
  const n = points.length / 2
  let x = 0
  let y = 0
  for (let i = 0; i < n; i++) {
    x += points[2 * i]
    y += points[2 * i + 1]
  }
  return [x / n, y / n]
}
