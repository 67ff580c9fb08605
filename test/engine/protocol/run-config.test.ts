import { describe, expect, it } from 'vitest'
import { checkRunConfig } from '../../../src/engine/config/run-config'
import { findPreset } from '../../../src/engine/presets'

const valid = findPreset('vg-relu-he').config

function problemsOf(patch: Record<string, unknown>) {
  const result = checkRunConfig({ ...valid, ...patch })
  return result.ok ? [] : result.problems
}

describe('run configuration validation', () => {
  it('accepts every preset', () => {
    expect(checkRunConfig(valid).ok).toBe(true)
  })

  it.each([
    [{ optimizer: { kind: 'sgd', lr: 0 } }, 'optimizer.lr', 'must be greater than 0'],
    [{ optimizer: { kind: 'sgd', lr: Number.NaN } }, 'optimizer.lr', 'finite'],
    [{ optimizer: { kind: 'sgd', lr: Infinity } }, 'optimizer.lr', 'finite'],
    [{ batchSize: 0 }, 'batchSize', 'at least 1'],
    [{ batchSize: 2.5 }, 'batchSize', 'whole number'],
    [{ iterations: -3 }, 'iterations', 'at least 1'],
    [{ network: { ...valid.network, hidden: [] } }, 'network.hidden', 'at least one hidden layer'],
    [{ network: { ...valid.network, hidden: [40, 0.5] } }, 'network.hidden.1', 'whole number'],
    [{ seed: -1 }, 'seed', '0 or more']
  ])('rejects %j with a message for %s', (patch, field, text) => {
    const problems = problemsOf(patch)
    expect(problems.map((p) => p.field)).toContain(field)
    expect(problems.find((p) => p.field === field)?.message).toContain(text)
  })
})
