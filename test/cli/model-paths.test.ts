import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runLab, workDir } from './run-lab'

const lab = (...args: string[]) => runLab(args, { timeout: 30_000 })

describe('a model path that is not a file', { timeout: 60_000 }, () => {
  it('a folder or a named pipe is refused by name before it is read (a pipe would block forever)', () => {
    const dir = workDir('lab-paths-')
    const folder = lab('eval', '--model', dir)
    expect(folder.code).toBe(2)
    expect(folder.stderr).toMatch(/is a folder, not a file/)
    const fifo = join(dir, 'model.safetensors')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const piped = lab('train', '--resume', fifo)
    expect(piped.code).toBe(2)
    expect(piped.stderr).toMatch(/model\.safetensors is a named pipe, not a file/)
  })
})
