/**
 * The app's *Export as a PyTorch project*: a library model becomes one .zip holding the project that
 * `lab export --format pytorch` writes, in a folder named after the model.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defineRunConfig } from '@engine/config/run-config'
import type { ImageDataset } from '@engine/data/image-set'
import { saveTrainer } from '@engine/model-file/checkpoint'
import { Trainer } from '@engine/train/trainer'
import { pytorchProjectZip } from '../../src/renderer/src/lib/models/pytorch-export'

function tinyCheckpoint(): Uint8Array {
  const split = (count: number) => ({ count, channels: 1, rows: 8, cols: 8, images: Uint8Array.from({ length: count * 64 }, (_, i) => (i * 37) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i % 3) })
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

describe('pytorchProjectZip', () => {
  it('puts the project in a folder named after the model, the checkpoint unchanged, the shapes from the model', async () => {
    const checkpoint = tinyCheckpoint()
    const project = await pytorchProjectZip('my run: 1/2', checkpoint)
    expect(project.fileName).toBe('my run- 1-2-pytorch.zip')
    const file = join(mkdtempSync(join(tmpdir(), 'lab-app-pytorch-')), project.fileName)
    writeFileSync(file, project.bytes)
    const script = `
import json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    model = z.read("my run- 1-2-pytorch/model.py").decode()
    print(json.dumps({"names": sorted(z.namelist()), "checkpoint": list(z.read("my run- 1-2-pytorch/checkpoint.safetensors")),
                      "shape": [line.strip() for line in model.splitlines() if line.startswith(("INPUT_SHAPE", "CLASSES"))]}))
`
    const run = spawnSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' })
    expect(run.status, run.stderr).toBe(0)
    const listing = JSON.parse(run.stdout) as { names: string[]; checkpoint: number[]; shape: string[] }
    const names = ['README.md', 'augment.py', 'checkpoint.safetensors', 'data.py', 'lab_layers.py', 'lab_random.py', 'model.py', 'optimizers.py', 'requirements.txt', 'safetensors_io.py', 'train.py']
    expect(listing.names).toEqual(names.map((n) => `my run- 1-2-pytorch/${n}`))
    expect(listing.checkpoint).toEqual(Array.from(checkpoint))
    expect(listing.shape.map((line) => line.split('#')[0].trim())).toEqual(['INPUT_SHAPE = [64]', 'CLASSES = 3'])
  })
})
