/**
 * Fuzzing the model-file reader (fast-check): random bytes, truncations, single-byte mutations and
 * header rewrites of a valid checkpoint, and huge declared sizes. Every case must end in a model or an
 * INVALID_MODEL error with a one-line message: never another exception, never a hang, and never an
 * allocation sized by the file's own claims (a 2^40-byte header length in a 100-byte file fails at once).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { defineRunConfig } from '../../../src/engine/config/run-config'
import { Random } from '../../../src/engine/core/random'
import { EngineError } from '../../../src/engine/protocol/error-codes'
import { decodeModelFile, encodeModelFile } from '../../../src/engine/model-file/model-file'
import { buildNetwork } from '../../../src/engine/model/build'
import { readHeader } from '../../fixtures/safetensors'

const config = defineRunConfig({
  network: { kind: 'mlp', hidden: [3], activation: 'relu', init: 'he', normalization: 'batchnorm' },
  optimizer: { kind: 'sgd', lr: 0.1 },
  batchSize: 10,
  iterations: 5,
  evalInterval: 5,
  seed: 1,
  trainAccuracy: 'batch-before-update'
})
const valid = encodeModelFile({ network: buildNetwork(config.network, [784], new Random(1), 'float64'), config, dataset: null, metrics: null, iteration: 0 })

function readsOrRefuses(bytes: Uint8Array): void {
  try {
    decodeModelFile(bytes)
  } catch (error) {
    if (!(error instanceof EngineError) || error.code !== 'INVALID_MODEL') throw error
    expect(error.message.length).toBeGreaterThan(10)
    expect(error.message).not.toMatch(/\n/)
  }
}

const RUNS = 2500

describe('model-file reader under fuzzing', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => readsOrRefuses(bytes)),
      { numRuns: RUNS }
    )
  })

  it('truncations of a valid file', () => {
    fc.assert(
      fc.property(fc.nat({ max: valid.length }), (length) => readsOrRefuses(valid.subarray(0, length))),
      { numRuns: RUNS }
    )
  })

  it('single-byte mutations of a valid file (header and data)', () => {
    const header = new DataView(valid.buffer).getUint32(0, true) + 8
    const position = fc.oneof(fc.nat({ max: header - 1 }), fc.nat({ max: valid.length - 1 }))
    fc.assert(
      fc.property(position, fc.integer({ min: 0, max: 255 }), (at, value) => {
        const bytes = valid.slice()
        bytes[at] = value
        readsOrRefuses(bytes)
      }),
      { numRuns: RUNS }
    )
  })

  it('huge or lying declared sizes and offsets', () => {
    const header = readHeader(valid)
    const names = Object.keys(header).filter((k) => k !== '__metadata__')
    const big = fc.oneof(fc.constantFrom(2 ** 31, 2 ** 32 - 1, 2 ** 40, Number.MAX_SAFE_INTEGER, -1, 1e300), fc.nat())
    fc.assert(
      fc.property(fc.constantFrom(...names), big, big, fc.nat({ max: 3 }), (name, a, b, which) => {
        const edited = structuredClone(header)
        if (which === 0) edited[name].data_offsets = [a, b]
        else if (which === 1) edited[name].shape = [a, b]
        else if (which === 2) edited[name].shape = Array.from({ length: (a % 40) + 1 }, () => b)
        else edited.__metadata__.input_shape = JSON.stringify([a, b])
        const json = new TextEncoder().encode(JSON.stringify(edited))
        const data = valid.subarray(8 + new DataView(valid.buffer).getUint32(0, true))
        const bytes = new Uint8Array(8 + json.length + data.length)
        new DataView(bytes.buffer).setUint32(0, json.length, true)
        bytes.set(json, 8)
        bytes.set(data, 8 + json.length)
        readsOrRefuses(bytes)
      }),
      { numRuns: RUNS }
    )
    // A header length of 2^40 in a 100-byte file: refused before anything is allocated.
    const lying = new Uint8Array(100)
    new DataView(lying.buffer).setUint32(4, 256, true)
    expect(() => decodeModelFile(lying)).toThrow(/runs past the end of the file/)
  })
})
