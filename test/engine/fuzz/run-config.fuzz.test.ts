import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkRunConfig, type RunConfig } from '../../../src/engine/config/run-config'
import { datasetProblems } from '../../../src/engine/config/dataset-fit'
import { decodeMnist } from '../../../src/engine/data/mnist'
import type { ImageDataset } from '../../../src/engine/data/image-set'
import { MAX_PARAMETERS } from '../../../src/engine/model/memory-budget'
import { PRESETS } from '../../../src/engine/presets'
import { EngineError } from '../../../src/engine/protocol/error-codes'
import { Trainer } from '../../../src/engine/train/trainer'
import { mnistFiles } from '../data/idx-fixtures'
import { expectTypedFailure, fuzzParameters, largestAllocation } from './fuzz-support'

/*
 * The run configuration (the settings form, the queue, run records and the CLI all go through it) against
 * arbitrary values: every input is either a config or a list of problems, each naming its field.
 */

type Json = unknown

/** Every path to a leaf or object of `value`, as key lists. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix]
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))]
}

function replaceAt(value: Json, path: (string | number)[], replacement: Json): Json {
  if (path.length === 0) return replacement
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, Json>
  copy[path[0]] = replaceAt(copy[path[0]], path.slice(1), replacement)
  return copy
}

/** Values that break validators: odd numbers, wrong types, deep nesting, huge arrays of numbers. */
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, 1, -1, 2 ** 53, 1e308, 5e-324, 0.5, 4096, 4097, 1e7, '', '1', 'relu', null, true, [], {}),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.array(fc.integer({ min: -10, max: 5000 }), { maxLength: 40 }),
  fc.anything({ maxDepth: 3 })
)

const presetConfigs = PRESETS.map((p) => p.config as RunConfig)

/** A config without the course's slices, with a batch the small test datasets hold. */
const fitting = (config: RunConfig, batchSize = 10): RunConfig => {
  const { trainLimit: _t, testLimit: _s, ...rest } = config
  return { ...rest, batchSize }
}

/** A preset's config with one field (or a whole sub-object) replaced, or a key deleted. */
const mutatedConfig: fc.Arbitrary<Json> = fc.constantFrom(...presetConfigs).chain((config) => {
  const paths = pathsOf(config)
  return fc.tuple(fc.constantFrom(...paths), hostileValue, fc.boolean()).map(([path, value, remove]) => {
    if (remove && path.length > 0) {
      const parent = path.slice(0, -1)
      const holder = parent.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], config)
      if (!Array.isArray(holder)) {
        const { [path[path.length - 1]]: _dropped, ...rest } = holder as Record<string | number, Json>
        return replaceAt(config, parent, rest)
      }
    }
    return replaceAt(config, path, value)
  })
})

function checkOutcome(input: Json): void {
  const result = checkRunConfig(input)
  if (result.ok) {
    // A config that passes is stable: written out as JSON (a record, the queue) and read back, it passes again.
    const again = checkRunConfig(JSON.parse(JSON.stringify(result.config)))
    expect(again.ok).toBe(true)
    if (again.ok) expect(JSON.stringify(again.config)).toBe(JSON.stringify(result.config))
    return
  }
  expect(result.problems.length).toBeGreaterThan(0)
  for (const problem of result.problems) {
    expect(problem.field).toMatch(/^[\w.()]+$/)
    expect(problem.message.length).toBeGreaterThan(3)
    expect(problem.message).not.toMatch(/\n|\[object /)
  }
}

describe('fuzz: run configuration validation (checkRunConfig)', () => {
  it('arbitrary values: a config or problems naming their fields', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.jsonValue()), checkOutcome), fuzzParameters())
  })

  it('presets with one field replaced by a hostile value or removed', () => {
    fc.assert(fc.property(mutatedConfig, checkOutcome), fuzzParameters())
  })
})

