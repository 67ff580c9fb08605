import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { RunConfig } from '../engine/config/run-config'
import { decodeMnist, MNIST_FILES } from '../engine/data/mnist'
import { exportPytorchProject, type ProjectFile } from '../engine/export/pytorch/export-pytorch'
import { readIdxDirectory } from '../engine/hosts/node/read-idx-dir'
import { saveTrainer } from '../engine/model-file/checkpoint'
import { datasetRef } from '../engine/model-file/model-desk'
import { decodeModelFile } from '../engine/model-file/model-file'
import { Trainer } from '../engine/train/trainer'
import { UsageError } from './args'
import { BUNDLED_MNIST_DIR } from './engine-connection'

/** Where the data of a run are, as `lab train` names them: the bundled set, or a folder given with --data. */
export interface DataSource {
  dir: string
  name: string
}

export function dataSource(dataOption: string | undefined): DataSource {
  return dataOption ? { dir: resolve(dataOption), name: resolve(dataOption) } : { dir: BUNDLED_MNIST_DIR, name: 'bundled MNIST' }
}

/**
 * An untrained run's checkpoint: the trainer `lab train` would build (the same settings, data and seed,
 * so the same initial weights), saved at iteration 0.
 */
export async function untrainedCheckpoint(config: RunConfig, presetId: string | undefined, data: DataSource): Promise<Uint8Array> {
  const dataset = await decodeMnist(data.name, await readIdxDirectory(data.dir))
  const trainer = new Trainer(config, dataset)
  return saveTrainer(trainer, { presetId, dataset: datasetRef(dataset), elapsedMs: 0, lastEvaluation: null, checkpoint: true })
}

/**
 * The data a model was trained on, when this machine has them: --data, the bundled set for a model of the
 * bundled set, or the folder a CLI run recorded as its data's name.
 */
export async function modelDataSource(modelBytes: Uint8Array, dataOption: string | undefined): Promise<DataSource | null> {
  if (dataOption) return dataSource(dataOption)
  const recorded = decodeModelFile(modelBytes).summary.dataset?.name
  if (recorded === undefined || recorded === 'bundled MNIST') return dataSource(undefined)
  return (await isDirectory(recorded)) ? { dir: recorded, name: recorded } : null
}

/** Writes the project into `out`; refuses a folder that exists and is not empty unless `force`. */
export async function writePytorchProject(out: string, modelBytes: Uint8Array, data: DataSource | null, force: boolean): Promise<ProjectFile[]> {
  const target = resolve(out)
  if (!force && (await nonEmptyDirectoryOrFile(target))) {
    throw new UsageError(`${out} exists and is not empty: choose another folder, or add --force to write into it`)
  }
  const dataNote = data
    ? 'The data the run used are in `data/` (MNIST IDX files), the default of `--data`.'
    : 'The data the run used were not found on the exporting machine: give them with `--data DIR`.'
  const files = exportPytorchProject(modelBytes, { dataNote })
  await mkdir(target, { recursive: true })
  for (const file of files) await writeFile(join(target, file.path), file.contents)
  if (data) await copyIdxFiles(data.dir, join(target, 'data'))
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

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}
