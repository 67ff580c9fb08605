import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { StoredRunFile } from '../preload/api'
import { TEMP_MARK, writeFileAtomically } from '../engine/hosts/node/atomic-write'
import { loadRunIndex, sameStamp, saveRunIndex, type FileStamp, type IndexEntry } from './run-index'
import { summarizeRunRecord } from './run-summary'
import { checkQuota, QuotaExceededError } from '../engine/store-quota'
import { freeDiskBytes } from '../engine/hosts/node/disk-quota'
import { serialTasks } from './serial-tasks'

/*
 * Run records as files: `<dir>/<id>.json`, one per run, and an index of their summaries (run-index.ts).
 * Pure Node (no Electron import), so it is tested in vitest with a temporary folder; src/main/ipc.ts only
 * wires it to the renderer.
 *
 * - `list()` answers from the index: summaries only, a few KB per run. A record is parsed only when its
 *   entry is missing or stale, one file per turn of the event loop, so even a rebuild never holds the main
 *   process (which draws the window) for more than one record.
 * - `read(ids)` gives whole records, a few at a time, when a view needs a run's curves.
 * - Atomic writes (a temporary file, flushed, renamed, the folder flushed): a crash leaves the old record
 *   or the new one, never half a file. Writes to the same id are serialised, so an older periodic save can
 *   never land after a newer one.
 * - Reading never throws for one bad file: it is listed with the reason, and the renderer says so.
 */

/** Same rule as the renderer's record schema; it also keeps ids safe as file names (no `/`, no `..`). */
export const RUN_FILE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/
/** A record is bounded by the renderer (20k losses, 1k evaluations: about 1.5 MB); anything far larger is refused. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024
/** Whole records per `read` call: a view asks for the runs it shows, not for the library. */
export const MAX_READ_BATCH = 20
/** The index is rewritten at most this often while runs are saved (it is a cache: a late write loses nothing). */
const INDEX_WRITE_DELAY_MS = 2000

const SUFFIX = '.json'

export interface RunFileStore {
  readonly dir: string
  /** Every record's summary (or why it cannot be read), sorted by id. */
  list(): Promise<StoredRunFile[]>
  /** The whole records of `ids` (at most MAX_READ_BATCH), in that order. */
  read(ids: readonly string[]): Promise<StoredRunFile[]>
  save(id: string, record: unknown): Promise<void>
  remove(id: string): Promise<void>
  /** Writes the index now if it changed (the app calls it on quit; tests call it to look at the file). */
  flushIndex(): Promise<void>
}

export interface RunFileStoreOptions {
  /** Reads a file as text; tests count the calls to see which records were parsed. */
  readText?: (path: string) => Promise<string>
  indexWriteDelayMs?: number
  /** Free bytes on the disk of `dir` (null: unknown); tests pass a small disk. */
  freeBytes?: (dir: string) => Promise<number | null>
}

export function isRunFileId(id: unknown): id is string {
  return typeof id === 'string' && RUN_FILE_ID.test(id) && !id.includes('..')
}

const stampOf = (info: { size: number; mtimeMs: number; ino: number }): FileStamp => ({ size: info.size, mtimeMs: info.mtimeMs, ino: info.ino })

function reasonOf(error: unknown): string {
  if (error instanceof SyntaxError) return `not valid JSON (${error.message})`
  return error instanceof Error ? error.message : String(error)
}

