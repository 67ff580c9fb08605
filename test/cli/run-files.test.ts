/** Run files on the CLI: `show` prints one, `train --config` runs it, flags override it, problems are one line. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jsonLines, lab, withoutTimes as timeless, workDir } from './run-lab'

const work = workDir('lab-runfile-')
/** A run's --json lines without their times. */
const withoutTimes = (stdout: string) => timeless(jsonLines(stdout))

describe('run files on the CLI', { timeout: 60_000 }, () => {
  const file = join(work, 'he.json')

  it('show prints a preset as a run file; train --config runs it to the same numbers as the preset', () => {
    const shown = lab('show', '--preset', 'vg-relu-he')
    expect(shown.code).toBe(0)
    writeFileSync(file, shown.stdout)
    const fromFile = lab('train', '--config', file, '--iters', '30', '--json')
    expect(fromFile.code, fromFile.stderr).toBe(0)
    expect(withoutTimes(fromFile.stdout)).toEqual(withoutTimes(lab('train', '--preset', 'vg-relu-he', '--iters', '30', '--json').stdout))
  })

  it('--batch, --lr and --seed override a file the same as editing it', () => {
    const overridden = lab('train', '--config', file, '--iters', '20', '--lr', '0.05', '--batch', '30', '--seed', '9', '--json')
    const settings = JSON.parse(lab('show', '--preset', 'vg-relu-he').stdout)
    const edited = join(work, 'edited.json')
    writeFileSync(edited, JSON.stringify({ ...settings, seed: 9, batchSize: 30, optimizer: { ...settings.optimizer, lr: 0.05 } }))
    expect(withoutTimes(overridden.stdout)).toEqual(withoutTimes(lab('train', '--config', edited, '--iters', '20', '--json').stdout))
    expect(withoutTimes(overridden.stdout)).not.toEqual(withoutTimes(lab('train', '--config', file, '--iters', '20', '--json').stdout))
  })

  it('a bad run file: every field on one line, exit 2', () => {
    const bad = join(work, 'bad.json')
    const settings = { network: { kind: 'mlp', hidden: [10], activation: 'relu', init: 'he' }, optimizer: { kind: 'sgd', lr: -1 } }
    writeFileSync(
      bad,
      JSON.stringify({ ...settings, batchSize: 10, iterations: 10, evalInterval: 5, seed: 1, trainAccuracy: 'batch-before-update', speed: 'fast' })
    )
    const result = lab('train', '--config', bad)
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/optimizer\.lr: must be greater than 0; speed: unknown field/)
    expect(lab('train', '--config', bad, '--preset', 'vg-relu-he').code).toBe(2)
  })
})
