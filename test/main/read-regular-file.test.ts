import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readRegularFile } from '../../src/engine/hosts/node/read-regular-file'

/* What a model import may read: a regular file (or a link to one), at most the cap; nothing else is opened. */

const dir = mkdtempSync(join(tmpdir(), 'lab-regular-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const file = join(dir, 'model.safetensors')
writeFileSync(file, Buffer.from([1, 2, 3, 4]))

describe('readRegularFile', () => {
  it('reads a regular file, and one through a symbolic link', async () => {
    expect(Array.from(await readRegularFile(file, 100))).toEqual([1, 2, 3, 4])
    symlinkSync(file, join(dir, 'link.safetensors'))
    expect(Array.from(await readRegularFile(join(dir, 'link.safetensors'), 100))).toEqual([1, 2, 3, 4])
  })

  it('refuses a file over the cap without reading it', async () => {
    await expect(readRegularFile(file, 3)).rejects.toThrow(/model\.safetensors is larger than 3 bytes/)
  })

  it('refuses a folder, a device, and links to them', async () => {
    mkdirSync(join(dir, 'folder.safetensors'))
    await expect(readRegularFile(join(dir, 'folder.safetensors'), 100)).rejects.toThrow(/is a folder, not a file/)
    await expect(readRegularFile('/dev/zero', 100)).rejects.toThrow(/is a device, not a file/)
    symlinkSync('/dev/zero', join(dir, 'zero.safetensors'))
    await expect(readRegularFile(join(dir, 'zero.safetensors'), 100)).rejects.toThrow(/is a link to a device, not a file/)
  })

  it('refuses a named pipe at once instead of waiting for a writer', async () => {
    const fifo = join(dir, 'pipe.safetensors')
    execFileSync('mkfifo', [fifo])
    // Opening a FIFO for reading blocks until someone writes: the test's timeout would catch a hang.
    await expect(readRegularFile(fifo, 100)).rejects.toThrow(/is a named pipe, not a file/)
    symlinkSync(fifo, join(dir, 'pipe-link.safetensors'))
    await expect(readRegularFile(join(dir, 'pipe-link.safetensors'), 100)).rejects.toThrow(/is a link to a named pipe/)
  })

  it('a missing file is the system error', async () => {
    await expect(readRegularFile(join(dir, 'nope.safetensors'), 100)).rejects.toThrow(/ENOENT/)
  })
})
