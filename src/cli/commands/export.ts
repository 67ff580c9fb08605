import { decodeModelFile } from '../../engine/model-file/model-file'
import { networkFromModelFile } from '../../engine/model-file/model-network'
import { exportOnnx } from '../../engine/onnx/export-onnx'
import { findPreset } from '../../engine/presets'
import { intOption, numberOption, parseOptions, precisionOption, UsageError } from '../args'
import { readModelBytes, writeFileAtomically } from '../model-files'
import { dataSource, modelDataSource, untrainedCheckpoint, writePytorchProject } from '../pytorch-project'
import { overrideSettings, readRunFile } from '../run-files'

const USAGE =
  'usage: lab export --model FILE --format onnx --out FILE\n' +
  '       lab export --model FILE --format pytorch --out DIR [--data NAME|DIR] [--force]\n' +
  '       lab export --preset ID | --config FILE.json --format pytorch --out DIR [--seed S] [--batch N] [--lr X] [--precision P] [--data NAME|DIR] [--force]'

/**
 * `lab export`: a saved model as ONNX (opset 13: float32 pixels in [0, 1] in, the class scores out), or a
 * model, a preset or a run file as a PyTorch project (engine/export/pytorch) that continues the run.
 */
export async function exportCommand(args: string[]): Promise<number> {
  const options = parseOptions(args, {
    model: { type: 'string' },
    preset: { type: 'string' },
    config: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    data: { type: 'string' },
    seed: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    precision: { type: 'string' }
  })
  if (options.format !== 'onnx' && options.format !== 'pytorch') {
    throw new UsageError(`--format must be onnx or pytorch${options.format ? `, got "${options.format}"` : ''}\n${USAGE}`)
  }
  const sources = [options.model && '--model', options.preset && '--preset', options.config && '--config'].filter(Boolean)
  if (sources.length > 1) throw new UsageError(`${sources.join(' and ')} do not go together: give one\n${USAGE}`)
  if (options.format === 'onnx') {
    if (!options.model || !options.out) throw new UsageError(`--model and --out are required\n${USAGE}`)
    const file = decodeModelFile(await readModelBytes(options.model))
    const onnxBytes = exportOnnx(networkFromModelFile(file), file.summary.config)
    await writeFileAtomically(options.out, onnxBytes)
    process.stderr.write(`wrote ${options.out} (${onnxBytes.length} bytes, ONNX opset 13)\n`)
    return 0
  }

  if (sources.length === 0 || !options.out) throw new UsageError(`--out DIR and one of --model, --preset, --config are required\n${USAGE}`)
  let modelBytes: Uint8Array
  let data
  if (options.model) {
    if (options.seed !== undefined || options.batch !== undefined || options.lr !== undefined || options.precision !== undefined) {
      throw new UsageError('--seed, --batch, --lr and --precision cannot change a saved model: its file holds its settings')
    }
    modelBytes = await readModelBytes(options.model)
    data = await modelDataSource(modelBytes, options.data)
  } else {
    const presetId = options.preset ? findPreset(options.preset).id : undefined
    const settings = options.config ? await readRunFile(options.config) : findPreset(options.preset!).config
    const config = overrideSettings(settings, {
      seed: intOption(options.seed, '--seed', 0, 0xffffffff),
      batchSize: intOption(options.batch, '--batch', 1, 100_000),
      lr: numberOption(options.lr, '--lr'),
      precision: precisionOption(options.precision)
    })
    data = await dataSource(options.data)
    modelBytes = await untrainedCheckpoint(config, presetId, data)
  }
  const files = await writePytorchProject(options.out, modelBytes, data, options.force ?? false)
  const note = !data
    ? "; the run's data were not found here: train.py needs --data DIR"
    : `, the data from ${data.kind === 'idx' ? data.name : data.dataset.name}`
  process.stderr.write(`wrote ${options.out}: ${files.map((f) => f.path).join(', ')}${note}\n`)
  return 0
}
