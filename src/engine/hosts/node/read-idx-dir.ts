import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { MNIST_FILES, type MnistFileKey } from '../../data/mnist'
import type { DatasetFiles } from '../../protocol/messages'
import { EngineError } from '../../protocol/error-codes'

/*
 * Reads the four MNIST files from a directory, as downloaded (`name.gz`) or unpacked (`name`).
 * Only reads bytes: decompression and validation happen in the engine, the same for every host.
 */

export async function readIdxDirectory(dir: string): Promise<DatasetFiles> {
  await expectDirectory(dir)
  const files: Partial<Record<MnistFileKey, Uint8Array>> = {}
  // In order, one at a time, so the first missing file in MNIST_FILES order is the one reported.
  for (const key of Object.keys(MNIST_FILES) as MnistFileKey[]) {
    files[key] = await readDatasetFile(dir, MNIST_FILES[key])
  }
  return files as DatasetFiles
}

async function expectDirectory(dir: string): Promise<void> {
  let isDirectory: boolean
  try {
    isDirectory = (await stat(dir)).isDirectory()
  } catch (err) {
    const problem = errorCode(err) === 'ENOENT' ? 'dataset directory not found' : `cannot open the dataset directory (${reason(err)})`
    throw missing(`${dir}: ${problem}`)
  }
  if (!isDirectory) throw missing(`${dir}: not a directory (expected a directory holding the MNIST files)`)
}

/** `name` if present, else `name.gz`. */
async function readDatasetFile(dir: string, name: string): Promise<Uint8Array> {
  for (const candidate of [name, `${name}.gz`]) {
    const path = join(dir, candidate)
    try {
      const buffer = await readFile(path)
      // A plain Uint8Array view of the same memory: no copy, and no Buffer-only behaviour leaks out.
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    } catch (err) {
      if (errorCode(err) === 'ENOENT') continue
      throw missing(`${path}: cannot read the file (${reason(err)})`)
    }
  }
  throw missing(`${dir}: missing ${name} (or ${name}.gz)`)
}

const missing = (message: string): EngineError => new EngineError('DATASET_MISSING_FILE', message)

const errorCode = (err: unknown): string | undefined => (typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined)

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err))
