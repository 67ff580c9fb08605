import { describe, expect, it } from 'vitest'
import { frameAt, normalizeFrame, replayFrames } from '@renderer/lib/embedding/replay'
import { boundsOf, keyboardBox, moveBox, nearestPoint, pointsInBox, toData, toPixel, type Point2 } from '@renderer/lib/embedding/geometry'
import { classStyle, MARKERS } from '@renderer/lib/embedding/class-style'
import { LINE_COLORS } from '@renderer/lib/palette'

/** A seeded cloud of points (mulberry32), so the tests see the same shapes every time. */
function cloud(n: number, seed: number): Point2[] {
  let a = seed >>> 0
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return Array.from({ length: n }, () => [rand() * 4 - 2, rand() * 2 - 1] as const)
}

const distance = (a: readonly Point2[], b: readonly Point2[]): number => Math.max(...a.map((p, i) => Math.hypot(p[0] - b[i][0], p[1] - b[i][1])))

describe('replaying a run’s projections', () => {
  const target = cloud(200, 1)

  it('centres each frame at unit size, keeping its orientation and shape', () => {
    const frames = [target.map(([x, y]) => [10 * x + 1, 10 * y - 3] as const), target.map(([x, y]) => [x * 0.01, y * 0.01] as const)]
    const [first, second] = replayFrames(frames)
    const rms = (f: readonly Point2[]): number => Math.sqrt(f.reduce((s, [x, y]) => s + x * x + y * y, 0) / f.length)
    const mean = (f: readonly Point2[]): number[] => [f.reduce((s, p) => s + p[0], 0) / f.length, f.reduce((s, p) => s + p[1], 0) / f.length]
    expect(rms(first)).toBeCloseTo(1, 12)
    // A shrunken late frame fills the view as the first did: the same picture, point for point.
    expect(rms(second)).toBeCloseTo(1, 12)
    expect(distance(second, first)).toBeLessThan(1e-9)
    expect(mean(first)[0]).toBeCloseTo(0, 12)
    expect(mean(first)[1]).toBeCloseTo(0, 12)
    // Not turned: the x order of the points stays.
    expect(first[0][0] < first[1][0]).toBe(target[0][0] < target[1][0])
    expect(normalizeFrame([])).toEqual([])
    expect(normalizeFrame([[2, 3]])).toEqual([[0, 0]])
  })

  it('interpolates between neighbouring frames, and clamps at the ends', () => {
    const a: Point2[] = [
      [0, 0],
      [2, 2]
    ]
    const b: Point2[] = [
      [1, 0],
      [2, 4]
    ]
    const c: Point2[] = [
      [5, 5],
      [5, 5]
    ]
    expect(frameAt([a, b, c], 0)).toEqual(a)
    expect(frameAt([a, b, c], 0.25)).toEqual([
      [0.25, 0],
      [2, 2.5]
    ])
    expect(frameAt([a, b, c], 1.5)).toEqual([
      [3, 2.5],
      [3.5, 4.5]
    ])
    expect(frameAt([a, b, c], 9)).toEqual(c)
    expect(frameAt([a, b, c], -1)).toEqual(a)
    expect(frameAt([], 0.5)).toEqual([])
  })
})

describe('the scatter’s geometry', () => {
  const points: Point2[] = [
    [0, 0],
    [1, 1],
    [2, 0.5],
    [-1, -1],
    [1.5, 1.5]
  ]
  const bounds = boundsOf([points], 0)

  it('maps data to pixels and back, y upwards', () => {
    expect(bounds).toEqual({ xMin: -1, xMax: 2, yMin: -1, yMax: 1.5 })
    expect(toPixel(bounds, 300, 250, [-1, 1.5])).toEqual([0, 0])
    expect(toPixel(bounds, 300, 250, [2, -1])).toEqual([300, 250])
    const [x, y] = toData(bounds, 300, 250, toPixel(bounds, 300, 250, [0.3, 0.7]))
    expect(x).toBeCloseTo(0.3, 12)
    expect(y).toBeCloseTo(0.7, 12)
  })

  it('finds the point under the pointer within a radius, and none farther', () => {
    const [px, py] = toPixel(bounds, 300, 250, [1, 1])
    expect(nearestPoint(points, bounds, 300, 250, [px + 3, py - 2], 6)).toBe(1)
    expect(nearestPoint(points, bounds, 300, 250, [px + 30, py], 6)).toBe(-1)
  })

  it('lists the points inside a box, corners in any order, edges included', () => {
    expect(pointsInBox(points, { x0: 0, y0: 0, x1: 1.5, y1: 1.5 })).toEqual([0, 1, 4])
    expect(pointsInBox(points, { x0: 1.5, y0: 1.5, x1: 0, y1: 0 })).toEqual([0, 1, 4])
    expect(pointsInBox(points, { x0: 5, y0: 5, x1: 6, y1: 6 })).toEqual([])
  })

  it('gives a degenerate cloud a box of its own', () => {
    expect(boundsOf([[[1, 1]]], 0)).toEqual({ xMin: 0.5, xMax: 1.5, yMin: 0.5, yMax: 1.5 })
    expect(boundsOf([[]])).toEqual({ xMin: -1, xMax: 1, yMin: -1, yMax: 1 })
  })

  it('moves the keyboard’s box by the arrows within the view, and Shift+arrows resize it', () => {
    const view = { xMin: 0, xMax: 10, yMin: 0, yMax: 10 }
    const box = keyboardBox(view)
    expect(box).toEqual({ x0: 3.75, y0: 3.75, x1: 6.25, y1: 6.25 })
    const right = moveBox(box, view, 'ArrowRight', false)
    expect(right.x0).toBeCloseTo(4.75, 12)
    expect(right.y0).toBe(3.75)
    let far = box
    for (let i = 0; i < 20; i++) far = moveBox(far, view, 'ArrowUp', false)
    expect(far.y1).toBe(10)
    expect(far.y1 - far.y0).toBeCloseTo(2.5, 12)
    const grown = moveBox(box, view, 'ArrowRight', true)
    expect(grown.x1 - grown.x0).toBeCloseTo(3.5, 12)
    let shrunk = box
    for (let i = 0; i < 10; i++) shrunk = moveBox(shrunk, view, 'ArrowDown', true)
    expect(shrunk.y1 - shrunk.y0).toBeCloseTo(1, 12)
  })
})

describe('class styles', () => {
  it('gives the first 40 classes distinct colour-and-marker pairs from the colour-blind-safe palette', () => {
    const pairs = new Set(Array.from({ length: 40 }, (_, k) => `${classStyle(k).color}/${classStyle(k).marker}`))
    expect(pairs.size).toBe(40)
    expect(LINE_COLORS).toContain(classStyle(3).color)
    expect(MARKERS).toContain(classStyle(3).marker)
  })
})
