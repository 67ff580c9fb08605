/**
 * Debian's PyTorch for the export tests: it imports only under /usr/bin/python3 (the plain `python3` here
 * may be a pyenv build without it). CI installs python3-torch (.ci/run), so there a missing PyTorch fails
 * the tests; elsewhere they are skipped with the reason in their name.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ProjectFile } from '../../../src/engine/export/pytorch/export-pytorch'

export const PYTHON = '/usr/bin/python3'

function findTorch(): { version: string | null; problem: string | null } {
  const result = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' })
  if (result.error) return { version: null, problem: `${PYTHON} cannot run (${result.error.message})` }
  if (result.status !== 0) return { version: null, problem: `${PYTHON} cannot import torch: ${result.stderr.trim().split('\n').at(-1)}` }
  return { version: result.stdout.trim(), problem: null }
}

export const torch = findTorch()

/** Skip only outside CI, and say why; in CI a missing PyTorch must fail (requireTorch in beforeAll). */
export const skipWithoutTorch = torch.problem !== null && !process.env.CI
export const torchNote = torch.problem ? ` (skipped: ${torch.problem})` : ''

export function requireTorch(): void {
  if (torch.problem)
    throw new Error(`PyTorch is required for the PyTorch export tests: ${torch.problem}. Install it: apt-get install -y python3-torch (.ci/run does)`)
}

export function python(args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  // One thread a process: two processes share two cores in the DDP test, and small nets gain nothing from more.
  return spawnSync(PYTHON, args, { cwd, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', ...env } })
}

export function writeProject(dir: string, files: ProjectFile[]): void {
  mkdirSync(dir, { recursive: true })
  for (const file of files) writeFileSync(join(dir, file.path), file.contents)
}
