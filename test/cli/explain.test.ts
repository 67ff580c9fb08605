/**
 * `lab explain` as a user runs it, on a short conv run saved with train --save: the JSON line's keys in
 * their order and an H×W map, the ASCII heat map and summary, a model trained on an imported colour folder
 * explained on that folder, and one line with exit 2 for bad input.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { modelPaths, trainModels } from './lab-models'
import { lab } from './run-lab'

const { model, shapes, shapesModel } = modelPaths('lab-explain-')

describe('lab explain', { timeout: 90_000 }, () => {
  beforeAll(() => trainModels({ model, shapes, shapesModel }, [{ kind: 'affine', units: 10 }]), 90_000)

  it('--json: exactly {"index","label","predicted","class","method","height","width","map"}, the map H×W', () => {
    for (const method of ['saliency', 'gradxinput', 'smoothgrad', 'integrated', 'occlusion', 'gradcam']) {
      const result = lab('explain', '--model', model, '--index', '3', '--method', method, '--class', '4', '--json')
      expect(result.code, result.stderr).toBe(0)
      const line = JSON.parse(result.stdout)
      expect(Object.keys(line)).toEqual(['index', 'label', 'predicted', 'class', 'method', 'height', 'width', 'map'])
      expect(line).toMatchObject({ index: 3, class: 4, method, height: 28, width: 28 })
      expect(line.map).toHaveLength(28)
      for (const row of line.map) expect(row).toHaveLength(28)
      // Grad-CAM's ReLU may leave a first conv layer's map all zero; the others always have something to show.
      if (method === 'gradcam') expect(Math.min(...line.map.flat())).toBeGreaterThanOrEqual(0)
      else expect(Math.max(...line.map.flat())).toBeGreaterThan(0)
    }
    const train = JSON.parse(lab('explain', '--model', model, '--split', 'train', '--index', '0', '--method', 'gradcam', '--json').stdout)
    expect(train.class).toBe(train.predicted)
    expect(Number.isInteger(train.label)).toBe(true)
  })

  it('without --json: a 28-line heat map, then what the image, the prediction and the method are', () => {
    const result = lab('explain', '--model', model, '--index', '0', '--method', 'integrated')
    expect(result.code, result.stderr).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines.slice(0, 28).every((line) => line.length === 56)).toBe(true)
    expect(lines[28]).toMatch(/^image 0 of the test split, label \d: predicted \d; explained class \d, score -?\d+\.\d{4}$/)
    expect(lines[29]).toMatch(/^integrated: /)
    expect(lines.at(-1)).toMatch(/^completeness: Σ attributions .* \(\d+\.\d\d % apart\)$/)
  })

  it("a model trained on an imported colour folder (16×16 RGB PNGs) explains that folder's images: a 16×16 map over the 3 channels", () => {
    for (const method of ['saliency', 'integrated', 'gradcam']) {
      const result = lab('explain', '--model', shapesModel, '--data', shapes, '--index', '3', '--method', method, '--json')
      expect(result.code, result.stderr).toBe(0)
      const line = JSON.parse(result.stdout)
      expect(line).toMatchObject({ index: 3, method, height: 16, width: 16 })
      // The net learns the folder in 20 iterations, so the class explained (the predicted one) is the image's own.
      expect([0, 1, 2]).toContain(line.label)
      expect(line.class).toBe(line.label)
      expect(line.map).toHaveLength(16)
      for (const row of line.map) {
        expect(row).toHaveLength(16)
        for (const v of row) expect(Number.isFinite(v)).toBe(true)
      }
      expect(line.map.flat().some((v: number) => v !== 0)).toBe(true)
    }
    const text = lab('explain', '--model', shapesModel, '--data', shapes, '--index', '0', '--method', 'occlusion')
    expect(text.code, text.stderr).toBe(0)
    expect(
      text.stdout
        .trimEnd()
        .split('\n')
        .slice(0, 16)
        .every((row) => row.length === 32)
    ).toBe(true)
    const outside = lab('explain', '--model', shapesModel, '--data', shapes, '--index', '9999', '--method', 'saliency')
    expect(outside.code).toBe(2)
    expect(outside.stderr).toMatch(/^lab: image 9999 is outside the test images \(0 to \d+\)\n$/)
  })

  it('bad input is one line and exit 2', () => {
    const cases: Array<[string[], string]> = [
      [['--index', '2000', '--method', 'saliency'], 'lab: image 2000 is outside the test images (0 to 1999)'],
      [['--index', '1', '--method', 'lime'], 'lab: unknown method "lime": use saliency, gradxinput, smoothgrad, integrated, occlusion, gradcam'],
      [['--index', '1', '--method', 'gradcam', '--layer', 'affine1'], 'lab: Grad-CAM needs a conv layer: "affine1" is not one (conv layers: conv1)'],
      [['--index', '1', '--method', 'gradcam', '--layer', 'conv7'], 'lab: the network has no layer "conv7"; its layers are conv1, relu1, maxpool1, affine1'],
      [['--index=-1', '--method', 'saliency'], 'lab: --index must be a whole number from 0 to 2147483647, got "-1"'],
      [['--index', '1', '--method', 'saliency', '--class', '10'], "lab: class 10 is not one of the model's classes (0 to 9)"],
      [['--index', '1', '--method', 'saliency', '--split', 'valid'], 'lab: --split must be test or train, got "valid"'],
      [
        ['--method', 'saliency'],
        `lab: --index is required; usage: lab explain --model FILE [--data NAME|DIR] [--split test|train] --index I --method ${'saliency|gradxinput|smoothgrad|integrated|occlusion|gradcam'} [--class K] [--layer NAME] [--json]`
      ]
    ]
    for (const [args, message] of cases) {
      const result = lab('explain', '--model', model, ...args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr.trimEnd().split('\n')).toEqual([message])
    }
  })
})
