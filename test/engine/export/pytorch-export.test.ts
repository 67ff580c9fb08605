/**
 * The PyTorch export (issue 20) against the engine itself: the exported model's class scores equal the
 * engine's on 100 test images (float32, to 1e-4) for an MLP with batch norm and dropout, cnn-simple and a
 * net with every other layer kind; the generator ported to Python gives the lab's stream bit for bit; a
 * layer the export does not know is refused with one line naming it.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { defineRunConfig, type NetworkSpec } from '../../../src/engine/config/run-config'
import { Tensor } from '../../../src/engine/core/tensor'
import { Random } from '../../../src/engine/core/random'
import { gatherRange } from '../../../src/engine/data/batch'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { exportPytorchProject } from '../../../src/engine/export/pytorch/export-pytorch'
import { modelPy } from '../../../src/engine/export/pytorch/model-py'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { makeParam, type Layer } from '../../../src/engine/layers/layer'
import type { OptimizerSpec } from '../../../src/engine/config/run-config'
import { createOptimizer } from '../../../src/engine/optimizers/create'
import { saveTrainer } from '../../../src/engine/model-file/checkpoint'
import { Network } from '../../../src/engine/model/network'
import { findPreset } from '../../../src/engine/presets'
import { Trainer } from '../../../src/engine/train/trainer'
import { PYTHON, python, requireTorch, skipWithoutTorch, torchNote, writeProject } from './python-torch'

const MNIST_DIR = resolve(import.meta.dirname, '../../../resources/mnist')
const work = mkdtempSync(join(tmpdir(), 'lab-pytorch-'))
const IMAGES = 100

/** Every layer kind the MLP and cnn-simple leave out, with padding and strides that PyTorch does not pad alike. */
const EVERY_OTHER_KIND: NetworkSpec = {
  kind: 'layers',
  init: 'he',
  initStd: 0.01,
  layers: [
    { kind: 'conv2d', filters: 4, size: 3, pad: 1, stride: 1 },
    { kind: 'batchnorm', mode: 'channel' },
    { kind: 'relu' },
    { kind: 'maxpool', size: 3, stride: 2, pad: 1 },
    { kind: 'conv2d', filters: 6, size: 3, stride: 2, pad: 1, init: 'xavier' },
    { kind: 'groupnorm', groups: 2 },
    { kind: 'tanh' },
    { kind: 'avgpool', size: 2, stride: 2, pad: 1 },
    { kind: 'instancenorm' },
    { kind: 'sigmoid' },
    { kind: 'dropout', ratio: 0.3, mode: 'inverted' },
    { kind: 'batchnorm', mode: 'course' },
    { kind: 'flatten' },
    { kind: 'layernorm' },
    { kind: 'affine', units: 20 },
    { kind: 'dropout', ratio: 0.2, mode: 'course' },
    { kind: 'affine', units: 10, init: 'gauss', initStd: 0.1 }
  ]
}

const MLP: NetworkSpec = {
  kind: 'mlp',
  hidden: [60, 40],
  activation: 'relu',
  init: 'he',
  initStd: 0.01,
  normalization: 'batchnorm',
  dropout: { ratio: 0.25, mode: 'course' }
}

/** A few training steps (so batch norm's running statistics are not their zero start), then the engine's scores. */
function trainedRun(network: NetworkSpec, data: ImageDataset, steps: number) {
  const config = defineRunConfig({
    network,
    optimizer: { kind: 'adam', lr: 0.01 },
    batchSize: 20,
    iterations: 1000,
    evalInterval: 1000,
    seed: 11,
    trainAccuracy: 'batch-before-update',
    trainLimit: 500,
    testLimit: IMAGES
  })
  const trainer = new Trainer(config, data)
  for (let i = 0; i < steps; i++) trainer.step()
  const x = new Tensor([IMAGES, ...trainer.inputShape], new Float32Array(IMAGES * 784))
  gatherRange(trainer.test, 0, x, new Uint8Array(IMAGES))
  const scores = Array.from(trainer.network.predict(x, 'test').data)
  const bytes = saveTrainer(trainer, { dataset: null, elapsedMs: 0, lastEvaluation: null, checkpoint: true })
  return { scores, bytes }
}

const SCORES_PY = `
import json, sys, torch
from data import load_dataset, to_pixels
from model import INPUT_SHAPE, LabNet
from safetensors_io import read_model_file
checkpoint = read_model_file("checkpoint.safetensors")
net = LabNet().to(torch.float32)
net.load_state_dict(checkpoint.network_tensors(), strict=True)
net.eval()
images = load_dataset(sys.argv[1]).test_images[:${IMAGES}]
with torch.no_grad():
    scores = net(to_pixels(images).reshape(${IMAGES}, *INPUT_SHAPE))
print(json.dumps(scores.double().flatten().tolist()))
`

