/**
 * The app's *Export as a PyTorch project*: a library model becomes one .zip holding the project that
 * `lab export --format pytorch` writes, in a folder named after the model.
 */
import { describe, expect, it } from 'vitest'
import { defineRunConfig } from '@engine/config/run-config'
import type { ImageDataset } from '@engine/data/image-set'
import { saveTrainer } from '@engine/model-file/checkpoint'
import { Trainer } from '@engine/train/trainer'
import { pytorchProjectZip } from '../../../src/renderer/src/lib/models/pytorch-export'

function tinyCheckpoint(): Uint8Array {
  const split = (count: number) => ({
    count,
    channels: 1,
    rows: 8,
    cols: 8,
    images: Uint8Array.from({ length: count * 64 }, (_, i) => (i * 37) % 256),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 3)
  })
  const dataset: ImageDataset = { name: 'tiny', classes: ['a', 'b', 'c'], train: split(30), test: split(9) }
  const config = defineRunConfig({
    network: { kind: 'mlp', hidden: [5], activation: 'relu', init: 'he' },
    optimizer: { kind: 'sgd', lr: 0.1 },
    batchSize: 3,
    iterations: 10,
    evalInterval: 10,
    seed: 1,
    trainAccuracy: 'batch-before-update'
  })
  const trainer = new Trainer(config, dataset)
  trainer.step()
  return saveTrainer(trainer, { dataset: null, elapsedMs: 0, lastEvaluation: null, checkpoint: true })
}

/** The files of a stored (uncompressed) zip, by its local headers (Python's zipfile checks the writer in test/engine/export/zip.test.ts). */
function readStoredZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const files = new Map<string, Uint8Array>()
  let at = 0
  while (view.getUint32(at, true) === 0x04034b50) {
    const size = view.getUint32(at + 18, true)
    const nameLength = view.getUint16(at + 26, true)
    const extra = view.getUint16(at + 28, true)
    const name = new TextDecoder().decode(bytes.subarray(at + 30, at + 30 + nameLength))
    const start = at + 30 + nameLength + extra
    files.set(name, bytes.slice(start, start + size))
    at = start + size
  }
  return files
}

describe('pytorchProjectZip', () => {
  it('puts the project in a folder named after the model, the checkpoint unchanged, the shapes from the model', async () => {
    const checkpoint = tinyCheckpoint()
    const project = await pytorchProjectZip('my run: 1/2', checkpoint)
    expect(project.fileName).toBe('my run- 1-2-pytorch.zip')
    const listing = readStoredZip(project.bytes)
    const names = [
      'README.md',
      'augment.py',
      'checkpoint.safetensors',
      'data.py',
      'lab_layers.py',
      'lab_random.py',
      'model.py',
      'optimizers.py',
      'requirements.txt',
      'safetensors_io.py',
      'train.py'
    ]
    expect([...listing.keys()].sort()).toEqual(names.map((n) => `my run- 1-2-pytorch/${n}`))
    expect(listing.get('my run- 1-2-pytorch/checkpoint.safetensors')).toEqual(checkpoint)
    const model = new TextDecoder().decode(listing.get('my run- 1-2-pytorch/model.py'))
    const shape = model.split('\n').filter((line) => /^(INPUT_SHAPE|CLASSES) /.test(line))
    expect(shape.map((line) => line.split('#')[0].trim())).toEqual(['INPUT_SHAPE = [64]', 'CLASSES = 3'])
  })
})
