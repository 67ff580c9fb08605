/**
 * A run whose loss becomes NaN crosses the protocol as a validated message (the non-finite loss travels
 * as null) and ends with status "diverged", exit 1 and the likely cause; nothing crashes on the way.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findPreset } from '../../src/engine/presets'
import { lab, workDir } from './run-lab'

describe('a diverging run on the CLI', { timeout: 60_000 }, () => {
  it('ends with status diverged, exit 1 and the cause, not a crash', () => {
    const base = findPreset('vg-relu-gauss').config
    const config = {
      ...base,
      network: { ...base.network, initStd: 10 },
      optimizer: { kind: 'sgd', lr: 1000 },
      regularization: { kind: 'l2', lambda: 1000 },
      iterations: 30,
      evalInterval: 10
    }
    const file = join(workDir('lab-diverge-'), 'diverge.json')
    writeFileSync(file, JSON.stringify(config))
    const result = lab('train', '--config', file, '--json')
    expect(result.code, result.stderr).toBe(1)
    const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!)
    expect(last).toMatchObject({ done: true, status: 'diverged' })
    expect(last.message).toMatch(/^diverged at iteration \d+: the loss became (NaN|Infinity)\. Likely cause: the initial weights' standard deviation/)
    expect(result.stderr).not.toMatch(/ZodError|at .*\.ts:/)
  })
})
