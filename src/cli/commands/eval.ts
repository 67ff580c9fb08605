import { parseOptions, UsageError } from '../args'
import { openWithModel } from '../model-files'

const USAGE = 'usage: lab eval --model FILE [--data NAME|DIR] [--json]'

/**
 * `lab eval`: a saved model's test accuracy on the bundled (or given) data, with the confusion matrix
 * (rows: true digit, columns: predicted). JSON: {"testAcc":x,"n":N,"confusion":[[...]]}. A model trained
 * on other data is evaluated all the same, with a note on stderr.
 */
export async function evalCommand(args: string[]): Promise<number> {
  const options = parseOptions(args, { model: { type: 'string' }, data: { type: 'string' }, json: { type: 'boolean' } })
  if (!options.model) throw new UsageError(`--model is required\n${USAGE}`)
  const { engine, dataset } = await openWithModel(options.model, options.data)
  const result = await engine.until('modelEvaluation', { type: 'evaluateModel', requestId: 'cli-eval' })
  if (result.datasetNote) process.stderr.write(`note: ${result.datasetNote}\n`)
  if (options.json) {
    process.stdout.write(JSON.stringify({ testAcc: result.testAcc, n: result.n, confusion: result.confusion }) + '\n')
    return 0
  }
  const correct = result.n - result.misclassified.length
  process.stdout.write(`test accuracy ${result.testAcc.toFixed(4)} (${correct} / ${result.n})\n`)
  // Columns are class numbers; rows name the class too when it has a name of its own (not a digit).
  const named = dataset.classes.some((name, i) => name !== String(i))
  process.stdout.write(`confusion (rows: true class, columns: predicted)\n`)
  process.stdout.write(`     ${dataset.classes.map((_, i) => String(i).padStart(5)).join('')}\n`)
  result.confusion.forEach((row, label) => {
    const name = named ? `  ${dataset.classes[label]}` : ''
    process.stdout.write(`${String(label).padStart(5)}${row.map((c) => String(c).padStart(5)).join('')}${name}\n`)
  })
  return 0
}
