import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import type { DatasetEntry, ImportSettings } from '../../engine/protocol'
import { EngineError } from '../../engine/protocol/error-codes'
import { intOption, numberOption, UsageError } from '../args'
import { EngineConnection } from '../engine-connection'

const USAGE =
  'usage: lab data import SRC --name NAME [--size S | --size HxW] [--grey | --colour] [--test-split F] [--seed S] [--strict] [--json]\n' +
  '       lab data list [--json]\n' +
  '       lab data remove NAME'

/**
 * `lab data`: the data library the desktop app shares (GRADIENT_LAB_HOME). `import` reads a folder of
 * class folders, CIFAR-10/100 binaries or MNIST-format IDX files and stores it; `list` and `remove`.
 */
export async function dataCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args
  if (sub === 'import') return importData(rest)
  if (sub === 'list') return listData(rest)
  if (sub === 'remove') return removeData(rest)
  throw new UsageError(`${sub ? `unknown data command "${sub}"` : 'a data command is required'}\n${USAGE}`)
}

type OptionSpecs = Record<string, { type: 'string' | 'boolean' }>

function parse(args: string[], options: OptionSpecs): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true })
    return { values: values as Record<string, string | boolean | undefined>, positionals }
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`)
  }
}

async function importData(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    name: { type: 'string' },
    size: { type: 'string' },
    grey: { type: 'boolean' },
    colour: { type: 'boolean' },
    'test-split': { type: 'string' },
    seed: { type: 'string' },
    strict: { type: 'boolean' },
    json: { type: 'boolean' }
  })
  if (positionals.length !== 1) throw new UsageError(`give one folder to import (got ${positionals.length})\n${USAGE}`)
  const name = typeof values.name === 'string' ? values.name.trim() : ''
  if (!name) throw new UsageError(`--name is required\n${USAGE}`)
  if (values.grey && values.colour) throw new UsageError('--grey and --colour do not go together')
  const testSplit = numberOption(values['test-split'] as string | undefined, '--test-split')
  if (testSplit !== undefined && !(testSplit > 0 && testSplit < 1)) throw new UsageError(`--test-split must be between 0 and 1, got ${testSplit}`)
  const settings: ImportSettings = {
    ...(values.size !== undefined ? { size: parseSize(values.size as string) } : {}),
    ...(values.grey ? { colour: 'grey' as const } : values.colour ? { colour: 'colour' as const } : {}),
    ...(testSplit !== undefined ? { testSplit } : {}),
    ...(values.seed !== undefined ? { seed: intOption(values.seed as string, '--seed', 0, 0xffffffff) } : {}),
    ...(values.strict ? { strict: true } : {})
  }

  const engine = await EngineConnection.connect()
  const requestId = 'cli-import'
  const progress = new ProgressLine(!values.json && process.stderr.isTTY === true)
  const interrupt = (): void => engine.send({ type: 'cancelImport', requestId })
  process.once('SIGINT', interrupt)
  try {
    const entry = await new Promise<DatasetEntry>((resolveImport, reject) => {
      engine.on((event) => {
        if (event.type === 'datasetImportProgress' && event.requestId === requestId) progress.show(event.phase, event.done, event.total)
        else if (event.type === 'datasetImported' && event.requestId === requestId) resolveImport(event.entry)
        else if (event.type === 'datasetImportCancelled' && event.requestId === requestId)
          reject(new EngineError('DATASET_INVALID', 'the import was cancelled: nothing was stored'))
        else if (event.type === 'error' && event.requestId === requestId) reject(new EngineError(event.code, event.message))
      })
      engine.send({ type: 'importDataset', requestId, name, source: { kind: 'directory', path: resolve(positionals[0]) }, settings, overwrite: false })
    })
    progress.end()
    if (values.json) {
      const { train, test, classes, channels, height, width, fingerprint, skipped } = entry
      process.stdout.write(JSON.stringify({ name: entry.name, train, test, classes, channels, height, width, fingerprint, skipped }) + '\n')
    } else {
      process.stdout.write(`stored "${entry.name}": ${describe(entry)}\n`)
      for (const { file, reason } of entry.skipped) process.stdout.write(`skipped ${file}: ${reason}\n`)
    }
    return 0
  } finally {
    progress.end()
    process.off('SIGINT', interrupt)
  }
}

async function listData(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } })
  if (positionals.length > 0) throw new UsageError(`lab data list takes no folder or name\n${USAGE}`)
  const engine = await EngineConnection.connect()
  const { sets } = await engine.until('datasets', { type: 'listDatasets', requestId: 'cli-list' })
  if (values.json) {
    process.stdout.write(JSON.stringify(sets) + '\n')
    return 0
  }
  if (sets.length === 0) process.stdout.write('the data library is empty (lab data import SRC --name NAME adds a set)\n')
  for (const entry of sets) process.stdout.write(`${entry.name}  ${entry.problem ? `unreadable: ${entry.problem}` : describe(entry)}\n`)
  return 0
}

async function removeData(args: string[]): Promise<number> {
  const { positionals } = parse(args, {})
  if (positionals.length !== 1) throw new UsageError(`give the name of one set to remove\n${USAGE}`)
  const engine = await EngineConnection.connect()
  await engine.until('datasets', { type: 'removeDataset', requestId: 'cli-remove', name: positionals[0] })
  process.stdout.write(`removed "${positionals[0]}"\n`)
  return 0
}

/** "32" → 32×32, "24x32" → 24 high, 32 wide. */
function parseSize(text: string): { height: number; width: number } {
  const match = /^(\d+)(?:x(\d+))?$/i.exec(text.trim())
  if (!match) throw new UsageError(`--size must be S or HxW (e.g. 32 or 24x32), got "${text}"`)
  const height = Number(match[1])
  const width = Number(match[2] ?? match[1])
  if ([height, width].some((side) => side < 8 || side > 128)) throw new UsageError(`--size sides must be from 8 to 128, got ${height}x${width}`)
  return { height, width }
}

const describe = (e: DatasetEntry): string =>
  `${e.source}, ${e.train} train / ${e.test} test, ${e.channels === 3 ? 'colour' : 'grey'} ${e.height}×${e.width}, ${e.classes.length} classes, fingerprint ${e.fingerprint}`

/** One line on a terminal, rewritten at most a few times a second: phase, files and files per second. */
class ProgressLine {
  private readonly started = Date.now()
  private last = 0
  private shown = false
  constructor(private readonly enabled: boolean) {}

  show(phase: string, done: number, total: number): void {
    const now = Date.now()
    if (!this.enabled || (now - this.last < 250 && done < total)) return
    this.last = now
    const rate = done / Math.max(0.001, (now - this.started) / 1000)
    process.stderr.write(`\r${phase}: ${done} / ${total} (${Math.round(rate)}/s)   `)
    this.shown = true
  }

  end(): void {
    if (this.shown) process.stderr.write('\n')
    this.shown = false
  }
}
