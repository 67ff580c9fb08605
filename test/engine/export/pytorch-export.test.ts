/**
 * The PyTorch export (issue 20) against the engine itself: the exported model's class scores equal the
 * engine's on 100 test images (float32, to 1e-4) for an MLP with batch norm and dropout, cnn-simple and a
 * net with every other layer kind; the ported optimizers, augmentation and generator give the lab's bits;
 * a layer or a setting the export does not know is refused with one line naming it.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { defineRunConfig, type NetworkSpec, type RunConfig } from '../../../src/engine/config/run-config'
import { Tensor } from '../../../src/engine/core/tensor'
import { Random } from '../../../src/engine/core/random'
import { gatherRange } from '../../../src/engine/data/batch'
import { augmentBatch } from '../../../src/engine/data/augment'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { exportPytorchProject, refuseUnportedSettings } from '../../../src/engine/export/pytorch/export-pytorch'
import { modelPy } from '../../../src/engine/export/pytorch/model-py'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { makeParam, type Layer } from '../../../src/engine/layers/layer'
import type { OptimizerSpec } from '../../../src/engine/config/run-config'
import { createOptimizer } from '../../../src/engine/optimizers/create'
import { saveTrainer } from '../../../src/engine/model-file/checkpoint'
import { Network } from '../../../src/engine/model/network'
import { findPreset } from '../../../src/engine/presets'
import { Trainer } from '../../../src/engine/train/trainer'
import { PYTHON, requireTorch, skipWithoutTorch, torchNote, writeProject } from './python-torch'

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

/** Everything the engine side computes, and one Python process (PyTorch imports once) answering it all. */
interface Request {
  mnist: string
  projects: string[]
  optimizers: { specs: OptimizerSpec[]; initial: number[]; grads: number[][] }
  augment: { options: object; images: number; pixels: number[] }
}

const HARNESS_PY = `
import importlib.util, json, sys, torch
request = json.loads(sys.stdin.read())
sys.path.insert(0, request["projects"][0])  # the helper modules are the same in every project
from augment import augment_batch
from data import load_dataset, to_pixels
from lab_random import LabRandom
from optimizers import create_optimizer
from safetensors_io import read_model_file

out = {"scores": []}
test_images = load_dataset(request["mnist"]).test_images[:${IMAGES}]
for index, project in enumerate(request["projects"]):
    spec = importlib.util.spec_from_file_location("model_%d" % index, project + "/model.py")
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)
    net = model.LabNet().to(torch.float32)
    net.load_state_dict(read_model_file(project + "/checkpoint.safetensors").network_tensors(), strict=True)
    net.eval()
    with torch.no_grad():
        out["scores"].append(net(to_pixels(test_images).reshape(${IMAGES}, *model.INPUT_SHAPE)).double().flatten().tolist())

o = request["optimizers"]
out["optimizers"] = []
for spec in o["specs"]:
    p = torch.nn.Parameter(torch.tensor(o["initial"], dtype=torch.float32).reshape(8, 8))
    optimizer = create_optimizer(spec, [("affine1.W", p)])
    for g in o["grads"]:
        p.grad = torch.tensor(g, dtype=torch.float32).reshape(8, 8)
        optimizer.step()
    out["optimizers"].append(p.detach().double().flatten().tolist())

a = request["augment"]
n = a["images"]
out["augment"] = []
for dtype in (torch.float32, torch.float64):
    x = torch.tensor(a["pixels"], dtype=torch.float64).to(dtype).reshape(n, 1, 28, 28)
    # Two processes' shares of the batch: each draws for every image and changes its own rows.
    first, second = x[:2].clone(), x[2:].clone()
    random = LabRandom(77)
    augment_batch(first, a["options"], random, (n, 0, 2))
    after_first = random.next_uint32()
    random = LabRandom(77)
    augment_batch(second, a["options"], random, (n, 2, n))
    assert random.next_uint32() == after_first, "the two shares drew different numbers"
    out["augment"].append({"values": torch.cat([first, second]).double().flatten().tolist(), "next": after_first})

r = LabRandom(2026)
out["random"] = {"words": [r.next_uint32() for _ in range(5)], "uniforms": r.uniforms(5), "indices": [r.int(60000) for _ in range(20)],
                 "normals": [r.normal() for _ in range(5)], "moreNormals": r.normals(2001)}
out["random"]["state"] = r.save_state()
print(json.dumps(out))
`

const OPTIMIZER_SPECS: OptimizerSpec[] = [
  { kind: 'sgd', lr: 0.1 },
  { kind: 'momentum', lr: 0.05, momentum: 0.9 },
  { kind: 'nesterov', lr: 0.05, momentum: 0.9 },
  { kind: 'adagrad', lr: 0.1, variant: 'book', initialH: 1e-4 },
  { kind: 'adagrad', lr: 0.1, variant: 'course', initialH: 1e-4 },
  { kind: 'rmsprop', lr: 0.01, decay: 0.99 },
  { kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999 }
]
const AUGMENT = { options: { shift: 2, rotate: 15, flip: true, crop: 2, noise: 0.1 }, images: 6 }

const SCORE_CASES: [string, () => NetworkSpec, number][] = [
  ['an MLP with batch norm and dropout', () => MLP, 5],
  ['cnn-simple', () => findPreset('cnn-simple').config.network, 2],
  ['a net with every other layer kind', () => EVERY_OTHER_KIND, 5]
]

