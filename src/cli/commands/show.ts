import { findPreset } from '../../engine/presets'
import { parseOptions, UsageError } from '../args'

/**
 * `lab show --preset ID`: the preset's full run settings as JSON, the same object a run record stores and
 * `lab train --config FILE` runs. Save it, edit it, run it.
 */
export function showCommand(args: string[]): number {
  const options = parseOptions(args, { preset: { type: 'string' } })
  if (!options.preset) throw new UsageError('--preset is required\nusage: lab show --preset ID')
  process.stdout.write(JSON.stringify(findPreset(options.preset).config, null, 2) + '\n')
  return 0
}
