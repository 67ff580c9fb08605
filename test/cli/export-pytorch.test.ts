/**
 * `lab export --format pytorch`, as a user runs it, with Debian's PyTorch (issue 20):
 *  - continuing an exported checkpoint for 100 iterations in PyTorch follows `lab train --resume`: the
 *    same evaluations, losses within 1e-3 relative (the largest difference is printed); so does a conv net
 *    with every other layer kind (40 iterations) and a colour set in CIFAR's format;
 *  - two processes with DistributedDataParallel (gloo) train, write a model, and `lab eval` reads it;
 *  - lab → PyTorch → lab with no training keeps every tensor bit for bit, and the lab resumes it exactly;
 *  - `--preset` exports the run's seeded initial weights: the lab resumes them exactly as `lab train` runs;
 *  - a folder that is not empty is refused (exit 2, one line) unless --force.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeModelFile } from '../../src/engine/model-file/model-file'
import { python, requireTorch, skipWithoutTorch, torch, torchNote } from '../engine/export/python-torch'
import { jsonLines as linesOf, lab, withoutTimes, workDir } from './run-lab'

const work = workDir('lab-export-pytorch-')

type Line = { iter: number; loss?: number; trainAcc: number; testAcc: number; done?: boolean }
const jsonLines = (stdout: string): Line[] => linesOf<Line>(stdout)

/** The largest relative loss difference between two runs' evaluations, after checking they evaluate alike. */
function compareRuns(torchLines: Line[], labLines: Line[]): number {
  expect(torchLines.map((l) => [l.iter, l.done ?? false])).toEqual(labLines.map((l) => [l.iter, l.done ?? false]))
  let largest = 0
  for (const [i, lab] of labLines.entries()) {
    const ours = torchLines[i]
    if (lab.loss !== undefined) largest = Math.max(largest, Math.abs(ours.loss! - lab.loss) / Math.abs(lab.loss))
    // Accuracies count images: a score that rounding moves across a tie may flip one or two of them.
    expect(Math.abs(ours.testAcc - lab.testAcc)).toBeLessThanOrEqual(0.02 + 1e-9)
    expect(Math.abs(ours.trainAcc - lab.trainAcc)).toBeLessThanOrEqual(0.02 + 1e-9)
  }
  expect(largest).toBeLessThan(1e-3)
  return largest
}

function writeRunFile(name: string, settings: object): string {
  const path = join(work, name)
  writeFileSync(path, JSON.stringify(settings))
  return path
}

const MLP_RUN = {
  network: { kind: 'mlp', hidden: [50, 30], activation: 'relu', init: 'he', normalization: 'batchnorm', dropout: { ratio: 0.2, mode: 'course' } },
  optimizer: { kind: 'adam', lr: 0.002 },
  regularization: { kind: 'l2', lambda: 0.001 },
  // The geometric augmentations (noise draws a normal per pixel: augment.py's own test covers it, faster).
  augment: { shift: 2, rotate: 10, flip: true, crop: 1 },
  batchSize: 50,
  iterations: 120,
  evalInterval: 10,
  seed: 5,
  trainAccuracy: 'batch-before-update',
  trainLimit: 2000,
  testLimit: 300
}

/** Every layer kind beyond the MLP's, trained with Momentum, L1 weight decay and the whole-training-set accuracy. */
const CONV_RUN = {
  network: {
    kind: 'layers',
    init: 'he',
    layers: [
      { kind: 'conv2d', filters: 4, size: 3, pad: 1 },
      { kind: 'batchnorm', mode: 'channel' },
      { kind: 'relu' },
      { kind: 'maxpool', size: 3, stride: 2, pad: 1 },
      { kind: 'conv2d', filters: 6, size: 3, stride: 2, pad: 1 },
      { kind: 'groupnorm', groups: 2 },
      { kind: 'tanh' },
      { kind: 'avgpool', size: 2, stride: 2, pad: 1 },
      { kind: 'instancenorm' },
      { kind: 'sigmoid' },
      { kind: 'dropout', ratio: 0.1, mode: 'inverted' },
      { kind: 'batchnorm', mode: 'course' },
      { kind: 'flatten' },
      { kind: 'layernorm' },
      { kind: 'affine', units: 10 }
    ]
  },
  optimizer: { kind: 'momentum', lr: 0.02 },
  regularization: { kind: 'l1', lambda: 0.0001 },
  // Batch 20 at lr 0.05 is chaotic enough that rounding differences reach 1e-2 in 100 iterations (measured).
  batchSize: 50,
  iterations: 120,
  evalInterval: 10,
  seed: 9,
  trainAccuracy: 'train-set',
  trainLimit: 300,
  testLimit: 100
}