describe.skipIf(skipWithoutTorch)(`the PyTorch export against the engine${torchNote}`, { timeout: 120_000 }, () => {
  let data: ImageDataset
  let engineScores: number[][]
  let request: Request
  let answer: {
    scores: number[][]
    optimizers: number[][]
    augment: { values: number[]; next: number }[]
    random: Record<string, unknown>
  }

  beforeAll(async () => {
    requireTorch()
    data = await decodeMnist('bundled MNIST', await readIdxDirectory(MNIST_DIR))
    const projects = SCORE_CASES.map(([name, network, steps]) => {
      const { scores, bytes } = trainedRun(network(), data, steps)
      const dir = join(work, name.replace(/\W+/g, '-'))
      writeProject(dir, exportPytorchProject(bytes))
      return { dir, scores }
    })
    engineScores = projects.map((p) => p.scores)
    const random = new Random(4)
    const initial = Array.from({ length: 64 }, () => random.normal())
    const grads = [0, 1, 2].map(() => Array.from({ length: 64 }, () => random.normal() * 0.1))
    const pixels = Array.from(data.train.images.subarray(0, AUGMENT.images * 784), (v) => v / 255)
    request = {
      mnist: MNIST_DIR,
      projects: projects.map((p) => p.dir),
      optimizers: { specs: OPTIMIZER_SPECS, initial, grads },
      augment: { ...AUGMENT, pixels }
    }
    const run = spawnSync(PYTHON, ['-c', HARNESS_PY], { encoding: 'utf8', input: JSON.stringify(request), env: { ...process.env, OMP_NUM_THREADS: '1' } })
    if (run.status !== 0) throw new Error(`the Python side failed: ${run.stderr}`)
    answer = JSON.parse(run.stdout)
  })

  it.each(SCORE_CASES.map(([name], i) => [name, i] as const))("the scores of %s equal the engine's on 100 test images to 1e-4 (float32)", (name, i) => {
    const ours = answer.scores[i]
    const engine = engineScores[i]
    expect(ours).toHaveLength(engine.length)
    const largest = Math.max(...ours.map((s, k) => Math.abs(s - engine[k])))
    console.log(`${name}: largest score difference ${largest.toExponential(2)} over ${engine.length} scores`)
    expect(largest).toBeLessThan(1e-4)
  })

  it("optimizers.py updates exactly as the lab's optimizers do: every rule, the same bits over 3 steps (float32)", () => {
    const { initial, grads } = request.optimizers
    OPTIMIZER_SPECS.forEach((spec, i) => {
      const param = makeParam('affine1.W', [8, 8], true, 'float32')
      param.value.set(initial)
      const optimizer = createOptimizer(spec)
      for (const g of grads) {
        param.grad.set(g)
        optimizer.step([param])
      }
      expect(answer.optimizers[i], `${spec.kind} ${'variant' in spec ? spec.variant : ''}`).toEqual(Array.from(param.value))
    })
  })

  it("augment.py changes a batch exactly as the lab's augmentation does: the same draws, the same bits (float32 and float64)", () => {
    const { options, images, pixels } = request.augment
    const engine = (['float32', 'float64'] as const).map((precision) => {
      const x = precision === 'float32' ? Float32Array.from(pixels) : Float64Array.from(pixels)
      const random = new Random(77)
      augmentBatch(x, images, 1, 28, 28, options, random)
      return { values: Array.from(x), next: random.nextUint32() }
    })
    expect(answer.augment).toEqual(engine)
  })

  it("lab_random.py gives the lab's stream bit for bit: integers, uniforms, batch indices, 2,006 normals (JavaScript's logarithm) and the saved state", () => {
    const random = new Random(2026)
    expect(answer.random).toEqual({
      words: Array.from({ length: 5 }, () => random.nextUint32()),
      uniforms: Array.from({ length: 5 }, () => random.uniform()),
      indices: Array.from({ length: 20 }, () => random.int(60_000)),
      normals: Array.from({ length: 5 }, () => random.normal()),
      moreNormals: Array.from({ length: 2001 }, () => random.normal()),
      state: random.saveState().map((v) => (Number.isNaN(v) ? null : v))
    })
  })
})

describe('refusals of the PyTorch export', () => {
  it('a setting train.py does not reproduce is refused with one line that names it; a switched-off one exports', () => {
    const config = defineRunConfig({
      network: MLP,
      optimizer: { kind: 'sgd', lr: 0.1 },
      batchSize: 10,
      iterations: 10,
      evalInterval: 10,
      seed: 1,
      trainAccuracy: 'batch-before-update'
    })
    const newer = { ...config, mixup: { alpha: 0.2 } } as RunConfig
    expect(() => refuseUnportedSettings(newer)).toThrow(/^cannot export the setting "mixup" to PyTorch: train.py does not reproduce it yet$/)
    expect(() => refuseUnportedSettings({ ...config, mixup: { alpha: 0 } } as RunConfig)).not.toThrow()
    expect(() => refuseUnportedSettings({ ...config, augment: { shift: 2, flip: true } })).not.toThrow()
  })

  it('a layer it does not know is refused with one line that names the layer', () => {
    const unknown: Layer = { name: 'swish1', params: [], outputShape: (s) => [...s], forward: (x) => x, backward: (d) => d }
    const network = new Network([unknown], [784], 'float32')
    expect(() => modelPy(network, 'a test')).toThrow(/^cannot export layer "swish1" to PyTorch exactly: PyTorch export does not know its kind \(Object\)$/)
  })
})