export function createRunFileStore(dir: string, options: RunFileStoreOptions = {}): RunFileStore {
  const readText = options.readText ?? ((path: string) => readFile(path, 'utf8'))
  const indexWriteDelayMs = options.indexWriteDelayMs ?? INDEX_WRITE_DELAY_MS
  const freeBytes = options.freeBytes ?? freeDiskBytes
  /** Runs `task` after every earlier task for the same id has settled. */
  const serial = serialTasks()
  let ready: Promise<void> | null = null
  const ensureDir = (): Promise<void> => (ready ??= mkdir(dir, { recursive: true }).then(() => undefined))

  let index: Promise<Map<string, IndexEntry>> | null = null
  const loadIndex = (): Promise<Map<string, IndexEntry>> => (index ??= ensureDir().then(() => loadRunIndex(dir, readText)))
  let indexDirty = false
  let indexTimer: ReturnType<typeof setTimeout> | undefined
  let indexWrite: Promise<void> = Promise.resolve()

  const pathOf = (id: string): string => {
    if (!isRunFileId(id)) throw new Error(`not a valid run id: ${JSON.stringify(String(id).slice(0, 120))}`)
    return join(dir, id + SUFFIX)
  }

  function markIndexDirty(): void {
    indexDirty = true
    if (indexTimer) return
    indexTimer = setTimeout(() => {
      indexTimer = undefined
      flushIndex().catch((error: unknown) => console.warn(`[runs] could not write the run index: ${reasonOf(error)}`))
    }, indexWriteDelayMs)
    indexTimer.unref?.()
  }

  function flushIndex(): Promise<void> {
    if (indexTimer) clearTimeout(indexTimer)
    indexTimer = undefined
    indexWrite = indexWrite
      .catch(() => undefined)
      .then(async () => {
        if (!indexDirty || !index) return
        indexDirty = false
        try {
          await saveRunIndex(dir, await index)
        } catch (error) {
          indexDirty = true
          throw error
        }
      })
    return indexWrite
  }

  /** Parses one record file: its summary for the index, or why it cannot be read. */
  async function summarizeFile(path: string, stamp: FileStamp): Promise<IndexEntry> {
    try {
      return { ...stamp, summary: summarizeRunRecord(JSON.parse(await readText(path))) }
    } catch (error) {
      return { ...stamp, error: reasonOf(error) }
    }
  }

  async function readRecord(id: string): Promise<StoredRunFile> {
    try {
      const path = pathOf(id)
      if ((await stat(path)).size > MAX_RECORD_BYTES) return { id, ok: false, reason: `the file is larger than ${MAX_RECORD_BYTES} bytes` }
      return { id, ok: true, data: JSON.parse(await readText(path)) as unknown }
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
      return { id, ok: false, reason: missing ? 'the record no longer exists' : reasonOf(error) }
    }
  }

  return {
    dir,

    async list() {
      const entries = await loadIndex()
      const all = await readdir(dir)
      // Temporary files of another (crashed) process are leftovers of a write that never finished.
      const ownTemp = `${TEMP_MARK}${process.pid}-`
      await Promise.all(all.filter((n) => n.includes(TEMP_MARK) && !n.includes(ownTemp)).map((n) => rm(join(dir, n), { force: true })))
      const ids = all
        .filter((n) => n.endsWith(SUFFIX) && !n.includes(TEMP_MARK))
        .map((n) => n.slice(0, -SUFFIX.length))
        .filter(isRunFileId)
        .sort()

      const out: StoredRunFile[] = []
      for (const id of ids) {
        const path = join(dir, id + SUFFIX)
        let stamp: FileStamp
        try {
          stamp = stampOf(await stat(path))
        } catch (error) {
          // Deleted between the listing and now.
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
          out.push({ id, ok: false, reason: reasonOf(error) })
          continue
        }
        // Size first: a huge file (a mistake or a planted one) is refused without being read into memory.
        if (stamp.size > MAX_RECORD_BYTES) {
          out.push({ id, ok: false, reason: `the file is larger than ${MAX_RECORD_BYTES} bytes` })
          continue
        }
        let entry = entries.get(id)
        if (!entry || !sameStamp(entry, stamp)) {
          entry = await summarizeFile(path, stamp)
          entries.set(id, entry)
          markIndexDirty()
          // One record per turn: the window keeps drawing while a stale index is rebuilt.
          await nextTurn()
        }
        out.push('summary' in entry ? { id, ok: true, data: entry.summary } : { id, ok: false, reason: entry.error })
      }
      const present = new Set(ids)
      for (const id of entries.keys()) {
        if (!present.has(id)) {
          entries.delete(id)
          markIndexDirty()
        }
      }
      return out
    },

    async read(ids) {
      if (ids.length > MAX_READ_BATCH) throw new Error(`at most ${MAX_READ_BATCH} records per read`)
      const out: StoredRunFile[] = []
      for (const id of ids) {
        out.push(await readRecord(id))
        if (out.length < ids.length) await nextTurn()
      }
      return out
    },

    async save(id, record) {
      const target = pathOf(id)
      const text = JSON.stringify(record)
      if (text === undefined) throw new Error('the record is not JSON-serialisable')
      if (Buffer.byteLength(text, 'utf8') > MAX_RECORD_BYTES) throw new Error(`the record is larger than ${MAX_RECORD_BYTES} bytes`)
      const summary = summarizeRunRecord(record)
      return serial(id, async () => {
        const entries = await loadIndex()
        // The quota, before anything is written: the index knows every record's size.
        let stored = 0
        for (const [other, entry] of entries) if (other !== id) stored += entry.size
        const verdict = checkQuota({
          store: 'runs',
          storedBytes: stored,
          writeBytes: Buffer.byteLength(text, 'utf8'),
          freeBytes: await freeBytes(dir),
          replacedBytes: entries.get(id)?.size ?? 0
        })
        if (!verdict.ok) throw new QuotaExceededError(verdict.message)
        await writeFileAtomically(target, text)
        entries.set(id, { ...stampOf(await stat(target)), summary })
        markIndexDirty()
      })
    },

    async remove(id) {
      const target = pathOf(id)
      return serial(id, async () => {
        const entries = await loadIndex()
        await rm(target, { force: true })
        if (entries.delete(id)) markIndexDirty()
      })
    },

    flushIndex
  }
}
