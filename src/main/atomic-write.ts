import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'

/** Marks temporary files, so a listing can skip (and clean up) the leftovers of a write that never finished. */
export const TEMP_MARK = '.tmp-'

/**
 * Writes `data` to `target` atomically: a temporary file in the same folder, flushed to disk, then renamed
 * over the target. If anything fails (disk full, permission denied) the temporary file is removed and the
 * previous target is untouched; the error is rethrown for the caller to report.
 */
export async function writeFileAtomically(target: string, data: string | Uint8Array): Promise<void> {
  const temp = `${target}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    const handle = await open(temp, 'wx', 0o600)
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, target)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
