import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { RunConfig } from '../engine/config/run-config'
import type { ImageDataset } from '../engine/data/image-set'
import { decodeMnist, MNIST_FILES } from '../engine/data/mnist'
import { encodeStoredSet } from '../engine/data/stored-set'
import { exportPytorchProject, type ProjectFile } from '../engine/export/pytorch/export-pytorch'
import { readIdxDirectory } from '../engine/hosts/node/read-idx-dir'
import { saveTrainer } from '../engine/model-file/checkpoint'
import { datasetRef } from '../engine/session/model-commands'
import { decodeModelFile } from '../engine/model-file/model-file'
import { Trainer } from '../engine/train/trainer'
import { UsageError } from './args'
import { resolveDataSource, type DataSource } from './data-source'
import { BUNDLED_MNIST_DIR } from './engine-connection'

/** The data `lab train --data` would use (the bundled MNIST without the flag). */
export function dataSource(dataOption: string | undefined): Promise<DataSource> {
  return resolveDataSource(dataOption, BUNDLED_MNIST_DIR)
}

async function loadDataset(source: DataSource): Promise<ImageDataset> {
  return source.kind === 'set' ? source.dataset : decodeMnist(source.name, await readIdxDirectory(source.dir))
}

/**
 * An untrained run's checkpoint: the trainer `lab train` would build (the same settings, data and seed,
 * so the same initial weights), saved at iteration 0.
 */
export async function untrainedCheckpoint(config: RunConfig, presetId: string | undefined, source: DataSource): Promise<Uint8Array> {
  const dataset = await loadDataset(source)
  const trainer = new Trainer(config, dataset)
  return saveTrainer(trainer, { presetId, dataset: datasetRef(dataset), elapsedMs: 0, lastEvaluation: null, checkpoint: true })
}

/**
 * The data a model was trained on, when this machine has them: --data, else what the model records (the
 * bundled set, a folder, or a set of the data library, by name); null when none of these is here.
 */
export async function modelDataSource(modelBytes: Uint8Array, dataOption: string | undefined): Promise<DataSource | null> {
  if (dataOption) return dataSource(dataOption)
  const recorded = decodeModelFile(modelBytes).summary.dataset?.name
  if (recorded === undefined || recorded === 'bundled MNIST') return dataSource(undefined)
  return dataSource(recorded).catch(() => null)
}

/**
 * Writes the project into `out` with the data in `data/`: MNIST IDX files as they are, any other set as
 * the lab's stored set (the exact images the lab trains on). Refuses a folder that exists and is not
 * empty unless `force`.
 */
export async function writePytorchProject(out: string, modelBytes: Uint8Array, data: DataSource | null, force: boolean): Promise<ProjectFile[]> {
  const target = resolve(out)
  if (!force && (await nonEmptyDirectoryOrFile(target))) {
    throw new UsageError(`${out} exists and is not empty: choose another folder, or add --force to write into it`)
  }
  const dataNote = !data
    ? 'The data the run used were not found on the exporting machine: give them with `--data DIR`.'
    : data.kind === 'idx'
      ? 'The data the run used are in `data/` (MNIST IDX files), the default of `--data`.'
      : 'The data the run used are in `data/`, as the lab stores an imported set (one .safetensors file), the default of `--data`.'
  const files = exportPytorchProject(modelBytes, { dataNote })
  await mkdir(target, { recursive: true })
  for (const file of files) await writeFile(join(target, file.path), file.contents)
  if (data?.kind === 'idx') await copyIdxFiles(data.dir, join(target, 'data'))
  else if (data?.kind === 'set') {
    await mkdir(join(target, 'data'), { recursive: true })
    const stored = encodeStoredSet(data.dataset, { source: 'exported by lab export --format pytorch', createdAt: new Date().toISOString(), skipped: 0 })
    await writeFile(join(target, 'data', 'dataset.safetensors'), stored)
  }
  return files
}

/** The four MNIST files (raw or .gz, as found) and a classes.txt if there is one. */
async function copyIdxFiles(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true })
  const present = new Set(await readdir(from))
  for (const name of [...Object.values(MNIST_FILES), 'classes.txt']) {
    const found = [name, `${name}.gz`].find((candidate) => present.has(candidate))
    if (found) await copyFile(join(from, found), join(to, found))
  }
}

async function nonEmptyDirectoryOrFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path)
    return !info.isDirectory() || (await readdir(path)).length > 0
  } catch {
    return false
  }
}
