/** The two models the explain and embed tests read: a short conv run on the bundled digits, and cnn-simple trained on a folder of coloured shapes. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { writeShapeFolders } from '../fixtures/image-folders'
import { lab, workDir } from './run-lab'

export interface SavedModels {
  /** The conv run on the bundled digits. */
  model: string
  /** The folder of 16×16 coloured shapes, and cnn-simple trained on it. */
  shapes: string
  shapesModel: string
}

/** Where the models will be, in a fresh folder named after `prefix`; `trainModels` writes them. */
export function modelPaths(prefix: string): SavedModels {
  const work = workDir(prefix)
  return { model: join(work, 'conv.safetensors'), shapes: join(work, 'shapes'), shapesModel: join(work, 'shapes.safetensors') }
}

/** Trains both models with `lab train --save`; the conv run's layers after its conv, relu and max pool are `head`. */
export function trainModels(paths: SavedModels, head: object[]): void {
  const run = {
    network: {
      kind: 'layers',
      init: 'he',
      layers: [{ kind: 'conv2d', filters: 6, size: 3, pad: 1 }, { kind: 'relu' }, { kind: 'maxpool', size: 2, stride: 2 }, ...head]
    },
    optimizer: { kind: 'adam', lr: 0.01 },
    batchSize: 50,
    iterations: 40,
    evalInterval: 40,
    seed: 2,
    trainAccuracy: 'batch-before-update',
    trainLimit: 1000,
    testLimit: 200
  }
  const config = join(paths.model, '..', 'run.json')
  writeFileSync(config, JSON.stringify(run))
  const trained = lab('train', '--config', config, '--save', paths.model, '--json')
  expect(trained.code, trained.stderr).toBe(0)
  writeShapeFolders(paths.shapes, { perClass: 40, size: 16 })
  const colour = lab(
    'train',
    '--preset',
    'cnn-simple',
    '--data',
    paths.shapes,
    '--batch',
    '12',
    '--iters',
    '20',
    '--eval-every',
    '20',
    '--save',
    paths.shapesModel,
    '--json'
  )
  expect(colour.code, colour.stderr).toBe(0)
}
