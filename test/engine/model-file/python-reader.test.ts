/**
 * A second opinion on the file format: a Python reader written from the safetensors specification (struct,
 * json, numpy) opens our file and sees the same tensors. Python's own `safetensors` package cannot be
 * installed on these machines (no PyPI, no Debian package), so this is the independent check; it runs
 * where python3 with numpy exists and says why it skips elsewhere.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defineRunConfig } from '../../../src/engine/config/run-config'
import { Random } from '../../../src/engine/core/random'
import { encodeModelFile, networkTensors } from '../../../src/engine/model-file/model-file'
import { buildNetwork } from '../../../src/engine/model/build'

const python = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' })
const skip = python.status !== 0 ? 'python3 with numpy is not available here' : undefined
if (skip) console.log(`skipping the Python reader check: ${skip}`)

describe.skipIf(!!skip)('a model file read by an independent Python reader', () => {
  it('has the same tensors, shapes and values, and string metadata', () => {
    const config = defineRunConfig({
      network: { kind: 'mlp', hidden: [12], activation: 'relu', init: 'he', normalization: 'batchnorm' },
      optimizer: { kind: 'sgd', lr: 0.1 },
      batchSize: 10,
      iterations: 1,
      evalInterval: 1,
      seed: 4,
      trainAccuracy: 'batch-before-update'
    })
    const network = buildNetwork(config.network, [784], new Random(4), 'float64')
    const bytes = encodeModelFile({ network, config, dataset: { name: 'x', fingerprint: 'y' }, metrics: null, iteration: 0 })
    const path = join(mkdtempSync(join(tmpdir(), 'lab-py-')), 'model.safetensors')
    writeFileSync(path, bytes)
    const run = spawnSync('python3', [resolve(__dirname, 'read_safetensors.py'), path], { encoding: 'utf8' })
    expect(run.status, run.stderr).toBe(0)
    const seen = JSON.parse(run.stdout)
    expect(seen.metadata.format).toBe('gradient-lab-model')
    expect(JSON.parse(seen.metadata.config)).toEqual(config)
    for (const t of networkTensors(network)) {
      const py = seen.tensors[t.name]
      expect(py, t.name).toBeDefined()
      expect(py.dtype).toBe('F64')
      expect(py.shape).toEqual([...t.shape])
      expect(py.first).toBe(t.value[0])
      expect(py.sum).toBeCloseTo(
        Array.from(t.value).reduce((a, b) => a + b, 0),
        9
      )
    }
    expect(Object.keys(seen.tensors).sort()).toEqual(
      networkTensors(network)
        .map((t) => t.name)
        .sort()
    )
  })
})
