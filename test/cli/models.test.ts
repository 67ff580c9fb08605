/**
 * The model commands of the CLI, as a user runs them: train --save, train --resume (the run's total,
 * iterations k+1… printed, numbers equal to an unbroken run), eval --json, export, and one clear line
 * with exit 2 for a bad model file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFileAtomically } from '../../src/cli/model-files'
import { readModelSummary } from '../../src/engine/model-file/model-file'
import { jsonLines, lab, withoutTimes, workDir } from './run-lab'

const work = workDir('lab-models-')

describe('lab model commands', { timeout: 90_000 }, () => {
  const checkpoint = join(work, 'run.safetensors')

  it('train --save, then --resume with --iters as the total: iterations 41…80, equal to the unbroken run', () => {
    const first = lab('train', '--preset', 'opt-adam', '--iters', '40', '--eval-every', '20', '--save', checkpoint, '--json')
    expect(first.code, first.stderr).toBe(0)
    expect(existsSync(checkpoint)).toBe(true)
    const resumed = lab('train', '--resume', checkpoint, '--iters', '80', '--eval-every', '20', '--json')
    expect(resumed.code, resumed.stderr).toBe(0)
    const lines = jsonLines(resumed.stdout)
    expect(lines.map((l) => l.iter)).toEqual([60, 80, 80])
    const unbroken = jsonLines(lab('train', '--preset', 'opt-adam', '--iters', '80', '--eval-every', '20', '--json').stdout)
    expect(withoutTimes(lines)).toEqual(withoutTimes(unbroken.slice(2)))
  })

  it('--precision float64 (the course precision) trains and saves in float64; the default is float32; a bad value is one line, exit 2', () => {
    const summaries = (['float64', undefined] as const).map((precision) => {
      const file = join(work, `precision-${precision ?? 'default'}.safetensors`)
      const run = lab(
        'train',
        '--preset',
        'vg-relu-he',
        '--iters',
        '20',
        '--eval-every',
        '20',
        '--save',
        file,
        '--json',
        ...(precision ? ['--precision', precision] : [])
      )
      expect(run.code, run.stderr).toBe(0)
      return readModelSummary(new Uint8Array(readFileSync(file)))
    })
    expect(summaries.map((s) => [s.precision, s.config.precision])).toEqual([
      ['float64', 'float64'],
      ['float32', 'float32']
    ])
    const bad = lab('train', '--preset', 'vg-relu-he', '--precision', 'float16')
    expect([bad.code, bad.stderr.trim()]).toEqual([2, 'lab: --precision must be float32 or float64, got "float16"'])
  })

  it('eval --json gives the accuracy the run ended with, and the confusion matrix', () => {
    const model = join(work, 'he.safetensors')
    const done = jsonLines(lab('train', '--preset', 'vg-relu-he', '--iters', '30', '--save', model, '--json').stdout).at(-1)!
    const result = lab('eval', '--model', model, '--json')
    expect(result.code, result.stderr).toBe(0)
    const evaluation = JSON.parse(result.stdout)
    expect(Object.keys(evaluation)).toEqual(['testAcc', 'n', 'confusion'])
    expect(evaluation.n).toBe(2000)
    expect(evaluation.confusion).toHaveLength(10)
    expect(evaluation.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(2000)
    const diagonal = evaluation.confusion.reduce((sum: number, row: number[], i: number) => sum + row[i], 0)
    expect(evaluation.testAcc).toBe(diagonal / 2000)
    expect(evaluation.testAcc).toBe(done.testAcc)
  })

  it('export writes an ONNX file', () => {
    const out = join(work, 'run.onnx')
    const result = lab('export', '--model', checkpoint, '--format', 'onnx', '--out', out)
    expect(result.code, result.stderr).toBe(0)
    expect(readFileSync(out).length).toBeGreaterThan(100_000)
    expect(lab('export', '--model', checkpoint, '--format', 'tflite', '--out', out).code).toBe(2)
  })

  it('a bad model file: one line, exit 2', () => {
    const bad = join(work, 'bad.safetensors')
    writeFileSync(bad, readFileSync(checkpoint).subarray(0, 1000))
    for (const args of [
      ['eval', '--model', bad],
      ['train', '--resume', bad],
      ['export', '--model', bad, '--format', 'onnx', '--out', join(work, 'x.onnx')],
      ['eval', '--model', join(work, 'missing')]
    ]) {
      const result = lab(...args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr.trim().split('\n')).toHaveLength(1)
      expect(result.stderr).toMatch(/^lab: (the header|cannot read the model file)/)
    }
    expect(lab('train', '--resume', checkpoint, '--json').stderr).toMatch(/give the new total with --iters N/)
  })
})

describe('writeFileAtomically', () => {
  it('replaces a file whole, and leaves it untouched when the write fails', async () => {
    const dir = join(work, 'atomic')
    mkdirSync(dir)
    const target = join(dir, 'model.safetensors')
    await writeFileAtomically(target, new Uint8Array([1, 2, 3]))
    await writeFileAtomically(target, new Uint8Array([4, 5]))
    expect([...readFileSync(target)]).toEqual([4, 5])
    // A target that cannot be replaced (a directory holding a file): the error names it, nothing is left behind.
    const blocked = join(dir, 'blocked')
    mkdirSync(blocked)
    writeFileSync(join(blocked, 'keep'), 'previous')
    await expect(writeFileAtomically(blocked, new Uint8Array([9]))).rejects.toThrow(/could not write .*blocked.*; any previous file there is unchanged/)
    expect(readFileSync(join(blocked, 'keep'), 'utf8')).toBe('previous')
    expect(readdirSync(dir).sort()).toEqual(['blocked', 'model.safetensors'])
  })
})
