import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { StoredRunFile } from '../preload/api'

/*
 * Run records as files: `<dir>/<id>.json`, one per run. Pure Node (no Electron import), so it is tested in
 * vitest with a temporary folder; src/main/ipc.ts only wires it to the renderer.
 *
 * - Atomic writes: the JSON goes to a temporary file in the same folder, is flushed to disk, then renamed
 *   over the record. A crash leaves either the old record or the new one, never half a file.
 * - Writes to the same id are serialised, so an older periodic save can never land after a newer one.
 * - Reading never throws for one bad file: it is listed with the reason, and the renderer says so.
 */

/** Same rule as the renderer's record schema; it also keeps ids safe as file names (no `/`, no `..`). */
export const RUN_FILE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/
/** A record is bounded by the renderer (20k losses, 1k evaluations: about 1.5 MB); anything far larger is refused. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024

const SUFFIX = '.json'
const TEMP_MARK = '.tmp-'

export interface RunFileStore {
  readonly dir: string
  list(): Promise<StoredRunFile[]>
  save(id: string, record: unknown): Promise<void>
  remove(id: string): Promise<void>
}

export function isRunFileId(id: unknown): id is string {
  return typeof id === 'string' && RUN_FILE_ID.test(id) && !id.includes('..')
}

export function createRunFileStore(dir: string): RunFileStore {
  const chains = new Map<string, Promise<void>>()
  let ready: Promise<void> | null = null
  const ensureDir = (): Promise<void> => (ready ??= mkdir(dir, { recursive: true }).then(() => undefined))

  const pathOf = (id: string): string => {
    if (!isRunFileId(id)) throw new Error(`not a valid run id: ${JSON.stringify(String(id).slice(0, 120))}`)
    return join(dir, id + SUFFIX)
  }

  /** Runs `task` after every earlier task for the same id has settled. */
  function serial(id: string, task: () => Promise<void>): Promise<void> {
    const previous = chains.get(id) ?? Promise.resolve()
    const next = previous.catch(() => undefined).then(task)
    chains.set(id, next)
    void next.finally(() => {
      if (chains.get(id) === next) chains.delete(id)
    }).catch(() => undefined)
    return next
  }

  async function writeAtomically(target: string, text: string): Promise<void> {
    const temp = `${target}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`
    const handle = await open(temp, 'wx', 0o600)
    try {
      await handle.writeFile(text, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    try {
      await rename(temp, target)
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
  }

  return {
    dir,

    async list() {
      await ensureDir()
      const all = await readdir(dir)
      // Temporary files of another (crashed) process are leftovers of a write that never finished.
      const ownTemp = `${TEMP_MARK}${process.pid}-`
      await Promise.all(all.filter((n) => n.includes(TEMP_MARK) && !n.includes(ownTemp)).map((n) => rm(join(dir, n), { force: true })))
      const names = all.filter((n) => n.endsWith(SUFFIX) && !n.includes(TEMP_MARK)).sort()
      const out: StoredRunFile[] = []
      for (const name of names) {
        const id = name.slice(0, -SUFFIX.length)
        if (!isRunFileId(id)) continue
        try {
          // Size first: a huge file (a mistake or a planted one) is refused without being read into memory.
          if ((await stat(join(dir, name))).size > MAX_RECORD_BYTES) {
            out.push({ id, ok: false, reason: `the file is larger than ${MAX_RECORD_BYTES} bytes` })
            continue
          }
          const text = await readFile(join(dir, name), 'utf8')
          out.push({ id, ok: true, data: JSON.parse(text) as unknown })
        } catch (error) {
          const reason = error instanceof SyntaxError ? `not valid JSON (${error.message})` : error instanceof Error ? error.message : String(error)
          out.push({ id, ok: false, reason })
        }
      }
      return out
    },

    async save(id, record) {
      const target = pathOf(id)
      const text = JSON.stringify(record)
      if (text === undefined) throw new Error('the record is not JSON-serialisable')
      if (Buffer.byteLength(text, 'utf8') > MAX_RECORD_BYTES) throw new Error(`the record is larger than ${MAX_RECORD_BYTES} bytes`)
      return serial(id, async () => {
        await ensureDir()
        await writeAtomically(target, text)
      })
    },

    async remove(id) {
      const target = pathOf(id)
      return serial(id, () => rm(target, { force: true }))
    }
  }
}
