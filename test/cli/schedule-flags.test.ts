/**
 * lab train's schedule flags: --lr-schedule, --validation and --early-stop reach the run (valAcc in every
 * JSON line, an early stop with its reason, exit 0), a checkpoint of such a run resumes to the unbroken
 * run's lines, and bad input is one line naming the flag or field, exit 2.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jsonLines as lines, runLab, withoutTimes, workDir } from './run-lab'

const lab = (...args: string[]) => runLab(['train', ...args])
const SHORT = ['--preset', 'vg-relu-he', '--iters', '60', '--eval-every', '10', '--json']

describe('lab train --lr-schedule --validation --early-stop', { timeout: 120_000 }, () => {
  it('reports valAcc and stops early with its reason and best iteration (exit 0)', () => {
    const result = lab(...SHORT, '--validation', '0.1', '--early-stop', 'patience=2,min-delta=0.5')
    expect(result.code, result.stderr).toBe(0)
    const rows = lines(result.stdout)
    // min-delta 0.5: only the first evaluation improves; patience 2 ends the run at iteration 30.
    expect(rows.slice(0, -1).map((r) => r.iter)).toEqual([10, 20, 30])
    for (const r of rows.slice(0, -1)) expect(typeof r.valAcc).toBe('number')
    expect(rows.at(-1)).toMatchObject({ done: true, iter: 30, status: 'early-stopped', bestIter: 10 })
    expect(result.stderr).toMatch(
      /^lab train: early stopping: validation accuracy did not improve by more than 0.5 for 2 evaluations; best 0\.\d{4} at iteration 10\n$/
    )
  })

  it('a schedule changes the run; a constant one leaves it as it was', () => {
    const plain = withoutTimes(lines(lab(...SHORT).stdout))
    expect(withoutTimes(lines(lab(...SHORT, '--lr-schedule', 'constant').stdout))).toEqual(plain)
    const warm = lab(...SHORT, '--lr-schedule', 'warmup=20,cosine:min-lr=0.001')
    expect(warm.code, warm.stderr).toBe(0)
    expect(withoutTimes(lines(warm.stdout))).not.toEqual(plain)
  })

  it('a checkpoint continues the schedule, the split and early stopping like the unbroken run', () => {
    const dir = workDir('lab-schedule-')
    const settings = ['--lr-schedule', 'warmup=10,step:every=20,gamma=0.5', '--validation', '300', '--early-stop', 'patience=4']
    const unbroken = lab('--preset', 'vg-relu-he', '--iters', '80', '--eval-every', '10', '--json', ...settings)
    expect(unbroken.code, unbroken.stderr).toBe(0)
    // Saved at 30 (warm-up and step schedules do not depend on the run's total), resumed to 80.
    const file = join(dir, 'at-30.safetensors')
    const first = lab('--preset', 'vg-relu-he', '--iters', '30', '--eval-every', '10', '--json', ...settings, '--save', file)
    expect(first.code, first.stderr).toBe(0)
    const resumed = lab('--resume', file, '--iters', '80', '--json')
    expect(resumed.code, resumed.stderr).toBe(0)
    const evaluations = (stdout: string) => withoutTimes(lines(stdout).filter((r) => !r.done))
    expect([...evaluations(first.stdout), ...evaluations(resumed.stdout)]).toEqual(evaluations(unbroken.stdout))
    expect(withoutTimes(lines(resumed.stdout).slice(-1))).toEqual(withoutTimes(lines(unbroken.stdout).slice(-1)))
  })

  it('bad input is one line naming the flag or the field, exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['--lr-schedule', 'cosin'], /^lab: --lr-schedule: "cosin" is not a schedule/],
      [['--lr-schedule', 'step:every=10,gamma=2'], /lrSchedule\.gamma: gamma must be at most 1/],
      [['--validation', 'abc'], /--validation must be a fraction below 1/],
      [['--validation', '1.5'], /validation\.fraction: fraction must be less than 1/],
      [['--early-stop', 'patience=3'], /earlyStopping: needs a validation split/],
      [['--early-stop', 'patience=0', '--validation', '0.1'], /earlyStopping\.patience: patience must be at least 1/]
    ]
    for (const [flags, message] of cases) {
      const result = lab(...SHORT, ...flags)
      expect(result.code, `${flags.join(' ')}: ${result.stderr}`).toBe(2)
      expect(result.stderr).toMatch(message)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
    }
  })
})
