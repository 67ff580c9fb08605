import { readdir, stat, statfs } from 'node:fs/promises'
import { join } from 'node:path'
import { checkQuota, QuotaExceededError, type StoreKind } from '../../store-quota'

/*
 * The stores' quota on disk (src/engine/store-quota.ts has the policy): what a store's folder holds, the
 * disk's free space, and the check a store makes before it writes.
 */

/** Free space for this user on the disk holding `dir`, or null where the platform cannot tell. */
export async function freeDiskBytes(dir: string): Promise<number | null> {
  try {
    const info = await statfs(dir)
    return info.bavail * info.bsize
  } catch {
    return null
  }
}

/** Bytes of the regular files under `dir` (sub-folders included); a missing folder holds nothing. */
export async function folderBytes(dir: string): Promise<number> {
  let names
  try {
    names = await readdir(dir, { withFileTypes: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw error
  }
  let total = 0
  for (const entry of names) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) total += await folderBytes(path)
    else if (entry.isFile())
      total += await stat(path).then(
        (s) => s.size,
        () => 0
      )
  }
  return total
}

export interface DiskQuotaQuestion {
  store: StoreKind
  /** The store's folder (what it holds is counted, and its disk's free space). */
  dir: string
  writeBytes: number
  /** Bytes in the folder that this write replaces (freed when it lands). */
  replacedBytes?: number
  /** Tests: a disk of a chosen size. */
  freeBytes?: (dir: string) => Promise<number | null>
}

/** Throws QuotaExceededError, before anything is written, when the write would pass the store's quota. */
export async function assertDiskQuota(q: DiskQuotaQuestion): Promise<void> {
  const replacedBytes = q.replacedBytes ?? 0
  const storedBytes = Math.max(0, (await folderBytes(q.dir)) - replacedBytes)
  const freeBytes = await (q.freeBytes ?? freeDiskBytes)(q.dir)
  const verdict = checkQuota({ store: q.store, storedBytes, writeBytes: q.writeBytes, freeBytes, replacedBytes })
  if (!verdict.ok) throw new QuotaExceededError(verdict.message)
}
