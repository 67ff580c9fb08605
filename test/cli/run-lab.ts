/** The `lab` command run as a user runs it, and what the CLI tests read from its --json output. */
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const LAB = join(ROOT, 'src/cli/lab.ts')

export interface LabResult {
  code: number | null
  stdout: string
  stderr: string
}

/** `lab ARGS` through tsx in the project root; `env` adds variables (GRADIENT_LAB_HOME), `timeout` bounds the run in ms. */
export function runLab(args: readonly string[], options: { env?: Record<string, string>; timeout?: number } = {}): LabResult {
  const env = options.env ? { ...process.env, ...options.env } : undefined
  const result = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [LAB, ...args], { encoding: 'utf8', cwd: ROOT, env, timeout: options.timeout })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

export const lab = (...args: string[]): LabResult => runLab(args)

/** One object per line of --json output. */
export function jsonLines<T = Record<string, unknown>>(stdout: string): T[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T)
}

/** The lines without their wall-clock times, which differ from run to run while the numbers may not. */
export function withoutTimes<T extends object>(lines: readonly T[]): Omit<T, 'elapsedMs'>[] {
  return lines.map((line) => {
    const { elapsedMs: _ms, ...rest } = line as T & { elapsedMs?: number }
    return rest
  })
}

/** A fresh folder for one test file's runs, named after `prefix` (lab-models-…). */
export const workDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix))
