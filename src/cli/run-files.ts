import type { Precision } from '../engine/core/dtype'
import { readFile } from 'node:fs/promises'
import { checkRunConfig, describeProblems, type RunConfig } from '../engine/config/run-config'
import { parseRunFile } from '../engine/config/run-file'
import { EngineError } from '../engine/protocol/error-codes'

/** A run file's settings; every problem as `field: message` on one line (exit 2). */
export async function readRunFile(path: string): Promise<RunConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message
    throw new EngineError('INVALID_CONFIG', `cannot read the run file ${path}: ${reason}`)
  }
  const checked = parseRunFile(text)
  if (!checked.ok) throw new EngineError('INVALID_CONFIG', `${path}: ${describeProblems(checked.problems)}`, { problems: checked.problems })
  return checked.config
}

/** A preset's or a file's settings with the command line's --seed, --batch and --lr, checked again. */
export function overrideSettings(config: RunConfig, overrides: { seed?: number; batchSize?: number; lr?: number; precision?: Precision }): RunConfig {
  const next = {
    ...config,
    ...(overrides.seed === undefined ? {} : { seed: overrides.seed }),
    ...(overrides.batchSize === undefined ? {} : { batchSize: overrides.batchSize }),
    ...(overrides.precision === undefined ? {} : { precision: overrides.precision }),
    optimizer: overrides.lr === undefined ? config.optimizer : { ...config.optimizer, lr: overrides.lr }
  }
  const checked = checkRunConfig(next)
  if (!checked.ok) throw new EngineError('INVALID_CONFIG', describeProblems(checked.problems), { problems: checked.problems })
  return checked.config
}
