import { describe, expect, it } from 'vitest'
import { makeParam, type Param } from '../../../src/engine/layers/layer'
import { createOptimizer } from '../../../src/engine/optimizers/create'
import { OptimizerSpecSchema, type OptimizerSpec } from '../../../src/engine/config/run-config'

/** One parameter [p] with gradient g per step; returns p after each step. */
function trajectory(spec: OptimizerSpec, start: number, grads: number[]): number[] {
  const param: Param = makeParam('w', [1], true, 'float64')
  param.value[0] = start
  const optimizer = createOptimizer(spec)
  return grads.map((g) => {
    param.grad[0] = g
    optimizer.step([param])
    return param.value[0]
  })
}

const spec = (input: unknown) => OptimizerSpecSchema.parse(input)

describe('optimizers follow the course formulas, step by step (values worked by hand)', () => {
  it('SGD: p −= lr·g', () => {
    expect(trajectory(spec({ kind: 'sgd', lr: 0.1 }), 1, [2, -1])).toEqual([1 - 0.1 * 2, 1 - 0.1 * 2 + 0.1 * 1])
  })

  it('Momentum: v = 0.9v − lr·g; p += v', () => {
    // v1 = −0.2, p1 = 0.8; v2 = 0.9·(−0.2) − 0.1·1 = −0.28, p2 = 0.52
    const [p1, p2] = trajectory(spec({ kind: 'momentum', lr: 0.1 }), 1, [2, 1])
    expect(p1).toBeCloseTo(0.8, 15)
    expect(p2).toBeCloseTo(0.52, 15)
  })

  it("Nesterov (the book's form): v = m·v − lr·g; p += m²·v − (1 + m)·lr·g", () => {
    // v1 = −0.2; p1 = 1 + 0.81·(−0.2) − 1.9·0.2 = 0.458
    expect(trajectory(spec({ kind: 'nesterov', lr: 0.1 }), 1, [2])[0]).toBeCloseTo(0.458, 15)
  })

  it('AdaGrad, book: h += g²; p −= lr·g/(√h + 1e-7)', () => {
    const [p1, p2] = trajectory(spec({ kind: 'adagrad', lr: 0.1 }), 1, [2, 1])
    expect(p1).toBeCloseTo(1 - (0.1 * 2) / (2 + 1e-7), 15)
    expect(p2).toBeCloseTo(p1 - (0.1 * 1) / (Math.sqrt(5) + 1e-7), 15)
  })

  it('AdaGrad, the course answer: h = θ on the first step (no g²), then h += g²; p −= lr·g/√h', () => {
    const [p1, p2] = trajectory(spec({ kind: 'adagrad', lr: 0.1, variant: 'course', initialH: 1e-4 }), 1, [2, 1])
    expect(p1).toBeCloseTo(1 - (0.1 * 2) / Math.sqrt(1e-4), 12) // = 1 − 20 = −19
    expect(p2).toBeCloseTo(p1 - (0.1 * 1) / Math.sqrt(1e-4 + 1), 12)
  })

  it('RMSProp: h = 0.99h + 0.01g²; p −= lr·g/(√h + 1e-7)', () => {
    const [p1, p2] = trajectory(spec({ kind: 'rmsprop', lr: 0.01 }), 1, [2, 1])
    const h1 = 0.01 * 4
    expect(p1).toBeCloseTo(1 - (0.01 * 2) / (Math.sqrt(h1) + 1e-7), 15)
    const h2 = 0.99 * h1 + 0.01 * 1
    expect(p2).toBeCloseTo(p1 - (0.01 * 1) / (Math.sqrt(h2) + 1e-7), 15)
  })

  it('Adam: bias correction folded into lr_t, ε = 1e-7 outside the square root', () => {
    const [p1, p2] = trajectory(spec({ kind: 'adam', lr: 0.01 }), 1, [2, 1])
    // t = 1: m = 0.2, v = 0.004, lr_t = 0.01·√0.001/0.1
    const lr1 = (0.01 * Math.sqrt(1 - 0.999)) / (1 - 0.9)
    expect(p1).toBeCloseTo(1 - (lr1 * 0.2) / (Math.sqrt(0.004) + 1e-7), 15)
    // t = 2: m = 0.2 + 0.1·(1 − 0.2) = 0.28, v = 0.004 + 0.001·(1 − 0.004) = 0.004996
    const lr2 = (0.01 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.9 ** 2)
    expect(p2).toBeCloseTo(p1 - (lr2 * 0.28) / (Math.sqrt(0.004996) + 1e-7), 15)
  })

  it('rejects out-of-range constants with the field named', () => {
    const result = OptimizerSpecSchema.safeParse({ kind: 'adam', lr: 0.01, beta1: 1 })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]).toMatchObject({ path: ['beta1'], message: 'beta1 must be less than 1' })
  })
})
