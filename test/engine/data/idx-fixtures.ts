import { gzipSync } from 'node:zlib'
import { resolve } from 'node:path'
import { expect } from 'vitest'
import { EngineError, type ErrorCode } from '../../../src/engine/protocol/error-codes'
import type { DatasetFiles } from '../../../src/engine/protocol/messages'

/* Small hand-made IDX files for the data tests, and a helper to assert on EngineErrors. */

export const BUNDLED_MNIST_DIR = resolve(import.meta.dirname, '../../../resources/mnist')

/** An IDX file: 0x00 0x00, type, dimension count, big-endian uint32 dims, then `data` as is. */
export function idxBytes(dims: number[], data: ArrayLike<number>, type = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length)
  const view = new DataView(header.buffer)
  header[2] = type
  header[3] = dims.length
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false))
  const bytes = new Uint8Array(header.length + data.length)
  bytes.set(header)
  bytes.set(data, header.length)
  return bytes
}

/** Deterministic, distinct pixel values, so a test can tell images apart and spot a shifted offset. */
export function pixelsFor(count: number, rows = 28, cols = 28): Uint8Array {
  return Uint8Array.from({ length: count * rows * cols }, (_, i) => (i * 31 + 7) % 256)
}

export function imagesIdx(count: number, rows = 28, cols = 28): Uint8Array {
  return idxBytes([count, rows, cols], pixelsFor(count, rows, cols))
}

export function labelsIdx(labels: number[]): Uint8Array {
  return idxBytes([labels.length], labels)
}

/** Labels cycling through 0..9, so every class appears once count ≥ 10. */
export const cyclingLabels = (count: number): number[] => Array.from({ length: count }, (_, i) => i % 10)

/** A valid small MNIST set; override any file to break it. */
export function mnistFiles(trainCount = 12, testCount = 5, overrides: Partial<DatasetFiles> = {}): DatasetFiles {
  return {
    trainImages: imagesIdx(trainCount),
    trainLabels: labelsIdx(cyclingLabels(trainCount)),
    testImages: imagesIdx(testCount),
    testLabels: labelsIdx(cyclingLabels(testCount)),
    ...overrides
  }
}

export const gzip = (bytes: Uint8Array): Uint8Array => new Uint8Array(gzipSync(bytes))

/** Runs `action` (sync or async) and returns the EngineError it throws; fails the test otherwise. */
export async function engineErrorOf(action: () => unknown): Promise<EngineError> {
  try {
    await action()
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError)
    return err as EngineError
  }
  throw new Error('expected an EngineError, but nothing was thrown')
}

export async function expectEngineError(action: () => unknown, code: ErrorCode, message: string): Promise<void> {
  const err = await engineErrorOf(action)
  expect({ code: err.code, message: err.message }).toEqual({ code, message })
}
