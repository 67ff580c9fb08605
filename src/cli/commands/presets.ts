import { PRESETS } from '../../engine/presets'
import { parseOptions } from '../args'

/** `lab presets [--json]`: one preset id per line (with its title), or the full presets as JSON. */
export function presetsCommand(args: string[]): number {
  const options = parseOptions(args, { json: { type: 'boolean' } })
  if (options.json) {
    process.stdout.write(JSON.stringify(PRESETS, null, 2) + '\n')
    return 0
  }
  const width = Math.max(...PRESETS.map((p) => p.id.length))
  for (const preset of PRESETS) process.stdout.write(`${preset.id.padEnd(width)}  ${preset.lesson}: ${preset.title}\n`)
  return 0
}
