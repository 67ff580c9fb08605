import { describe, expect, it } from 'vitest'
import { BOWL, ROSENBROCK, SADDLE, sampleSurface } from '../../../src/engine/visual/surfaces'
import {
  DEFAULT_PATH_LR,
  PATH_OPTIMIZERS,
  SURFACE_PATH_LR,
  optimizerPath,
  pathOptimizerSpec,
  type PathOptimizer
} from '../../../src/engine/visual/optimizer-paths'

/*
 * f(x, y) = x²/20 + y², ∇f = (x/10, 2y), from (−7, 2) with the book's learning rates. The expected points
 * were worked out by hand from each update rule (written next to them), not by running the classes.
 */
const HAND: Record<PathOptimizer, Array<[number, number]>> = {
  // p ← p − 0.95·g: g₁ = (−0.7, 4) → (−7 + 0.665, 2 − 3.8); then g₂ = (−0.6335, −3.6), …
  sgd: [
    [-6.335, -1.8],
    [-5.733175, 1.62],
    [-5.188523375, -1.458]
  ],
  // v ← 0.9v − 0.1g, p ← p + v: v₁ = (0.07, −0.4); v₂ = (0.063 + 0.0693, −0.36 − 0.32) = (0.1323, −0.68); …
  momentum: [
    [-6.93, 1.6],
    [-6.7977, 0.92],
    [-6.610653, 0.124]
  ],
  // v ← 0.9v − 0.1g; p ← p + 0.81v − 1.9·0.1g: step 1 = 0.81·(0.07, −0.4) + 0.19·(0.7, −4) = (0.1897, −1.084)
  nesterov: [
    [-6.8103, 0.916],
    [-6.57471087, 0.127928],
    [-6.300962118423, -0.337401776]
  ],
  // h ← h + g², p ← p − 1.5g/(√h + 1e-7): the first step is 1.5 per coordinate against the gradient's sign
  adagrad: [
    [-5.500000214285683, 0.5000000374999991],
    [-4.573267968164272, 0.13619658308878757],
    [-3.887842338970987, 0.03731457049652155]
  ],
  // h ← 0.99h + 0.01g², p ← p − 0.15g/(√h + 1e-7): the first step is 0.15/√0.01 = 1.5 per coordinate
  rmsprop: [
    [-5.500002142854083, 0.5000003749999071],
    [-4.570392308085172, 0.13447257208593705],
    [-3.880895909135935, 0.03588410319538028]
  ],
  // lr_t = 0.3·√(1 − 0.999ᵗ)/(1 − 0.9ᵗ); m, v moving averages: the first step is 0.3 per coordinate
  adam: [
    [-6.700001355255732, 1.700000237170637],
    [-6.400416624043272, 1.4022457408988034],
    [-6.1015490069813225, 1.108912039425857]
  ]
}

describe('optimizer paths on x²/20 + y²', () => {
  for (const [kind, expected] of Object.entries(HAND) as Array<[PathOptimizer, Array<[number, number]>]>) {
    it(`${kind}: the first three steps match the hand-worked values`, () => {
      const path = optimizerPath(pathOptimizerSpec(kind, DEFAULT_PATH_LR[kind]), BOWL, 3)
      expect(path.points[0]).toEqual([-7, 2])
      expect(path.points).toHaveLength(4)
      path.points.slice(1).forEach(([x, y], k) => {
        expect(x, `${kind} step ${k + 1} x`).toBeCloseTo(expected[k][0], 12)
        expect(y, `${kind} step ${k + 1} y`).toBeCloseTo(expected[k][1], 12)
      })
      expect(path.stopped).toBeNull()
    })
  }

  it("the book's defaults all head for the minimum in 30 steps", () => {
    for (const kind of Object.keys(HAND) as PathOptimizer[]) {
      const path = optimizerPath(pathOptimizerSpec(kind, DEFAULT_PATH_LR[kind]), BOWL, 30)
      const [x, y] = path.points.at(-1)!
      expect(BOWL.value(x, y), kind).toBeLessThan(BOWL.value(-7, 2))
    }
  })

  it('a learning rate that diverges stops the path where it leaves the plot, and says so', () => {
    const path = optimizerPath(pathOptimizerSpec('sgd', 1.2), BOWL, 30)
    expect(path.stopped).toBe('left')
    expect(path.points.length).toBeLessThan(31)
    const [, y] = path.points.at(-1)!
    expect(Math.abs(y)).toBeGreaterThan(BOWL.yRange[1])
  })

  it("with the saddle's default rates, plain SGD stalls near the saddle point while the adaptive methods escape downhill", () => {
    const end = (kind: PathOptimizer) => optimizerPath(pathOptimizerSpec(kind, SURFACE_PATH_LR.saddle[kind]), SADDLE, SADDLE.steps).points.at(-1)!
    const [x, y] = end('sgd')
    expect(Math.hypot(x, y)).toBeLessThan(0.5)
    for (const kind of ['adagrad', 'rmsprop', 'adam'] as const) expect(SADDLE.value(...end(kind)), kind).toBeLessThan(-5)
  })

  it("with the valley's default rates no path leaves Rosenbrock's plot, and every one goes downhill", () => {
    for (const kind of PATH_OPTIMIZERS) {
      const path = optimizerPath(pathOptimizerSpec(kind, SURFACE_PATH_LR.rosenbrock[kind]), ROSENBROCK, ROSENBROCK.steps)
      expect(path.stopped, kind).toBeNull()
      expect(ROSENBROCK.value(...path.points.at(-1)!), kind).toBeLessThan(ROSENBROCK.value(...ROSENBROCK.start))
    }
  })

  it("the surfaces' gradients match finite differences", () => {
    for (const s of [BOWL, SADDLE, ROSENBROCK]) {
      for (const [x, y] of [
        [-1.3, 0.7],
        [0.4, -2.1]
      ]) {
        const h = 1e-6
        const [gx, gy] = s.gradient(x, y)
        expect(gx).toBeCloseTo((s.value(x + h, y) - s.value(x - h, y)) / (2 * h), 4)
        expect(gy).toBeCloseTo((s.value(x, y + h) - s.value(x, y - h)) / (2 * h), 4)
      }
    }
  })

  it('samples a surface from the bottom-left corner', () => {
    const grid = sampleSurface(BOWL, 3, 3)
    expect(grid[0]).toBeCloseTo(BOWL.value(-10, -5))
    expect(grid[4]).toBe(0)
    expect(grid[8]).toBeCloseTo(BOWL.value(10, 5))
  })
})
