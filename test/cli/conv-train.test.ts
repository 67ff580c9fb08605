import { describe, expect, it } from 'vitest'
import { jsonLines, lab } from './run-lab'

describe('lab train on a conv preset', { timeout: 120_000 }, () => {
  it('accepts --eval-subset and --eval-every; lists the conv presets', () => {
    const { code, stdout, stderr } = lab('train', '--preset', 'cnn-double', '--iters', '4', '--eval-every', '2', '--eval-subset', '100', '--json')
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const lines = jsonLines<{ iter: number; testAcc: number }>(stdout)
    expect(lines.map((l) => l.iter)).toEqual([2, 4, 4])
    // Intermediate accuracy on 100 test images moves in steps of 0.01; the last is on all 1,000.
    expect(Math.round(lines[0].testAcc * 100)).toBeCloseTo(lines[0].testAcc * 100, 9)
    const presets = lab('presets').stdout
    for (const id of ['cnn-simple', 'cnn-double', 'cnn-double-nopool', 'cnn-deep']) expect(presets).toContain(id)
  })

  it('rejects a bad --eval-subset with exit code 2', () => {
    const { code, stderr } = lab('train', '--preset', 'cnn-simple', '--eval-subset', '0')
    expect(code).toBe(2)
    expect(stderr).toMatch(/^lab: --eval-subset must be a whole number from 1 to 10000000, got "0"/)
  })
})
