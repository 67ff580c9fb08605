import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/*
 * The one way the lab replaces a file: the app's runs and models, the CLI's model files. A temporary file in
 * the same folder is written and flushed, then renamed over the target, and the folder is flushed so the
 * rename itself survives a power cut. A crash at any moment leaves the old file or the new one, never half
 * of one; a failure at any step removes the temporary file and leaves the old target as it was.
 */

/** Marks temporary files, so a listing can skip (and clean up) the leftovers of a write that never finished. */
export const TEMP_MARK = '.tmp-'

/** The file-system calls a write makes; tests replace them to inject each failure. */
export interface AtomicWriteOps {
  open: typeof open
  rename: typeof rename
  rm: typeof rm
  /** Waits before a rename is retried. */
  sleep(ms: number): Promise<void>
}

export interface AtomicWriteOptions {
  ops?: Partial<AtomicWriteOps>
  /** Whose rules apply (tests pass 'win32'). */
  platform?: NodeJS.Platform
}

/*
 * On Windows a rename fails for a moment while another process (an antivirus scan, the search indexer, a
 * backup tool) holds the target open. These codes are worth a few short retries there; on POSIX they mean a
 * real problem (permissions) and fail at once.
 */
const TRANSIENT_RENAME_ERRORS = new Set(['EPERM', 'EBUSY', 'EACCES'])
const RENAME_RETRY_DELAYS_MS = [20, 60, 150, 400]

const defaultOps: AtomicWriteOps = {
  open,
  rename,
  rm,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * `.<name>.tmp-<pid>-<random>`: beside the target (a rename cannot cross file systems), never reused, and
 * hidden, so a write cut short by a kill leaves no stray file in the user's folder listings.
 */
export function temporaryPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`)
}

/** Writes `data` to `target` atomically; rejects with the first error, leaving any previous target intact. */
export async function writeFileAtomically(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const ops: AtomicWriteOps = { ...defaultOps, ...options.ops }
  const platform = options.platform ?? process.platform
  const temp = temporaryPathFor(target)
  try {
    const handle = await ops.open(temp, 'wx', 0o600)
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await renameWithRetries(ops, temp, target, platform)
  } catch (error) {
    await ops.rm(temp, { force: true }).catch(() => undefined)
    throw error
  }
  if (platform !== 'win32') await syncFolder(ops, dirname(target))
}

async function renameWithRetries(ops: AtomicWriteOps, from: string, to: string, platform: NodeJS.Platform): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await ops.rename(from, to)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const delay = RENAME_RETRY_DELAYS_MS[attempt]
      if (platform !== 'win32' || delay === undefined || !code || !TRANSIENT_RENAME_ERRORS.has(code)) throw error
      await ops.sleep(delay)
    }
  }
}

/*
 * The rename is an entry in the folder: flushing the folder makes it durable. The new file is already in
 * place, so a file system that cannot flush a folder (some network and FUSE mounts refuse) does not turn a
 * finished write into a failure.
 */
async function syncFolder(ops: AtomicWriteOps, folder: string): Promise<void> {
  try {
    const handle = await ops.open(folder, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // See above: the write itself succeeded.
  }
}
