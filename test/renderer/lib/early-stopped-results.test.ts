import { describe, expect, it } from 'vitest'
import { groupResults, toResult } from '@renderer/lib/results'
import { preset } from '../fixtures'

const config = preset('vg-relu-he', 'vanishing-gradient').config
const result = (id: string, seed: number, testAcc: number, status: string) =>
  toResult({
    id,
    label: 'ReLU + He',
    presetId: 'vg-relu-he',
    custom: false,
    config: { ...config, seed },
    status,
    iter: 600,
    elapsedMs: 1,
    last: { iter: 600, loss: 0.1, trainAcc: testAcc, testAcc, elapsedMs: 1 }
  })

describe('results of runs that stopped early', () => {
  it('count among the finished runs of their group (a stopped run does not)', () => {
    const [group] = groupResults([result('a', 1, 0.9, 'completed'), result('b', 2, 0.8, 'early-stopped'), result('c', 3, 0.1, 'stopped')])
    expect(group.test.n).toBe(2)
    expect(group.test.mean).toBeCloseTo(0.85)
  })
})
