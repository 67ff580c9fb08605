import { decodeModelFile, networkFromModelFile } from '../../engine/model-file/model-file'
import { exportOnnx } from '../../engine/onnx/export-onnx'
import { parseOptions, UsageError } from '../args'
import { readModelBytes, writeFileAtomically } from '../model-files'

const USAGE = 'usage: lab export --model FILE --format onnx --out FILE'

/** `lab export`: a saved model as ONNX (opset 13): float32 pixels in [0, 1] in, the 10 class scores out. */
export async function exportCommand(args: string[]): Promise<number> {
  const options = parseOptions(args, { model: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } })
  if (!options.model || !options.out) throw new UsageError(`--model and --out are required\n${USAGE}`)
  if (options.format !== 'onnx') throw new UsageError(`--format must be onnx${options.format ? `, got "${options.format}"` : ''}\n${USAGE}`)
  const file = decodeModelFile(await readModelBytes(options.model))
  const onnxBytes = exportOnnx(networkFromModelFile(file), file.summary.config)
  await writeFileAtomically(options.out, onnxBytes)
  process.stderr.write(`wrote ${options.out} (${onnxBytes.length} bytes, ONNX opset 13)\n`)
  return 0
}
