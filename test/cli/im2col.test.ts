import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lab, workDir } from './run-lab'

const dir = workDir('lab-im2col-')

function inputFile(name: string, content: unknown): string {
  const file = join(dir, name)
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

const ones4x4 = [[Array.from({ length: 4 }, () => [1, 1, 1, 1])]]

// Each case starts a process; on a busy two-core machine that takes seconds.
describe('lab im2col', { timeout: 60_000 }, () => {
  it('prints the column matrix and, with --col2im, the window counts (the 2_6 "after" demo)', () => {
    const { code, stdout } = lab('im2col', '--input', inputFile('ones.json', ones4x4), '--fh', '3', '--fw', '3', '--stride', '1', '--pad', '0', '--col2im')
    expect(code).toBe(0)
    const out = JSON.parse(stdout)
    expect(out.shape).toEqual([4, 9])
    expect(out.col).toEqual(Array.from({ length: 4 }, () => Array(9).fill(1)))
    expect(out.col2im).toEqual([
      [
        [
          [1, 2, 2, 1],
          [2, 4, 4, 2],
          [2, 4, 4, 2],
          [1, 2, 2, 1]
        ]
      ]
    ])
  })

  it("the 2_6 demo's shape: two 1×4×4 images, 3×3, stride 1, pad 0 → (8, 9); rows are windows", () => {
    const images = [0, 1].map((n) => [Array.from({ length: 4 }, (_, y) => Array.from({ length: 4 }, (_, x) => n * 16 + y * 4 + x))])
    const { code, stdout } = lab('im2col', '--input', inputFile('demo.json', images), '--fh', '3', '--fw', '3')
    expect(code).toBe(0)
    const out = JSON.parse(stdout)
    expect(out.shape).toEqual([8, 9])
    expect(out.col[0]).toEqual([0, 1, 2, 4, 5, 6, 8, 9, 10])
    expect(out.col[7]).toEqual([21, 22, 23, 25, 26, 27, 29, 30, 31])
    expect(out.col2im).toBeUndefined()
  })

  it('pads with zeros and steps by the stride', () => {
    const { code, stdout } = lab('im2col', '--input', inputFile('one.json', [[[[7]]]]), '--fh', '2', '--pad', '1', '--stride', '1')
    expect(code).toBe(0)
    expect(JSON.parse(stdout).col).toEqual([
      [0, 0, 0, 7],
      [0, 0, 7, 0],
      [0, 7, 0, 0],
      [7, 0, 0, 0]
    ])
  })

  it.each([
    ['ragged.json', [[[[1, 2], [3]]]], /^lab: input\[0\]\[0\]\[1\] has 1 entries but input\[0\]\[0\]\[0\] has 2: the N×C×H×W input is not rectangular$/m],
    ['text.json', [[[[1, 'two']]]], /^lab: input\[0\]\[0\]\[0\]\[1\] is "two", not a finite number$/m],
    ['broken.json', '[[[[1, 2]]', /^lab: --input ".*broken\.json" is not JSON/m]
  ])('rejects %s with exit code 2 and one clear line', (name, content, message) => {
    const { code, stderr } = lab('im2col', '--input', inputFile(name, content), '--fh', '1')
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
    expect(stderr.trim().split('\n')).toHaveLength(1)
  })

  it.each([
    [['--fh', '5'], /^lab: a 5×5 window does not fit the padded input 4×4/],
    [['--fh', '3', '--stride', '0'], /^lab: --stride must be a whole number from 1 to 1000, got "0"/],
    [['--fh', '2', '--pad=-1'], /^lab: --pad must be a whole number from 0 to 1000, got "-1"/],
    [[], /^lab: --fh is required/]
  ])('rejects flags %j with exit code 2', (flags, message) => {
    const { code, stderr } = lab('im2col', '--input', inputFile('ok.json', ones4x4), ...flags)
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
    expect(stderr).not.toMatch(/\n\s+at /)
  })

  it('names a missing input file', () => {
    const { code, stderr } = lab('im2col', '--input', join(dir, 'nope.json'), '--fh', '2')
    expect(code).toBe(2)
    expect(stderr).toMatch(/^lab: cannot read --input ".*nope\.json": ENOENT/)
  })
})
