import { join } from 'node:path'
import { writeFileAtomically } from '../engine/hosts/node/atomic-write'
import { RUN_SUMMARY_VERSION } from './run-summary'

/*
 * The run list's index: one small file beside the records, `<runs>/.index.json`, with each record's summary
 * and the size, modification time and inode of the file it was made from. It is a cache: a record whose
 * file no longer matches its entry (written by an older build, edited, restored from a backup, or saved just
 * before a crash, ahead of the index) is read again, an entry without its file is dropped, and an index that
 * is missing, damaged or of another version is rebuilt. The name starts with a dot, which no run id may.
 */

export const INDEX_FILE = '.index.json'
const INDEX_FORMAT = 'gradient-lab-run-index'

/** Identifies one version of a record file: an atomic rewrite always gets a new inode. */
export interface FileStamp {
  size: number
  mtimeMs: number
  ino: number
}

export type IndexEntry = FileStamp & ({ summary: Record<string, unknown> } | { error: string })

interface IndexFile {
  format: typeof INDEX_FORMAT
  summaryVersion: number
  entries: Record<string, IndexEntry>
}

export const sameStamp = (a: FileStamp, b: FileStamp): boolean => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino

const isStamp = (v: Record<string, unknown>): boolean => typeof v.size === 'number' && typeof v.mtimeMs === 'number' && typeof v.ino === 'number'

function isEntry(value: unknown): value is IndexEntry {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return isStamp(v) && ((typeof v.summary === 'object' && v.summary !== null) || typeof v.error === 'string')
}

/** The stored entries, or an empty map when there is no usable index (it is then rebuilt). */
export async function loadRunIndex(dir: string, readText: (path: string) => Promise<string>): Promise<Map<string, IndexEntry>> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readText(join(dir, INDEX_FILE)))
  } catch {
    return new Map()
  }
  const file = parsed as Partial<IndexFile> | null
  if (file?.format !== INDEX_FORMAT || file.summaryVersion !== RUN_SUMMARY_VERSION || typeof file.entries !== 'object' || file.entries === null) {
    return new Map()
  }
  return new Map(Object.entries(file.entries).filter((pair): pair is [string, IndexEntry] => isEntry(pair[1])))
}

export async function saveRunIndex(dir: string, entries: ReadonlyMap<string, IndexEntry>): Promise<void> {
  const file: IndexFile = { format: INDEX_FORMAT, summaryVersion: RUN_SUMMARY_VERSION, entries: Object.fromEntries(entries) }
  await writeFileAtomically(join(dir, INDEX_FILE), JSON.stringify(file))
}
