import { beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MNIST_DIR } from '../../../src/cli/engine-connection'
import { defineRunConfig, type RunConfig } from '../../../src/engine/config/run-config'
import { Random } from '../../../src/engine/core/random'
import { Tensor } from '../../../src/engine/core/tensor'
import { gatherRange } from '../../../src/engine/data/batch'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { readIdxDirectory } from '../../../src/engine/hosts/node/read-idx-dir'
import { RunInspector } from '../../../src/engine/inspect/inspect-run'
import { filterNormalizedDirection, filterNorms } from '../../../src/engine/landscape/directions'
import { LandscapeJob } from '../../../src/engine/landscape/landscape'
import { pathPlane, symmetricEigen } from '../../../src/engine/landscape/pca'
import { WeightHistory } from '../../../src/engine/landscape/weight-history'
import { makeParam } from '../../../src/engine/layers/layer'
import { regularizationPenalty } from '../../../src/engine/train/regularization'
import { Trainer } from '../../../src/engine/train/trainer'

const conv = defineRunConfig({
  network: {
    kind: 'layers',
    init: 'he',
    layers: [{ kind: 'conv2d', filters: 4, size: 3, pad: 1 }, { kind: 'relu' }, { kind: 'maxpool', size: 2, stride: 2 }, { kind: 'affine', units: 10 }]
  },
  optimizer: { kind: 'adam', lr: 0.001 },
  batchSize: 20,
  iterations: 40,
  evalInterval: 1000,
  seed: 3,
  trainAccuracy: 'batch-before-update',
  trainLimit: 500,
  testLimit: 300
})

const mlp = defineRunConfig({
  network: { kind: 'mlp', hidden: [20], activation: 'relu', init: 'he', normalization: 'batchnorm' },
  optimizer: { kind: 'sgd', lr: 0.1 },
  batchSize: 25,
  iterations: 60,
  evalInterval: 10,
  seed: 5,
  trainAccuracy: 'batch-before-update',
  trainLimit: 500,
  testLimit: 300,
  regularization: { kind: 'l2', lambda: 0.01 }
})

let dataset: ImageDataset
beforeAll(async () => {
  dataset = await decodeMnist('bundled', await readIdxDirectory(BUNDLED_MNIST_DIR))
})

function trained(config: RunConfig): { trainer: Trainer; history: WeightHistory } {
  const trainer = new Trainer(config, dataset)
  const history = new WeightHistory(trainer.network.params)
  history.record(0)
  while (!trainer.finished) {
    const step = trainer.step()
    if (step.evaluation) history.record(step.iter)
  }
  return { trainer, history }
}

/** The model's own mean loss on the first n images of the test split, in one inference batch. */
function modelLoss(trainer: Trainer, n: number): number {
  const x = Tensor.zeros([n, ...trainer.inputShape], trainer.network.precision)
  const labels = new Uint8Array(n)
  gatherRange(trainer.test, 0, x, labels)
  return trainer.network.loss(x, labels, 'test')
}

describe('filter-normalized directions', () => {
  it("give every filter the norm of the weights' filter (conv filters and affine units); biases get none", () => {
    const { trainer } = trained({ ...conv, iterations: 5 })
    const params = trainer.network.params
    const directions = filterNormalizedDirection(params, new Random(9))
    params.forEach((p, i) => {
      if (!p.isWeight) {
        expect(
          Array.from(directions[i]).every((v) => v === 0),
          p.name
        ).toBe(true)
        return
      }
      const want = filterNorms(p.shape, p.value)
      const got = filterNorms(p.shape, directions[i])
      expect(got.length, p.name).toBe(p.shape.length === 4 ? p.shape[0] : p.shape[1])
      got.forEach((g, f) => expect(g, `${p.name} filter ${f}`).toBeCloseTo(want[f], 6))
      // …but a direction of its own, not the weights again.
      expect(Array.from(directions[i])).not.toEqual(Array.from(p.value))
    })
  })

  it('group an affine weight [in, out] by unit (column) and a conv weight by output filter', () => {
    const affine = makeParam('a.W', [2, 3], true, 'float64')
    affine.value.set([1, 2, 3, 4, 5, 6])
    expect(Array.from(filterNorms(affine.shape, affine.value))).toEqual([Math.sqrt(17), Math.sqrt(29), Math.sqrt(45)])
    const convW = makeParam('c.W', [2, 1, 1, 2], true, 'float64')
    convW.value.set([3, 4, 0, 5])
    expect(Array.from(filterNorms(convW.shape, convW.value))).toEqual([5, 5])
  })
})

