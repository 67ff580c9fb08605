import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { open, rename } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileAtomically, type AtomicWriteOps } from '../../src/engine/hosts/node/atomic-write'

/*
 * The lab's one atomic writer (runs, models, the CLI's model files), with each failure injected through
 * its file-system calls: whatever fails, the old file is intact and no temporary file is left.
 */

let dir: string
let target: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lab-atomic-'))
  target = join(dir, 'record.json')
  writeFileSync(target, 'old')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected`), { code })
const noSleep = { sleep: async () => undefined }
const leftovers = (): string[] => readdirSync(dir).filter((n) => n !== 'record.json')

/** `open` whose file handles fail at `step` ('write' or 'sync'). */
function handlesFailingAt(step: 'write' | 'sync', code: string): Partial<AtomicWriteOps> {
  return {
    open: (async (path: string, flags: string, mode?: number) => {
      const handle = await open(path, flags, mode)
      if (flags !== 'wx') return handle
      const failing = Object.create(handle) as typeof handle
      if (step === 'write') failing.writeFile = async () => Promise.reject(errno(code))
      else failing.sync = async () => Promise.reject(errno(code))
      failing.close = () => handle.close()
      return failing
    }) as AtomicWriteOps['open']
  }
}

describe('writeFileAtomically', () => {
  it('replaces the file and leaves nothing else', async () => {
    await writeFileAtomically(target, 'new')
    expect(readFileSync(target, 'utf8')).toBe('new')
    expect(leftovers()).toEqual([])
  })

  it('a full disk while writing: the old file stays, the temporary file is removed', async () => {
    await expect(writeFileAtomically(target, 'new', { ops: handlesFailingAt('write', 'ENOSPC') })).rejects.toThrow(/ENOSPC/)
    expect(readFileSync(target, 'utf8')).toBe('old')
    expect(leftovers()).toEqual([])
  })

  it('a failed flush: the old file stays, the temporary file is removed', async () => {
    await expect(writeFileAtomically(target, 'new', { ops: handlesFailingAt('sync', 'EIO') })).rejects.toThrow(/EIO/)
    expect(readFileSync(target, 'utf8')).toBe('old')
    expect(leftovers()).toEqual([])
  })

  it('no permission to create the temporary file: the old file stays', async () => {
    const ops = { open: (async () => Promise.reject(errno('EACCES'))) as unknown as AtomicWriteOps['open'] }
    await expect(writeFileAtomically(target, 'new', { ops })).rejects.toThrow(/EACCES/)
    expect(readFileSync(target, 'utf8')).toBe('old')
    expect(leftovers()).toEqual([])
  })

  it('a refused rename on POSIX fails at once: the old file stays, the temporary file is removed', async () => {
    let renames = 0
    const ops = { ...noSleep, rename: async () => (renames++, Promise.reject(errno('EPERM'))) }
    await expect(writeFileAtomically(target, 'new', { ops, platform: 'linux' })).rejects.toThrow(/EPERM/)
    expect(renames).toBe(1)
    expect(readFileSync(target, 'utf8')).toBe('old')
    expect(leftovers()).toEqual([])
  })

  it("retries Windows' transient rename errors with a growing delay, then succeeds", async () => {
    const codes = ['EBUSY', 'EPERM', 'EACCES']
    const delays: number[] = []
    const ops: Partial<AtomicWriteOps> = {
      sleep: async (ms) => void delays.push(ms),
      rename: async (from, to) => {
        const code = codes.shift()
        if (code) throw errno(code)
        await rename(from, to)
      }
    }
    await writeFileAtomically(target, 'new', { ops, platform: 'win32' })
    expect(readFileSync(target, 'utf8')).toBe('new')
    expect(delays).toHaveLength(3)
    expect(delays).toEqual([...delays].sort((a, b) => a - b))
    expect(leftovers()).toEqual([])
  })

  it('gives up after a few retries on Windows, and a non-transient error is not retried', async () => {
    let renames = 0
    const busy = { ...noSleep, rename: async () => (renames++, Promise.reject(errno('EBUSY'))) }
    await expect(writeFileAtomically(target, 'new', { ops: busy, platform: 'win32' })).rejects.toThrow(/EBUSY/)
    expect(renames).toBeGreaterThan(1)
    expect(renames).toBeLessThanOrEqual(6)
    renames = 0
    const gone = { ...noSleep, rename: async () => (renames++, Promise.reject(errno('ENOENT'))) }
    await expect(writeFileAtomically(target, 'new', { ops: gone, platform: 'win32' })).rejects.toThrow(/ENOENT/)
    expect(renames).toBe(1)
    expect(readFileSync(target, 'utf8')).toBe('old')
    expect(leftovers()).toEqual([])
  })

  it('flushes the file, then the folder after the rename (POSIX)', async () => {
    const synced: string[] = []
    const ops = {
      open: (async (path: string, flags: string, mode?: number) => {
        const handle = await open(path, flags, mode)
        const watched = Object.create(handle) as typeof handle
        watched.sync = async () => {
          // What the target holds when each is flushed: the folder is flushed after the rename.
          synced.push(`${path === dir ? 'folder' : 'file'}: ${readFileSync(target, 'utf8')}`)
          return handle.sync()
        }
        watched.close = () => handle.close()
        watched.writeFile = (data: Parameters<typeof handle.writeFile>[0]) => handle.writeFile(data)
        return watched
      }) as AtomicWriteOps['open']
    }
    await writeFileAtomically(target, 'new', { ops, platform: 'linux' })
    expect(synced).toEqual(['file: old', 'folder: new'])
  })

  it('a crash between writing and renaming leaves the old file (the leftover is the listing’s to clean)', async () => {
    // The process "dies" at the rename: nothing after it runs, so not even the clean-up.
    const ops = { rename: () => new Promise<void>(() => undefined), rm: async () => undefined }
    void writeFileAtomically(target, 'new', { ops })
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(readFileSync(target, 'utf8')).toBe('old')
    expect(leftovers()).toHaveLength(1)
    expect(leftovers()[0]).toMatch(/^\.record\.json\.tmp-\d+-[0-9a-f]+$/)
  })
})
