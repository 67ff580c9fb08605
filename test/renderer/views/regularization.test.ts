import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { createAppI18n } from '@renderer/i18n'
import RegularizationView from '@renderer/views/RegularizationView.vue'
import {
  DEFAULT_QUADRATIC,
  DEFAULT_RADIUS,
  constrainedOptimum,
  contour,
  isPositiveDefinite,
  largestEigenvalue,
  loss,
  projectL1,
  projectL2,
  zeroWeights,
  type Quadratic,
  type Vec2
} from '@renderer/lib/regularization'

const bowl: Quadratic = { center: [2, 1], a: 1, b: 0, c: 1 }

/** The best point on the ball's boundary by brute force: the reference for the solver. */
function bruteForce(q: Quadratic, norm: 'l1' | 'l2', t: number): Vec2 {
  let best: Vec2 = [0, 0]
  let bestLoss = Infinity
  for (let i = 0; i < 200000; i++) {
    const phi = (2 * Math.PI * i) / 200000
    const d: Vec2 = [Math.cos(phi), Math.sin(phi)]
    const n = norm === 'l1' ? Math.abs(d[0]) + Math.abs(d[1]) : 1
    const w: Vec2 = [(d[0] * t) / n, (d[1] * t) / n]
    const l = loss(q, w)
    if (l < bestLoss) {
      bestLoss = l
      best = w
    }
  }
  return best
}

describe('L1 / L2 geometry', () => {
  it('projects onto the L1 diamond by soft-thresholding, and onto the L2 circle by scaling', () => {
    expect(projectL1([2, 1], 1)).toEqual([1, 0])
    expect(projectL1([1, 1], 1)).toEqual([0.5, 0.5])
    expect(projectL1([-3, 0.5], 2)).toEqual([-2, 0])
    expect(projectL1([0.2, 0.3], 1)).toEqual([0.2, 0.3])
    const p = projectL2([3, 4], 1)
    expect(p[0]).toBeCloseTo(0.6, 12)
    expect(p[1]).toBeCloseTo(0.8, 12)
  })

  it('puts the L1 optimum on an axis and keeps both L2 weights non-zero (round bowl, closed form)', () => {
    expect(constrainedOptimum(bowl, 'l1', 1)).toEqual([1, 0])
    const l2 = constrainedOptimum(bowl, 'l2', 1)
    expect(l2[0]).toBeCloseTo(2 / Math.sqrt(5), 9)
    expect(l2[1]).toBeCloseTo(1 / Math.sqrt(5), 9)
  })

  it('agrees with a brute-force search on a tilted bowl', () => {
    const q: Quadratic = { center: [1.5, 2], a: 3, b: -0.8, c: 1 }
    for (const norm of ['l1', 'l2'] as const) {
      const solved = constrainedOptimum(q, norm, 1.2)
      const reference = bruteForce(q, norm, 1.2)
      expect(loss(q, solved)).toBeLessThanOrEqual(loss(q, reference) + 1e-9)
      expect(Math.hypot(solved[0] - reference[0], solved[1] - reference[1])).toBeLessThan(1e-3)
    }
  })

  it('returns w* itself when it lies inside the ball', () => {
    const q: Quadratic = { center: [0.2, -0.3], a: 2, b: 0.3, c: 1 }
    const w = constrainedOptimum(q, 'l1', 1)
    expect(w[0]).toBeCloseTo(0.2, 9)
    expect(w[1]).toBeCloseTo(-0.3, 9)
  })

  it('at the defaults: the L1 optimum is sparse, the L2 one is not', () => {
    expect(zeroWeights(constrainedOptimum(DEFAULT_QUADRATIC, 'l1', DEFAULT_RADIUS))).toEqual([1])
    expect(zeroWeights(constrainedOptimum(DEFAULT_QUADRATIC, 'l2', DEFAULT_RADIUS))).toEqual([])
  })

  it('draws contours on their level, and knows a bowl from a saddle', () => {
    for (const p of contour(DEFAULT_QUADRATIC, 0.7, 36)) expect(loss(DEFAULT_QUADRATIC, p)).toBeCloseTo(0.7, 9)
    expect(largestEigenvalue({ center: [0, 0], a: 2, b: 0, c: 1 })).toBe(2)
    expect(isPositiveDefinite({ center: [0, 0], a: 1, b: 1.2, c: 1 })).toBe(false)
    expect(isPositiveDefinite(DEFAULT_QUADRATIC)).toBe(true)
  })

  it('shows both optima and says which is sparse, in Japanese too', () => {
    const wrapper = mount(RegularizationView, { global: { plugins: [createPinia(), createAppI18n('ja')] } })
    expect(wrapper.get('[data-testid="reg-l1"]').attributes('data-zeros')).toBe('1')
    expect(wrapper.get('[data-testid="reg-l1"]').text()).toContain('w₂ がちょうど0')
    expect(wrapper.get('[data-testid="reg-l2"]').attributes('data-zeros')).toBe('0')
    expect(wrapper.find('[data-testid="reg-diamond"]').exists()).toBe(true)
  })
})