describe('loss landscape', () => {
  it("has the model's own loss on the same images at its centre", async () => {
    const { trainer, history } = trained(conv)
    const source = new RunInspector('r', trainer).landscapeSource(history)
    const job = new LandscapeJob(source, { plane: 'random', split: 'test', images: 150, grid: 5, span: 1, seed: 2 })
    const result = (await job.run(
      () => {},
      () => false,
      async () => {}
    ))!
    expect(result.xs[2]).toBe(0)
    expect(result.ys[2]).toBe(0)
    expect(result.centerLoss).toBe(modelLoss(trainer, 150))
    expect(result.loss[2 * 5 + 2]).toBe(result.centerLoss)
    // Away from the trained point the loss is higher on average: it sits in a valley.
    const corners = [0, 4, 20, 24].map((k) => result.loss[k]!)
    expect(corners.reduce((a, b) => a + b) / 4).toBeGreaterThan(result.centerLoss!)
    expect(result.regularized).toBeNull()
  })

  it('adds the weight-decay penalty for the regularized loss, and leaves the run untouched', async () => {
    const { trainer, history } = trained(mlp)
    const before = trainer.network.params.map((p) => Array.from(p.value))
    const source = new RunInspector('r', trainer).landscapeSource(history)
    const job = new LandscapeJob(source, { plane: 'random', split: 'test', images: 300, grid: 3, span: 0.5, seed: 1 })
    let progressed = 0
    const result = (await job.run(
      (done) => (progressed = done),
      () => false,
      async () => {}
    ))!
    expect(progressed).toBe(9)
    expect(result.centerLoss).toBeCloseTo(modelLoss(trainer, 300), 12)
    const penalty = regularizationPenalty(
      mlp.regularization,
      trainer.trainable.filter((p) => p.isWeight)
    )
    expect(result.regularized![4]).toBeCloseTo(result.centerLoss! + penalty, 12)
    expect(result.regularized![0]).not.toBeCloseTo(result.loss[0]! + penalty, 6)
    expect(trainer.network.params.map((p) => Array.from(p.value))).toEqual(before)
  })

  it('is the same for the same seed and stops when cancelled', async () => {
    const { trainer, history } = trained(mlp)
    const source = new RunInspector('r', trainer).landscapeSource(history)
    const request = { plane: 'random' as const, split: 'test' as const, images: 50, grid: 3, span: 1, seed: 4 }
    const a = await new LandscapeJob(source, request).run(
      () => {},
      () => false,
      async () => {}
    )
    const b = await new LandscapeJob(source, request).run(
      () => {},
      () => false,
      async () => {}
    )
    expect(a).toEqual(b)
    let clock = 0
    const cancelled = await new LandscapeJob(source, request).run(
      () => {},
      () => true,
      async () => {},
      () => (clock += 100)
    )
    expect(cancelled).toBeNull()
  })

  it("on the plane of the training path: the path ends at the centre, and the trained point's loss is there", async () => {
    const { trainer, history } = trained(mlp)
    const source = new RunInspector('r', trainer).landscapeSource(history)
    const job = new LandscapeJob(source, { plane: 'path', split: 'test', images: 100, grid: 5, span: 1, seed: 1 })
    const result = (await job.run(
      () => {},
      () => false,
      async () => {}
    ))!
    expect(result.path!.map((p) => p.iter)).toEqual([0, 10, 20, 30, 40, 50, 60])
    const end = result.path!.at(-1)!
    expect(Math.abs(end.x) + Math.abs(end.y)).toBeLessThan(1e-9)
    expect(result.explained![0]).toBeGreaterThan(result.explained![1])
    expect(result.centerLoss).toBeCloseTo(modelLoss(trainer, 100), 12)
    // The path stays inside the window.
    for (const p of result.path!) {
      expect(Math.abs(p.x)).toBeLessThanOrEqual(result.xs.at(-1)!)
      expect(Math.abs(p.y)).toBeLessThanOrEqual(result.ys.at(-1)!)
    }
  })

  it('refuses more images than the run has', () => {
    const { trainer, history } = trained({ ...mlp, iterations: 1 })
    const source = new RunInspector('r', trainer).landscapeSource(history)
    expect(() => new LandscapeJob(source, { plane: 'random', split: 'test', images: 301, grid: 3, span: 1, seed: 1 })).toThrow(/300 test images/)
  })
})

describe('principal plane of a path', () => {
  it('Jacobi finds the eigen-pairs of a symmetric matrix', () => {
    const m = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 1]
    ]
    const { values, vectors } = symmetricEigen(m)
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 3; i++) {
        const mv = m[i].reduce((s, v, j) => s + v * vectors[j][k], 0)
        expect(mv).toBeCloseTo(values[k] * vectors[i][k], 10)
      }
    }
  })

  it('recovers a path that lies in a plane', () => {
    const u = [1, 0, 0, 0]
    const v = [0, 0.6, 0.8, 0]
    const final = Float64Array.from([1, 2, 3, 4])
    const snapshots = [
      [3, 1],
      [2, -1],
      [1, 0.5],
      [0, 0]
    ].map(([a, b]) => Float64Array.from(final.map((f, k) => f + a * u[k] + b * v[k])))
    const plane = pathPlane(snapshots, final)!
    expect(plane.explained[0] + plane.explained[1]).toBeCloseTo(1, 10)
    // The coordinates reproduce the distances between snapshots.
    const d01 = Math.hypot(plane.coordinates[0][0] - plane.coordinates[1][0], plane.coordinates[0][1] - plane.coordinates[1][1])
    expect(d01).toBeCloseTo(Math.hypot(1, 2), 10)
  })
})

describe('weight history', () => {
  it('keeps evenly spaced snapshots and the latest, each a copy of the weights then', () => {
    const p = makeParam('a.W', [2], true, 'float64')
    const history = new WeightHistory([p], 4)
    for (let i = 0; i < 11; i++) {
      p.value[0] = i
      p.value[1] = -i
      history.record(i * 10)
    }
    const kept = history.snapshots()
    expect(kept.map((s) => s.iter)).toEqual([0, 40, 80, 100])
    expect(kept.map((s) => Array.from(s.values))).toEqual([
      [0, -0],
      [4, -4],
      [8, -8],
      [10, -10]
    ])
  })
})
