import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jsonLines, lab, ROOT, withoutTimes, workDir } from './run-lab'

const BUNDLED = join(ROOT, 'resources/mnist')

// Each case starts real processes; on a busy two-core machine that takes seconds.
describe('lab CLI', { timeout: 60_000 }, () => {
  it('lists preset ids', () => {
    const { code, stdout } = lab('presets')
    expect(code).toBe(0)
    const ids = stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/)[0])
    expect(ids).toEqual(expect.arrayContaining(['vg-relu-he', 'vg-sigmoid-gauss', 'vg-relu-xavier']))
  })

  it('trains with --json: one object per evaluation, a done line, the same numbers for the same seed', () => {
    const first = lab('train', '--preset', 'vg-relu-he', '--iters', '30', '--seed', '4', '--json')
    expect(first.code).toBe(0)
    const lines = jsonLines(first.stdout)
    expect(lines.map((l) => l.iter)).toEqual([10, 20, 30, 30])
    expect(Object.keys(lines[0])).toEqual(['iter', 'loss', 'trainAcc', 'testAcc', 'elapsedMs'])
    expect(Object.keys(lines[3])).toEqual(['done', 'iter', 'trainAcc', 'testAcc', 'elapsedMs'])
    expect(lines[3].testAcc).toBe(lines[2].testAcc)
    const again = lab('train', '--preset', 'vg-relu-he', '--iters', '30', '--seed', '4', '--json')
    expect(withoutTimes(jsonLines(again.stdout))).toEqual(withoutTimes(jsonLines(first.stdout)))
  })

  it("prints evaluations in the course's own format", () => {
    const { code, stdout } = lab('train', '--preset', 'vg-relu-he', '--iters', '20')
    expect(code).toBe(0)
    const lines = stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(4)
    expect(lines[2]).toMatch(/^Generation: 20\. 正答率\(トレーニング\) = (0\.\d+|1\.0)$/)
    expect(lines[3]).toMatch(/^ {16}: 20\. 正答率\(テスト\) = (0\.\d+|1\.0)$/)
  })

  it('grid: presets × seeds in parallel, mean ± sd per preset, equal to the single runs', () => {
    const { code, stdout } = lab('grid', '--presets', 'vg-relu-he,opt-adam', '--seeds', '2', '--iters', '20', '--json')
    expect(code).toBe(0)
    const [relu, adam, done] = jsonLines(stdout) as Array<Record<string, any>>
    expect(relu.preset).toBe('vg-relu-he')
    expect(adam.preset).toBe('opt-adam')
    expect(relu.runs).toBe(2)
    expect(done).toMatchObject({ done: true, runs: 4 })
    const single = jsonLines(lab('train', '--preset', 'vg-relu-he', '--iters', '20', '--seed', '2', '--json').stdout).pop()!
    expect(relu.testAcc.values[1]).toBe(single.testAcc)
    const [a, b] = relu.testAcc.values as number[]
    expect(relu.testAcc.mean).toBeCloseTo((a + b) / 2, 12)
    expect(relu.testAcc.sd).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 12)
  })

  it.each([
    [['grid', '--presets', 'vg-relu-he,nope'], /^lab: unknown preset "nope"/],
    [['train', '--preset', 'no-such-preset'], /^lab: unknown preset "no-such-preset"; known presets: .*vg-relu-he/],
    [['train', '--preset', 'vg-relu-he', '--iters', '0'], /^lab: --iters must be a whole number from 1 to 10000000, got "0"/],
    [['train'], /^lab: --preset or --resume is required/],
    [['train', '--preset', 'vg-relu-he', '--bogus'], /^lab: Unknown option '--bogus'/],
    [['frobnicate'], /^lab: unknown command "frobnicate"/]
  ])('rejects %j with exit code 2 and one clear line', (args, message) => {
    const { code, stderr } = lab(...args)
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
    expect(stderr).not.toMatch(/\n\s+at /) // no stack trace
  })

  it('names the missing file or the corrupt one in a --data directory (exit 2)', () => {
    const dir = workDir('lab-data-')
    for (const name of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz']) {
      copyFileSync(join(BUNDLED, name), join(dir, name))
    }
    const missing = lab('train', '--preset', 'vg-relu-he', '--iters', '1', '--data', dir)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('missing t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz)')

    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), Buffer.from([0, 0, 8, 3, 0, 0, 0, 1]))
    const corrupt = lab('train', '--preset', 'vg-relu-he', '--iters', '1', '--data', dir)
    expect(corrupt.code).toBe(2)
    expect(corrupt.stderr).toMatch(/^lab: t10k-labels-idx1-ubyte: /)
    expect(corrupt.stderr).not.toMatch(/\n\s+at /)
  })
})