describe.skipIf(skipWithoutTorch)(`the PyTorch export against the engine${torchNote}`, { timeout: 120_000 }, () => {
  let data: ImageDataset
  beforeAll(async () => {
    requireTorch()
    data = await decodeMnist('bundled MNIST', await readIdxDirectory(MNIST_DIR))
  })

  const cases: [string, () => NetworkSpec, number][] = [
    ['an MLP with batch norm and dropout', () => MLP, 5],
    ['cnn-simple', () => findPreset('cnn-simple').config.network, 2],
    ['a net with every other layer kind', () => EVERY_OTHER_KIND, 5]
  ]
  it.each(cases)('the scores of %s equal the engine\'s on 100 test images to 1e-4 (float32)', (name, network, steps) => {
    const { scores, bytes } = trainedRun(network(), data, steps)
    const dir = join(work, name.replace(/\W+/g, '-'))
    writeProject(dir, exportPytorchProject(bytes))
    writeFileSync(join(dir, 'scores.py'), SCORES_PY)
    const run = python(['scores.py', MNIST_DIR], dir)
    expect(run.status, run.stderr).toBe(0)
    const torchScores = JSON.parse(run.stdout) as number[]
    expect(torchScores).toHaveLength(scores.length)
    const largest = Math.max(...torchScores.map((s, i) => Math.abs(s - scores[i])))
    console.log(`${name}: largest score difference ${largest.toExponential(2)} over ${scores.length} scores`)
    expect(largest).toBeLessThan(1e-4)
  })

  it('optimizers.py updates exactly as the lab\'s optimizers do: every rule, the same bits over 3 steps (float32)', () => {
    const specs: OptimizerSpec[] = [
      { kind: 'sgd', lr: 0.1 },
      { kind: 'momentum', lr: 0.05, momentum: 0.9 },
      { kind: 'nesterov', lr: 0.05, momentum: 0.9 },
      { kind: 'adagrad', lr: 0.1, variant: 'book', initialH: 1e-4 },
      { kind: 'adagrad', lr: 0.1, variant: 'course', initialH: 1e-4 },
      { kind: 'rmsprop', lr: 0.01, decay: 0.99 },
      { kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999 }
    ]
    const random = new Random(4)
    const initial = Array.from({ length: 64 }, () => random.normal())
    const grads = [0, 1, 2].map(() => Array.from({ length: 64 }, () => random.normal() * 0.1))
    const engine = specs.map((spec) => {
      const param = makeParam('affine1.W', [8, 8], true, 'float32')
      param.value.set(initial)
      const optimizer = createOptimizer(spec)
      for (const g of grads) {
        param.grad.set(g)
        optimizer.step([param])
      }
      return Array.from(param.value)
    })
    const script = `
import json, sys, torch
from optimizers import create_optimizer
specs, initial, grads = json.loads(sys.stdin.read())
out = []
for spec in specs:
    p = torch.nn.Parameter(torch.tensor(initial, dtype=torch.float32).reshape(8, 8))
    optimizer = create_optimizer(spec, [("affine1.W", p)])
    for g in grads:
        p.grad = torch.tensor(g, dtype=torch.float32).reshape(8, 8)
        optimizer.step()
    out.append(p.detach().double().flatten().tolist())
print(json.dumps(out))
`
    const dir = join(work, 'optimizers')
    writeProject(dir, exportPytorchProject(trainedRun(MLP, data, 0).bytes))
    const run = spawnSync(PYTHON, ['-c', script], { cwd: dir, encoding: 'utf8', input: JSON.stringify([specs, initial, grads]) })
    expect(run.status, run.stderr).toBe(0)
    const ported = JSON.parse(run.stdout) as number[][]
    specs.forEach((spec, i) => expect(ported[i], `${spec.kind} ${'variant' in spec ? spec.variant : ''}`).toEqual(engine[i]))
  })

  it('lab_random.py gives the lab\'s stream bit for bit: integers, uniforms, batch indices, normals and the saved state', () => {
    const random = new Random(2026)
    const expected = {
      words: Array.from({ length: 5 }, () => random.nextUint32()),
      uniforms: Array.from({ length: 5 }, () => random.uniform()),
      indices: Array.from({ length: 20 }, () => random.int(60_000)),
      normals: Array.from({ length: 5 }, () => random.normal()),
      state: random.saveState().map((v) => (Number.isNaN(v) ? null : v))
    }
    const script = `
import json
from lab_random import LabRandom
r = LabRandom(2026)
out = {"words": [r.next_uint32() for _ in range(5)], "uniforms": r.uniforms(5), "indices": [r.int(60000) for _ in range(20)],
       "normals": [r.normal() for _ in range(5)]}
out["state"] = r.save_state()
print(json.dumps(out))
`
    const dir = join(work, 'random')
    writeProject(dir, exportPytorchProject(trainedRun(MLP, data, 0).bytes))
    const run = python(['-c', script], dir)
    expect(run.status, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual(expected)
  })
})

describe('refusals of the PyTorch export', () => {
  it('a setting train.py does not reproduce (augmentation) is refused with one line that names it; switched off, it exports', async () => {
    const data = await decodeMnist('bundled MNIST', await readIdxDirectory(MNIST_DIR))
    const checkpoint = (augment: object) => {
      const config = defineRunConfig({ network: MLP, optimizer: { kind: 'sgd', lr: 0.1 }, batchSize: 10, iterations: 10, evalInterval: 10, seed: 1, trainAccuracy: 'batch-before-update', augment })
      return saveTrainer(new Trainer(config, data), { dataset: null, elapsedMs: 0, lastEvaluation: null, checkpoint: true })
    }
    expect(() => exportPytorchProject(checkpoint({ shift: 2, flip: true }))).toThrow(/^cannot export the setting "augment" to PyTorch: train.py does not reproduce it yet$/)
    expect(exportPytorchProject(checkpoint({ shift: 0, flip: false })).map((f) => f.path)).toContain('train.py')
  })


  it('a layer it does not know is refused with one line that names the layer', () => {
    const unknown: Layer = { name: 'swish1', params: [], outputShape: (s) => [...s], forward: (x) => x, backward: (d) => d }
    const network = new Network([unknown], [784], 'float32')
    expect(() => modelPy(network, 'a test')).toThrow(/^cannot export layer "swish1" to PyTorch exactly: PyTorch export does not know its kind \(Object\)$/)
  })
})