/** float64 (the course's precision), layer norm frozen as the course's quirk, inverted dropout, Nesterov, the training-set accuracy on a subset. */
const F64_RUN = {
  network: { kind: 'mlp', hidden: [30], activation: 'tanh', init: 'xavier', normalization: 'layernorm', dropout: { ratio: 0.1, mode: 'inverted' } },
  optimizer: { kind: 'nesterov', lr: 0.05 },
  batchSize: 32,
  iterations: 60,
  evalInterval: 10,
  seed: 8,
  trainAccuracy: 'train-set',
  trainLimit: 500,
  testLimit: 100,
  evalSubset: 200,
  precision: 'float64',
  freeze: { normalization: true, outputLayer: false }
}

/** A free loopback port for the processes' rendezvous. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolvePort(port))
    })
  })
}

/** An exported project of a checkpoint `lab train` saved at iteration `at`. */
function exportedCheckpoint(name: string, runFile: string, at: number): { checkpoint: string; project: string } {
  const checkpoint = join(work, `${name}-${at}.safetensors`)
  const trained = lab('train', '--config', runFile, '--iters', String(at), '--save', checkpoint, '--json')
  expect(trained.code, trained.stderr).toBe(0)
  const project = join(work, `${name}-project`)
  const exported = lab('export', '--model', checkpoint, '--format', 'pytorch', '--out', project)
  expect(exported.code, exported.stderr).toBe(0)
  return { checkpoint, project }
}

