import { randomBytes } from 'node:crypto'
import { open, readFile, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { EngineError } from '../engine/protocol/error-codes'

/** A model file's bytes; a missing or unreadable file is one clear line (exit 2). */
export async function readModelBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(resolve(path)))
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message
    throw new EngineError('INVALID_MODEL', `cannot read the model file ${path}: ${reason}`)
  }
}

/**
 * Writes a file atomically: a temporary file beside it, flushed to disk, then renamed over the target. A
 * failure at any point (disk full, permission denied) leaves the previous file as it was.
 */
export async function writeFileAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const target = resolve(path)
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temporary, 'wx')
    try {
      await handle.writeFile(bytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, target)
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {})
    throw new EngineError('MODEL_WRITE_FAILED', `could not write ${path}: ${(error as Error).message}; any previous file there is unchanged`)
  }
}
