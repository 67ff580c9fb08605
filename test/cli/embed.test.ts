/**
 * `lab embed` as a user runs it, on a short conv run saved with train --save: the JSON line's keys, one
 * 2-D point and one label per image, the same points for the same seed, the ASCII scatter and summary,
 * a model trained on an imported colour folder, and one line with exit 2 for bad input.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { modelPaths, trainModels } from './lab-models'
import { lab } from './run-lab'

const { model, shapes, shapesModel } = modelPaths('lab-embed-')

describe('lab embed', { timeout: 120_000 }, () => {
  beforeAll(() => trainModels({ model, shapes, shapesModel }, [{ kind: 'affine', units: 32 }, { kind: 'relu' }, { kind: 'affine', units: 10 }]), 120_000)

  it('--json: {"method","layer","n","points":[[x,y],…],"labels":[…]} first, one point and label per image, by default the last hidden layer', () => {
    for (const method of ['pca', 'tsne', 'umap']) {
      const result = lab('embed', '--model', model, '--method', method, '--n', '60', '--json')
      expect(result.code, result.stderr).toBe(0)
      const line = JSON.parse(result.stdout)
      expect(Object.keys(line).slice(0, 5)).toEqual(['method', 'layer', 'n', 'points', 'labels'])
      expect(line).toMatchObject({ method, layer: 'relu2', n: 60, dimensions: 32 })
      expect(line.points).toHaveLength(60)
      for (const point of line.points) {
        expect(point).toHaveLength(2)
        expect(point.every(Number.isFinite)).toBe(true)
      }
      expect(line.labels).toHaveLength(60)
      expect(line.labels.every((l: number) => Number.isInteger(l) && l >= 0 && l < 10)).toBe(true)
      // Not all in one place.
      expect(new Set(line.points.map((p: number[]) => p.join())).size).toBeGreaterThan(50)
    }
  })

  it('the same seed gives the same points, another seed other points; --layer picks the layer', () => {
    const run = (...extra: string[]) => JSON.parse(lab('embed', '--model', model, '--method', 'umap', '--n', '40', '--json', ...extra).stdout)
    const a = run('--seed', '5')
    expect(run('--seed', '5').points).toEqual(a.points)
    expect(run('--seed', '6').points).not.toEqual(a.points)
    const conv = JSON.parse(lab('embed', '--model', model, '--method', 'pca', '--n', '20', '--layer', 'maxpool1', '--json').stdout)
    expect(conv).toMatchObject({ layer: 'maxpool1', dimensions: 6 * 14 * 14 })
  })

  it('without --json: an ASCII scatter of the classes and a summary naming the layer and the method', () => {
    const result = lab('embed', '--model', model, '--method', 'pca', '--n', '100')
    expect(result.code, result.stderr).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^\+-+\+$/)
    expect(result.stdout).toMatch(/[0-9*]/)
    expect(result.stdout).toMatch(/pca of relu2 \(32 values per image\) for the first 100 test images, seed 1/)
    expect(result.stdout).toMatch(/variance explained \d+\.\d % \+ \d+\.\d %/)
    expect(result.stdout).toMatch(/nearest-neighbour agreement: \d+\.\d %/)
  })

  it('a model trained on an imported colour folder embeds that folder, the classes named', () => {
    const result = lab('embed', '--model', shapesModel, '--data', shapes, '--method', 'tsne', '--n', '12')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/marks: 0=blue 1=green 2=red/)
  })

  it('bad input is one line and exit 2', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--method', 'lda'], /unknown method "lda": use pca\|tsne\|umap/],
      [['--method', 'pca', '--layer', 'conv9'], /no layer "conv9"/],
      [['--method', 'pca', '--n', '3'], /--n must be/],
      [['--method', 'pca', '--n', '2500'], /n must be a whole number from 10 to 2000 \(the test split has 2000 images\), got 2500/],
      [['--method', 'tsne', '--n', '1500', '--data', 'no such set'], /neither a folder nor a set/],
      [['--method', 'pca', '--data', shapes], /the model takes 1×28×28 images in 10 classes/],
      [[], /--method is required/]
    ]
    for (const [args, message] of cases) {
      const result = lab('embed', '--model', model, ...args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr).toMatch(message)
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1)
    }
  })
})