describe.skipIf(skipWithoutTorch)(`lab export --format pytorch${torchNote}`, { timeout: 240_000 }, () => {
  let mlp: { checkpoint: string; project: string }
  /** The MLP's continuation to 120 in PyTorch and in the lab: the later tests compare with their first lines. */
  const mlpRuns: { torch: Line[]; lab: Line[] } = { torch: [], lab: [] }
  beforeAll(() => {
    requireTorch()
    mlp = exportedCheckpoint('mlp', writeRunFile('mlp.json', MLP_RUN), 20)
  })

  it.each([
    ["an MLP with batch norm, the course's dropout, Adam, L2 and augmentation", 120, 'mlp'],
    ['a conv net with every other layer kind, Momentum and L1', 60, 'conv'],
    ['a float64 MLP with frozen layer norm, inverted dropout, Nesterov and a training-set accuracy', 60, 'f64']
  ] as const)('continuing %s in PyTorch follows lab train --resume (from iteration 20 to %i)', (what, to, name) => {
    const { checkpoint, project } = name === 'mlp' ? mlp : exportedCheckpoint(name, writeRunFile(`${name}.json`, name === 'conv' ? CONV_RUN : F64_RUN), 20)
    const ours = python(['train.py', '--iters', String(to), '--eval-every', '10', '--json'], project)
    expect(ours.status, ours.stderr).toBe(0)
    const theirs = lab('train', '--resume', checkpoint, '--iters', String(to), '--eval-every', '10', '--json')
    expect(theirs.code, theirs.stderr).toBe(0)
    const [torchLines, labLines] = [jsonLines(ours.stdout), jsonLines(theirs.stdout)]
    if (name === 'mlp') Object.assign(mlpRuns, { torch: torchLines, lab: labLines })
    const largest = compareRuns(torchLines, labLines)
    // In float64 only the order of the sums differs: the runs agree to about 1e-15.
    if (name === 'f64') expect(largest).toBeLessThan(1e-10)
    console.log(`${what}: ${to - 20} iterations, largest relative loss difference ${largest.toExponential(2)} (PyTorch ${torch.version})`)
  })

  it('two processes with DistributedDataParallel (gloo) follow the one-process run, write a model, and lab eval reads it', async () => {
    const out = join(work, 'ddp.safetensors')
    const args = ['train.py', '--iters', '60', '--eval-every', '10', '--json', '--out', out]
    const port = String(await freePort())
    // torchrun where it starts (PyTorch 2.x); Debian's 1.13 build fails under Python 3.11, so there the
    // processes are started with exactly the environment torchrun gives them.
    const useTorchrun = Number(torch.version?.split('.')[0]) >= 2
    const outputs = useTorchrun
      ? [python(['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', ...args], mlp.project)]
      : await Promise.all(
          [0, 1].map(
            (rank) =>
              new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
                const env = { RANK: String(rank), LOCAL_RANK: String(rank), WORLD_SIZE: '2', MASTER_ADDR: '127.0.0.1', MASTER_PORT: port, OMP_NUM_THREADS: '1' }
                import('node:child_process').then(({ execFile }) =>
                  execFile('/usr/bin/python3', args, { cwd: mlp.project, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
                    done({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
                  )
                )
              })
          )
        )
    for (const output of outputs) expect(output.status, output.stderr).toBe(0)
    // The one-process run to 120 evaluated alike up to 60 (no evaluation subset: the last is no different).
    const evaluations = jsonLines(outputs[0].stdout).filter((l) => !l.done)
    expect(evaluations.map((l) => l.iter)).toEqual([30, 40, 50, 60])
    const largest = compareRuns(evaluations, mlpRuns.torch.slice(0, 4))
    console.log(
      `DDP, 2 processes (${useTorchrun ? 'torchrun' : "torchrun's environment set by hand"}): largest relative loss difference from one process ${largest.toExponential(2)}`
    )
    const evaluated = lab('eval', '--model', out, '--json')
    expect(evaluated.code, evaluated.stderr).toBe(0)
    const result = JSON.parse(evaluated.stdout) as { testAcc: number; n: number }
    expect(result.n).toBe(2000)
    expect(result.testAcc).toBeGreaterThan(0.5)
    expect(decodeModelFile(new Uint8Array(readFileSync(out))).summary.iteration).toBe(60)
  })

  it('lab → PyTorch → lab with no training keeps every tensor bit for bit, and the lab continues it exactly', () => {
    const back = join(work, 'back.safetensors')
    const run = python(['train.py', '--iters', '20', '--json', '--out', back], mlp.project)
    expect(run.status, run.stderr).toBe(0)
    const before = decodeModelFile(new Uint8Array(readFileSync(mlp.checkpoint)))
    const after = decodeModelFile(new Uint8Array(readFileSync(back)))
    expect([...after.tensors.keys()].sort()).toEqual([...before.tensors.keys()].sort())
    for (const [name, tensor] of before.tensors) {
      const copy = after.tensors.get(name)!
      expect([name, copy.precision, copy.shape]).toEqual([name, tensor.precision, tensor.shape])
      expect(
        Buffer.from(copy.value.buffer, copy.value.byteOffset, copy.value.byteLength).equals(
          Buffer.from(tensor.value.buffer, tensor.value.byteOffset, tensor.value.byteLength)
        ),
        name
      ).toBe(true)
    }
    expect(after.checkpoint).toEqual(before.checkpoint)
    // The lab continues the returned file exactly as its own checkpoint (evaluations 30 and 40 of the run to 120).
    const fromBack = lab('train', '--resume', back, '--iters', '40', '--eval-every', '10', '--json')
    expect(fromBack.code, fromBack.stderr).toBe(0)
    expect(withoutTimes(jsonLines(fromBack.stdout).slice(0, 2))).toEqual(withoutTimes(mlpRuns.lab.slice(0, 2)))
  })

  it('--preset exports the seeded initial weights: the lab resumes them exactly as lab train runs the preset', () => {
    const project = join(work, 'preset-project')
    const exported = lab('export', '--preset', 'vg-relu-he', '--format', 'pytorch', '--out', project)
    expect(exported.code, exported.stderr).toBe(0)
    const checkpoint = join(project, 'checkpoint.safetensors')
    expect(decodeModelFile(new Uint8Array(readFileSync(checkpoint))).summary.iteration).toBe(0)
    const resumed = lab('train', '--resume', checkpoint, '--iters', '30', '--eval-every', '10', '--json')
    const fresh = lab('train', '--preset', 'vg-relu-he', '--iters', '30', '--eval-every', '10', '--json')
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(withoutTimes(jsonLines(resumed.stdout))).toEqual(withoutTimes(jsonLines(fresh.stdout)))
  })
})

/** A small CIFAR-10 folder in its documented layout: records of a label byte, then 1,024 red, green and blue bytes. */
function writeCifar(dir: string): void {
  mkdirSync(dir, { recursive: true })
  let state = 12345
  const byte = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24
  const batch = (records: number) => {
    const bytes = new Uint8Array(records * 3073)
    for (let r = 0; r < records; r++) {
      const label = r % 10
      bytes[r * 3073] = label
      // Each class a colour cast, plus noise: something to learn.
      for (let i = 0; i < 3072; i++) bytes[r * 3073 + 1 + i] = Math.min(255, (byte() >> 1) + (Math.floor(i / 1024) === label % 3 ? 100 : 0))
    }
    return bytes
  }
  for (let k = 1; k <= 5; k++) writeFileSync(join(dir, `data_batch_${k}.bin`), batch(40))
  writeFileSync(join(dir, 'test_batch.bin'), batch(50))
  writeFileSync(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n')
}

describe.skipIf(skipWithoutTorch)(`lab export --format pytorch on colour images${torchNote}`, { timeout: 120_000 }, () => {
  beforeAll(requireTorch)

  it("a 3-channel 32×32 set (CIFAR binary): the project carries the lab's stored set, follows lab train, and data.py reads CIFAR alike", () => {
    const cifar = join(work, 'cifar')
    writeCifar(cifar)
    const run = writeRunFile('rgb.json', {
      network: {
        kind: 'layers',
        init: 'he',
        layers: [{ kind: 'conv2d', filters: 4, size: 3, pad: 1 }, { kind: 'relu' }, { kind: 'maxpool', size: 2, stride: 2 }, { kind: 'affine', units: 10 }]
      },
      optimizer: { kind: 'sgd', lr: 0.05 },
      batchSize: 20,
      iterations: 30,
      evalInterval: 10,
      seed: 3,
      trainAccuracy: 'batch-after-update'
    })
    const project = join(work, 'rgb-project')
    const exported = lab('export', '--config', run, '--data', cifar, '--format', 'pytorch', '--out', project)
    expect(exported.code, exported.stderr).toBe(0)
    expect(readFileSync(join(project, 'model.py'), 'utf8')).toContain('INPUT_SHAPE = [3, 32, 32]')
    const ours = python(['train.py', '--json', '--out', join(work, 'rgb.safetensors')], project)
    expect(ours.status, ours.stderr).toBe(0)
    const theirs = lab('train', '--config', run, '--data', cifar, '--json')
    expect(theirs.code, theirs.stderr).toBe(0)
    compareRuns(jsonLines(ours.stdout), jsonLines(theirs.stdout))
    const evaluated = lab('eval', '--model', join(work, 'rgb.safetensors'), '--data', cifar, '--json')
    expect(evaluated.code, evaluated.stderr).toBe(0)
    expect(evaluated.stderr).toBe('')
    const same = python(
      [
        '-c',
        `
from data import load_dataset
stored, cifar = load_dataset("data"), load_dataset(${JSON.stringify(cifar)})
assert stored.classes == cifar.classes, (stored.classes, cifar.classes)
for name in ("train_images", "train_labels", "test_images", "test_labels"):
    assert getattr(stored, name).equal(getattr(cifar, name)), name
print(list(cifar.train_images.shape), list(cifar.test_images.shape))
`
      ],
      project
    )
    expect(same.status, same.stderr).toBe(0)
    expect(same.stdout.trim()).toBe('[200, 3, 32, 32] [50, 3, 32, 32]')
  })
})

describe('lab export --format pytorch: bad input', { timeout: 60_000 }, () => {
  it('a folder that is not empty is refused with one line and exit 2; --force writes into it', () => {
    const project = join(work, 'taken')
    mkdirSync(project, { recursive: true })
    writeFileSync(join(project, 'notes.txt'), 'mine')
    const refused = lab('export', '--preset', 'vg-relu-he', '--format', 'pytorch', '--out', project)
    expect([refused.code, refused.stderr]).toEqual([2, `lab: ${project} exists and is not empty: choose another folder, or add --force to write into it\n`])
    const forced = lab('export', '--preset', 'vg-relu-he', '--format', 'pytorch', '--out', project, '--force')
    expect(forced.code, forced.stderr).toBe(0)
    expect(readFileSync(join(project, 'notes.txt'), 'utf8')).toBe('mine')
    expect(readFileSync(join(project, 'model.py'), 'utf8')).toContain('self.affine3 = Affine(20, 10)')
  })

  it('--format must be onnx or pytorch', () => {
    const bad = lab('export', '--preset', 'vg-relu-he', '--format', 'keras', '--out', join(work, 'k'))
    expect(bad.code).toBe(2)
    expect(bad.stderr.split('\n')[0]).toBe('lab: --format must be onnx or pytorch, got "keras"')
  })
})