let dataset: ImageDataset | null = null
const smallDataset = async (): Promise<ImageDataset> => (dataset ??= await decodeMnist('fuzz', mnistFiles(64, 16)))

describe('fuzz: a config that validates builds a run or fails with INVALID_CONFIG, within a memory budget', () => {
  it('mutated presets never crash the trainer and never ask for an oversized buffer', async () => {
    const data = await smallDataset()
    await fc.assert(
      fc.asyncProperty(mutatedConfig, async (input) => {
        const checked = checkRunConfig(input)
        if (!checked.ok || datasetProblems(checked.config, data).length > 0) return
        let outcome: unknown
        const largest = await largestAllocation(() => {
          try {
            outcome = new Trainer(checked.config, data)
          } catch (error) {
            outcome = error
          }
        })
        if (outcome instanceof Error) expectTypedFailure(outcome, 'INVALID_CONFIG')
        // Weights come in one array per layer, bounded by the parameter limit.
        expect(largest).toBeLessThanOrEqual(MAX_PARAMETERS * 8)
      }),
      fuzzParameters(300)
    )
  })

  it('32 hidden layers of 4096 units are refused before any weight is allocated', async () => {
    const base = presetConfigs.find((c) => c.network.kind === 'mlp')!
    const config = fitting({ ...base, network: { ...base.network, hidden: Array(32).fill(4096) } } as RunConfig)
    expect(checkRunConfig(config).ok).toBe(true)
    const data = await smallDataset()
    let error: unknown
    const largest = await largestAllocation(() => {
      try {
        new Trainer(config, data)
      } catch (e) {
        error = e
      }
    })
    expect(largest).toBe(0)
    expect(error).toBeInstanceOf(EngineError)
    expect((error as EngineError).message).toBe(
      "network.hidden: the network would have 523,477,002 weights and biases; at most 20,000,000 fit in the engine's memory (use fewer or smaller layers)"
    )
  })

  it('a conv layer of 512 filters of 32×32 over 512 channels is refused, naming the layer', async () => {
    const base = presetConfigs.find((c) => c.network.kind === 'layers')!
    const conv = { kind: 'conv2d', filters: 512, size: 32, pad: 16, stride: 1 }
    const input = { ...fitting(base), network: { kind: 'layers', init: 'he', layers: [conv, conv, { kind: 'flatten' }, { kind: 'affine', units: 10 }] } }
    const checked = checkRunConfig(input)
    expect(checked.ok).toBe(true)
    if (!checked.ok) return
    let error: unknown
    const data = await smallDataset()
    await largestAllocation(() => {
      try {
        new Trainer(checked.config, data)
      } catch (e) {
        error = e
      }
    })
    expect((error as EngineError).code).toBe('INVALID_CONFIG')
    expect((error as EngineError).details?.problems).toEqual([
      { field: 'network.layers.1', message: expect.stringContaining('layer 1 (conv2d): the network would have 268,960,768 weights and biases') }
    ])
  })

  it('a batch whose training step needs more than 2 GiB is refused on batchSize', async () => {
    const data = await decodeMnist('big', mnistFiles(2000, 10))
    const base = PRESETS.find((p) => p.id === 'cnn-deep')!.config
    const checked = checkRunConfig(fitting(base, 2000))
    expect(checked.ok).toBe(true)
    if (!checked.ok) return
    const error = (() => {
      try {
        new Trainer(checked.config, data)
        return undefined
      } catch (e) {
        return e as EngineError
      }
    })()
    expect(error?.code).toBe('INVALID_CONFIG')
    expect(error?.details?.problems).toEqual([
      { field: 'batchSize', message: expect.stringMatching(/^a batch of 2000 needs about [\d,]+ MiB for this network's training step; at most 2,048 MiB fit/) }
    ])
    // The course's batch of 100 fits easily.
    expect(() => new Trainer(fitting(base, 100), data)).not.toThrow()
  })
})
