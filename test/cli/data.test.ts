import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHAPE_CLASSES, writeShapeFolders } from '../fixtures/image-folders'
import { jsonLines, runLab, withoutTimes as timeless, workDir } from './run-lab'

const home = workDir('lab-home-')
const folder = join(workDir('lab-shapes-'), 'shapes')

/** `lab` with its data library in this test's home. */
const lab = (...args: string[]) => runLab(args, { env: { GRADIENT_LAB_HOME: home } })
const withoutTimes = (stdout: string) => timeless(jsonLines(stdout))

// Each case starts real processes; on a busy two-core machine that takes seconds.
describe('lab data and --data NAME|DIR', { timeout: 120_000 }, () => {
  beforeAll(() => {
    writeShapeFolders(folder, { broken: true })
  })

  it('imports a folder of class folders: the JSON line, the skipped file, the stored set', () => {
    const { code, stdout, stderr } = lab('data', 'import', folder, '--name', 'shapes', '--test-split', '0.2', '--json')
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const last = jsonLines(stdout).at(-1)!
    expect(Object.keys(last)).toEqual(['name', 'train', 'test', 'classes', 'channels', 'height', 'width', 'fingerprint', 'skipped'])
    expect(last).toMatchObject({ name: 'shapes', train: 72, test: 18, classes: [...SHAPE_CLASSES], channels: 3, height: 16, width: 16 })
    expect(last.fingerprint).toMatch(/^[0-9a-f]{16}$/)
    expect(last.skipped).toEqual([{ file: 'blue/broken.png', reason: expect.any(String) }])
    const listed = JSON.parse(lab('data', 'list', '--json').stdout) as { name: string; fingerprint: string }[]
    expect(listed.find((set) => set.name === 'shapes')?.fingerprint).toBe(last.fingerprint)
  })

  it('refuses a taken name and, with --strict, a broken file: exit 2, one line, nothing stored', () => {
    const again = lab('data', 'import', folder, '--name', 'shapes')
    expect(again.code).toBe(2)
    expect(again.stderr.trim().split('\n')).toHaveLength(1)
    expect(again.stderr).toMatch(/already holds a set named "shapes"/)
    const strict = lab('data', 'import', folder, '--name', 'strict shapes', '--strict')
    expect(strict.code).toBe(2)
    expect(strict.stderr).toMatch(/broken\.png/)
    expect(lab('data', 'list').stdout).not.toMatch(/strict shapes/)
    // Nothing half-written is left in the library folder either.
    expect(readdirSync(join(home, 'datasets')).filter((name) => name.startsWith('.'))).toEqual([])
    expect(lab('data', 'import', folder).code).toBe(2)
    expect(lab('data', 'import', folder, '--name', 'x', '--size', '200').stderr).toMatch(/--size sides must be from 8 to 128/)
  })

  it('trains a conv preset on the stored set and an MLP preset on the folder itself, both well above chance', () => {
    const conv = lab(
      'train',
      '--preset',
      'cnn-simple',
      '--data',
      'shapes',
      '--batch',
      '24',
      '--iters',
      '40',
      '--eval-every',
      '40',
      '--json',
      '--save',
      join(home, 'conv.safetensors')
    )
    expect(conv.stderr).toBe('')
    expect(conv.code).toBe(0)
    expect(jsonLines(conv.stdout).at(-1)!.testAcc).toBeGreaterThan(0.6)
    const mlp = lab('train', '--preset', 'vg-relu-he', '--data', folder, '--iters', '60', '--batch', '20', '--json')
    expect(mlp.code).toBe(0)
    expect(mlp.stderr).toMatch(/1 file\(s\) of .* could not be read and were skipped/)
    expect(jsonLines(mlp.stdout).at(-1)!.testAcc).toBeGreaterThan(0.6)
    // The saved model knows its data: eval on the same set names its classes; on MNIST it is refused.
    const evaluated = lab('eval', '--model', join(home, 'conv.safetensors'), '--data', 'shapes')
    expect(evaluated.code).toBe(0)
    expect(evaluated.stdout).toMatch(/ red\n/)
    const onMnist = lab('eval', '--model', join(home, 'conv.safetensors'))
    expect(onMnist.code).toBe(2)
    expect(onMnist.stderr).toMatch(/takes 3×16×16 images in 3 classes; the loaded data "bundled MNIST" have 1×28×28 images in 10 classes/)
  })

  it('augments reproducibly (--augment), refuses a bad spec, and leaves runs without it untouched', () => {
    const run = (...extra: string[]) =>
      lab('train', '--preset', 'cnn-simple', '--data', 'shapes', '--batch', '24', '--iters', '20', '--eval-every', '10', '--seed', '3', '--json', ...extra)
    const plain = run()
    const augmented = run('--augment', 'shift=2,rotate=10,flip,crop=2,noise=0.05')
    expect(augmented.code).toBe(0)
    expect(withoutTimes(run('--augment', 'shift=2,rotate=10,flip,crop=2,noise=0.05').stdout)).toEqual(withoutTimes(augmented.stdout))
    expect(withoutTimes(augmented.stdout)).not.toEqual(withoutTimes(plain.stdout))
    expect(withoutTimes(run('--augment', '').stdout)).toEqual(withoutTimes(plain.stdout))
    const bad = run('--augment', 'blur=1')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--augment: unknown augmentation "blur"/)
  })

  it('removes a set; an unknown name is exit 2', () => {
    expect(lab('data', 'remove', 'shapes').code).toBe(0)
    expect(lab('data', 'list').stdout).not.toMatch(/^shapes /m)
    expect(existsSync(join(home, 'datasets'))).toBe(true)
    const unknown = lab('data', 'remove', 'shapes')
    expect(unknown.code).toBe(2)
    expect(lab('train', '--preset', 'vg-relu-he', '--data', 'no such set').stderr).toMatch(/neither a folder nor a set of the data library/)
  })
})
