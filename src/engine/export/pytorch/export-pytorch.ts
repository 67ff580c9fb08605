/**
 * A run as a PyTorch project (issue 20): model.py, train.py and their helpers, the checkpoint itself, a
 * README and requirements.txt. The project continues the run exactly as the lab continues a checkpoint,
 * and writes a Gradient Lab model file back. Pure: it returns the files; a host writes them.
 */
import type { RunConfig } from '../../config/run-config'
import { decodeModelFile, APP_VERSION, type ModelFile } from '../../model-file/model-file'
import { networkFromModelFile } from '../../model-file/model-network'
import { EngineError } from '../../protocol/error-codes'
import { modelPy } from './model-py'
import { pythonLiteral } from './python-literal'
import { readmeMd } from './readme-md'
import { AUGMENT_PY } from './python/augment'
import { DATA_PY } from './python/data'
import { LAB_LAYERS_PY } from './python/lab-layers'
import { LAB_RANDOM_PY } from './python/lab-random'
import { OPTIMIZERS_PY } from './python/optimizers'
import { SAFETENSORS_IO_PY } from './python/safetensors-io'
import { TRAIN_BODY_PY } from './python/train-body'

export interface ProjectFile {
  /** Relative to the project folder. */
  path: string
  contents: string | Uint8Array
}

/** The checkpoint's name inside the project. */
export const PROJECT_CHECKPOINT = 'checkpoint.safetensors'

/** Settings train.py knows; any other (a newer lab's) must be off, or the export would not be the lab's run. */
const PORTED_SETTINGS = new Set<string>([
  'network',
  'optimizer',
  'batchSize',
  'iterations',
  'evalInterval',
  'seed',
  'trainAccuracy',
  'regularization',
  'freeze',
  'trainLimit',
  'testLimit',
  'evalSubset',
  'precision',
  'augment'
])

export interface ExportOptions {
  /** A sentence on where the data are (the host knows whether it copied them). */
  dataNote?: string
}

/** The project for a model file's bytes (a checkpoint continues; a model without training state only evaluates). */
export function exportPytorchProject(modelBytes: Uint8Array, options: ExportOptions = {}): ProjectFile[] {
  const file = decodeModelFile(modelBytes)
  const config = file.summary.config
  refuseUnportedSettings(config)
  const network = networkFromModelFile(file)
  const title = describeRun(file)
  return [
    { path: 'model.py', contents: modelPy(network, title) },
    { path: 'train.py', contents: trainPy(file, title) },
    { path: 'lab_layers.py', contents: LAB_LAYERS_PY },
    { path: 'optimizers.py', contents: OPTIMIZERS_PY },
    { path: 'lab_random.py', contents: LAB_RANDOM_PY },
    { path: 'augment.py', contents: AUGMENT_PY },
    { path: 'data.py', contents: DATA_PY },
    { path: 'safetensors_io.py', contents: SAFETENSORS_IO_PY },
    { path: PROJECT_CHECKPOINT, contents: modelBytes },
    {
      path: 'README.md',
      contents: readmeMd({
        title,
        iteration: file.summary.iteration,
        iterations: config.iterations,
        precision: file.summary.precision,
        optimizer: OPTIMIZER_NAMES[config.optimizer.kind],
        dataNote: options.dataNote ?? 'Give the data with `--data DIR`.'
      })
    },
    { path: 'requirements.txt', contents: REQUIREMENTS }
  ]
}

const OPTIMIZER_NAMES: Record<RunConfig['optimizer']['kind'], string> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  nesterov: 'Nesterov',
  adagrad: 'AdaGrad',
  rmsprop: 'RMSProp',
  adam: 'Adam'
}

const REQUIREMENTS = `torch>=1.13
numpy
# optional: safetensors (used when installed), Pillow (class-folder data)
`

/** Refuses, with one line naming it, a setting of a newer lab that train.py would silently ignore. */
export function refuseUnportedSettings(config: RunConfig): void {
  for (const [key, value] of Object.entries(config)) {
    if (PORTED_SETTINGS.has(key) || isOff(value)) continue
    throw new EngineError('INVALID_REQUEST', `cannot export the setting "${key}" to PyTorch: train.py does not reproduce it yet`)
  }
}

/** An absent or switched-off setting: nothing to reproduce. */
function isOff(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0) return true
  if (Array.isArray(value)) return value.length === 0
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
    return entries.length === 0 || (value as { kind?: unknown }).kind === 'none' || entries.every(([, v]) => isOff(v))
  }
  return false
}

function describeRun(file: ModelFile): string {
  const { config, presetId } = file.summary
  const net = config.network.kind === 'mlp' ? `an MLP ${config.network.hidden.join('-')}` : `a ${config.network.layers.length}-layer network`
  return `The Gradient Lab run ${presetId ? `"${presetId}"` : '(custom settings)'}: ${net}, ${OPTIMIZER_NAMES[config.optimizer.kind]}, seed ${config.seed}`
}

function trainPy(file: ModelFile, title: string): string {
  const { summary } = file
  return `#!/usr/bin/env python3
"""
${title}.

Continued in PyTorch from ${PROJECT_CHECKPOINT} (iteration ${summary.iteration}) exactly as 'lab train --resume'
continues it: the lab's batches, dropout masks, augmentation and update rules.

    python train.py [--device cpu|cuda] [--iters N] [--eval-every N] [--data DIR] [--out FILE] [--json]
    torchrun --standalone --nproc_per_node=N train.py ...     (DistributedDataParallel)
"""

# ---- The run's settings, as the lab ran it (Gradient Lab's run file: README.md of the lab, "Run files") ----
RUN = ${pythonLiteral(summary.config)}
PRESET_ID = ${pythonLiteral(summary.presetId)}
CHECKPOINT = "${PROJECT_CHECKPOINT}"
LAB_VERSION = "${APP_VERSION}"

${TRAIN_BODY_PY}`
}
