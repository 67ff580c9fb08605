import { randomBytes } from 'node:crypto'
import { lstat, mkdir, mkdtemp, open, readdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { STORED_SET_FORMAT, STORED_SET_VERSION, decodeStoredSet, encodeStoredSet } from '../../data/stored-set'
import { datasetFingerprint } from '../../data/fingerprint'
import type { ImageDataset, Split } from '../../data/image-set'
import { EngineError } from '../../protocol/error-codes'
import { TEMP_MARK, writeFileAtomically, type AtomicWriteOps } from './atomic-write'
import { assertRegularFile } from './read-regular-file'
import { assertDiskQuota, folderBytes } from './disk-quota'
import { QuotaExceededError } from '../../store-quota'

/*
 * The data library on disk (`datasetsDir()`, shared by the CLI and the desktop app): one folder per set,
 * `<slug>/dataset.safetensors` (the bytes, data/stored-set.ts) and `<slug>/meta.json` (what a listing
 * shows, so listing never reads the images).
 *
 * - A set is found by the name in its meta.json, never by its folder: the folder is named once, from the
 *   name at import (lower-case ASCII letters and digits, then 8 hex digits of a hash of the exact name), so
 *   no name can reach outside the library or hit a reserved file name, and a renamed set keeps its folder.
 *   Should two names still meet in one folder name, the later set gets `-2`, `-3`, ….
 * - A set is written into a temporary folder (`.tmp-…`, skipped by listings), each file flushed, and the
 *   folder renamed into place: a crash or failure at any moment leaves the whole set or nothing of it.
 *   A removal renames the folder away first, so a half-deleted set is never listed.
 * - Changes to one library are serialised within a process; a rename onto a folder another process just
 *   made fails instead of mixing two sets.
 */

export const DATA_FILE = 'dataset.safetensors'
export const META_FILE = 'meta.json'
const MAX_META_BYTES = 64 * 1024 * 1024
const MAX_NAME_LENGTH = 100

export interface SkippedFile {
  file: string
  reason: string
}

/** What an import knows beyond the images: where they came from and what it left out. */
export interface DataSetInfo {
  source: string
  skipped: SkippedFile[]
  /** ISO 8601; now when absent. */
  createdAt?: string
}

const SplitCountsSchema = z.array(z.number().int().min(0))

/** meta.json: read by listings without opening the bytes. */
const DataSetMetaSchema = z.object({
  format: z.literal(STORED_SET_FORMAT),
  version: z.number().int().min(1).max(STORED_SET_VERSION),
  name: z.string(),
  source: z.string(),
  train: z.number().int().min(0),
  test: z.number().int().min(0),
  channels: z.union([z.literal(1), z.literal(3)]),
  height: z.number().int().min(1),
  width: z.number().int().min(1),
  classes: z.array(z.string()),
  classCounts: z.object({ train: SplitCountsSchema, test: SplitCountsSchema }),
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
  createdAt: z.string(),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() }))
})

export type DataSetMeta = z.infer<typeof DataSetMetaSchema>

/** One folder of the library: its set, or why it cannot be read (the listing goes on). */
export type LibraryEntry = { folder: string; meta: DataSetMeta; problem?: undefined } | { folder: string; meta?: undefined; problem: string }

export interface SaveOptions {
  /** Replace a set of the same name (else DATASET_EXISTS). */
  overwrite?: boolean
  /** The file-system calls to use; tests replace them to inject failures. */
  ops?: Partial<AtomicWriteOps>
  /** Free space of the library's disk (null: unknown); tests pass a small disk to meet the quota. */
  freeBytes?: (dir: string) => Promise<number | null>
}

const defaultOps: AtomicWriteOps = { open, rename, rm, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) }

/**
 * A set's name as stored: trimmed (NFC), 1 to 100 characters, no control characters, no / or \ (which
 * paths use), not only dots. INVALID_CONFIG naming the problem otherwise.
 */
export function checkDataSetName(name: unknown): string {
  if (typeof name !== 'string') throw badName('a data set name must be text')
  const trimmed = name.normalize('NFC').trim()
  const length = [...trimmed].length
  if (length === 0) throw badName('a data set name cannot be empty')
  if (length > MAX_NAME_LENGTH) throw badName(`a data set name has at most ${MAX_NAME_LENGTH} characters (this one has ${length})`)
  if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(trimmed)) throw badName('a data set name cannot contain control characters or line breaks')
  if (/[/\\]/.test(trimmed)) throw badName(`the data set name "${trimmed}" contains / or \\, which file paths use`)
  if (/^\.+$/.test(trimmed)) throw badName(`"${trimmed}" is not a data set name`)
  return trimmed
}

const badName = (message: string): EngineError => new EngineError('INVALID_CONFIG', message)

/** The folder name a set gets at import: a readable ASCII part and a hash of the exact name (see above). */
export function slugFor(name: string): string {
  const readable = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '')
  let hash = 0x811c9dc5
  for (const byte of new TextEncoder().encode(name)) hash = Math.imul(hash ^ byte, 0x01000193)
  return `${readable || 'set'}-${(hash >>> 0).toString(16).padStart(8, '0')}`
}

/** Every folder of the library, sets by name then problems by folder; a missing library is empty. */
export async function listDataSets(dir: string): Promise<LibraryEntry[]> {
  let folders: string[]
  try {
    folders = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const entries = await Promise.all(folders.map((folder) => readEntry(dir, folder)))
  const byName = (a: LibraryEntry, b: LibraryEntry): number =>
    a.meta && b.meta ? compare(a.meta.name, b.meta.name) : a.meta ? -1 : b.meta ? 1 : compare(a.folder, b.folder)
  return entries.sort(byName)
}

/** Stores a set under `dataset.name`, atomically (see above); returns what its meta.json says. */
export async function saveDataSet(dir: string, dataset: ImageDataset, info: DataSetInfo, options: SaveOptions = {}): Promise<DataSetMeta> {
  const name = checkDataSetName(dataset.name)
  const stored: ImageDataset = { ...dataset, name }
  const createdAt = info.createdAt ?? new Date().toISOString()
  const bytes = encodeStoredSet(stored, { source: info.source, createdAt, skipped: info.skipped.length }) // checks the set first
  const meta = metaOf(stored, info, createdAt)
  const ops: AtomicWriteOps = { ...defaultOps, ...options.ops }

  return exclusive(dir, async () => {
    await mkdir(dir, { recursive: true })
    const existing = await findSet(dir, name)
    if (existing && !options.overwrite) throw new EngineError('DATASET_EXISTS', `the data library already has a set named "${name}"`)
    // The quota (src/engine/store-quota.ts), before anything is written; a replaced set's bytes are freed.
    try {
      const replacedBytes = existing ? await folderBytes(join(dir, existing.folder)) : 0
      await assertDiskQuota({ store: 'datasets', dir, writeBytes: bytes.byteLength + metaText(meta).length, replacedBytes, freeBytes: options.freeBytes })
    } catch (error) {
      if (error instanceof QuotaExceededError) throw new EngineError('DATASET_WRITE_FAILED', error.message)
      throw error
    }

    let temp: string | null = null
    let displaced: string | null = null
    try {
      temp = await mkdtemp(join(dir, TEMP_MARK))
      await writeFileAtomically(join(temp, DATA_FILE), bytes, { ops })
      await writeFileAtomically(join(temp, META_FILE), metaText(meta), { ops })
      const folder = await freeFolder(dir, slugFor(name), existing?.folder)
      if (existing) {
        displaced = join(dir, `${TEMP_MARK}replaced-${randomBytes(4).toString('hex')}`)
        await ops.rename(join(dir, existing.folder), displaced)
      }
      try {
        await ops.rename(temp, join(dir, folder))
      } catch (error) {
        if (displaced) await ops.rename(displaced, join(dir, existing!.folder)).catch(() => undefined)
        displaced = null
        throw error
      }
      temp = null
      await syncFolder(dir)
    } catch (error) {
      if (temp) await rm(temp, { recursive: true, force: true }).catch(() => undefined)
      throw writeFailed(error, `could not save the data set "${name}" in ${dir}`, '; nothing of it was kept')
    } finally {
      if (displaced) await rm(displaced, { recursive: true, force: true }).catch(() => undefined)
    }
    return meta
  })
}

/** The set named `name` and its meta.json; DATASET_INVALID if its files are corrupt or disagree. */
export async function loadDataSet(dir: string, name: string): Promise<{ dataset: ImageDataset; meta: DataSetMeta }> {
  const { folder, meta } = await requireSet(dir, name)
  const path = join(dir, folder, DATA_FILE)
  let bytes: Uint8Array
  try {
    await assertRegularFile(path)
    const buffer = await readFile(path)
    bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  } catch (error) {
    throw new EngineError('DATASET_INVALID', `the data set "${meta.name}" cannot be read: ${(error as Error).message}`)
  }
  let decoded: ReturnType<typeof decodeStoredSet>
  try {
    decoded = decodeStoredSet(bytes)
  } catch (error) {
    if (error instanceof EngineError) throw new EngineError(error.code, `the data set "${meta.name}" (${join(folder, DATA_FILE)}): ${error.message}`)
    throw error
  }
  const { dataset, metadata } = decoded
  const disagreement =
    metadata.fingerprint !== meta.fingerprint
      ? `its fingerprint is ${metadata.fingerprint} but meta.json says ${meta.fingerprint}`
      : dataset.train.count !== meta.train || dataset.test.count !== meta.test
        ? `it holds ${dataset.train.count} + ${dataset.test.count} images but meta.json says ${meta.train} + ${meta.test}`
        : null
  if (disagreement) throw new EngineError('DATASET_INVALID', `the data set "${meta.name}" (${folder}): ${disagreement}`)
  // The name is meta.json's: a rename does not rewrite the bytes.
  return { dataset: { ...dataset, name: meta.name }, meta }
}

/**
 * Removes the set named `name`: its folder is renamed away, then deleted. A damaged folder (listed with a
 * problem, so without a name) is removed by its folder name, as the listing gave it.
 */
export async function removeDataSet(dir: string, name: string): Promise<void> {
  await exclusive(dir, async () => {
    const wanted = checkDataSetName(name)
    const damaged = (await listDataSets(dir)).find((entry) => entry.problem !== undefined && entry.folder === wanted)
    const { folder } = damaged ?? (await requireSet(dir, wanted))
    const doomed = join(dir, `${TEMP_MARK}removed-${randomBytes(4).toString('hex')}`)
    try {
      await rename(join(dir, folder), doomed)
    } catch (error) {
      throw writeFailed(error, `could not remove the data set "${wanted}" from ${dir}`)
    }
    await rm(doomed, { recursive: true, force: true })
  })
}

/** Renames a set: its meta.json is rewritten atomically, its folder and bytes stay. Returns the new meta. */
export async function renameDataSet(dir: string, from: string, to: string): Promise<DataSetMeta> {
  const newName = checkDataSetName(to)
  return exclusive(dir, async () => {
    const { folder, meta } = await requireSet(dir, from)
    if (newName === meta.name) return meta
    if (await findSet(dir, newName)) throw new EngineError('DATASET_EXISTS', `the data library already has a set named "${newName}"`)
    const renamed: DataSetMeta = { ...meta, name: newName }
    try {
      await writeFileAtomically(join(dir, folder, META_FILE), metaText(renamed))
    } catch (error) {
      throw writeFailed(error, `could not rename the data set "${meta.name}"`)
    }
    return renamed
  })
}

function metaOf(dataset: ImageDataset, info: DataSetInfo, createdAt: string): DataSetMeta {
  const counts = (split: Split): number[] => {
    const out = new Array<number>(dataset.classes.length).fill(0)
    for (const label of split.labels) out[label]++
    return out
  }
  return {
    format: STORED_SET_FORMAT,
    version: STORED_SET_VERSION,
    name: dataset.name,
    source: info.source,
    train: dataset.train.count,
    test: dataset.test.count,
    channels: dataset.train.channels as 1 | 3,
    height: dataset.train.rows,
    width: dataset.train.cols,
    classes: [...dataset.classes],
    classCounts: { train: counts(dataset.train), test: counts(dataset.test) },
    fingerprint: datasetFingerprint(dataset),
    createdAt,
    skipped: info.skipped.map(({ file, reason }) => ({ file, reason }))
  }
}

const metaText = (meta: DataSetMeta): string => `${JSON.stringify(meta, null, 2)}\n`

async function readEntry(dir: string, folder: string): Promise<LibraryEntry> {
  const path = join(dir, folder, META_FILE)
  let text: string
  try {
    const info = await assertRegularFile(path)
    if (info.size > MAX_META_BYTES) return { folder, problem: `${META_FILE} is larger than ${MAX_META_BYTES} bytes` }
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return { folder, problem: code === 'ENOENT' ? `${META_FILE} is missing` : `${META_FILE} cannot be read: ${(error as Error).message}` }
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return { folder, problem: `${META_FILE} is not valid JSON` }
  }
  const version = (raw as { version?: unknown } | null)?.version
  if (typeof version === 'number' && version > STORED_SET_VERSION) {
    return { folder, problem: `made by a newer Gradient Lab (format version ${version}; this one reads ${STORED_SET_VERSION})` }
  }
  const parsed = DataSetMetaSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { folder, problem: `${META_FILE}: ${issue.path.join('.') || 'the file'}: ${issue.message}` }
  }
  try {
    checkDataSetName(parsed.data.name)
  } catch (error) {
    return { folder, problem: `${META_FILE}: ${(error as Error).message}` }
  }
  return { folder, meta: parsed.data }
}

async function findSet(dir: string, name: string): Promise<{ folder: string; meta: DataSetMeta } | undefined> {
  for (const entry of await listDataSets(dir)) if (entry.meta?.name === name) return { folder: entry.folder, meta: entry.meta }
  return undefined
}

async function requireSet(dir: string, name: string): Promise<{ folder: string; meta: DataSetMeta }> {
  const wanted = checkDataSetName(name)
  const found = await findSet(dir, wanted)
  if (!found) throw new EngineError('UNKNOWN_DATASET', `the data library (${dir}) has no set named "${wanted}"`)
  return found
}

/** `slug`, or `slug-2`, `slug-3`, … : the first folder name not in use (the set being replaced frees its own). */
async function freeFolder(dir: string, slug: string, replacing: string | undefined): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? slug : `${slug}-${n}`
    if (candidate === replacing) return candidate
    try {
      await lstat(join(dir, candidate))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return candidate
      throw error
    }
  }
}

/** Flushes a folder's entries (a rename in it) to disk; a platform or file system that cannot is not an error. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // The rename happened; only its durability against a power cut is not confirmed.
  }
}

function writeFailed(error: unknown, what: string, outcome = ''): EngineError {
  if (error instanceof EngineError) return error
  return new EngineError('DATASET_WRITE_FAILED', `${what}: ${(error as Error).message}${outcome}`)
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** One change at a time per library folder in this process. */
const queues = new Map<string, Promise<unknown>>()

function exclusive<T>(dir: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(dir) ?? Promise.resolve()
  const next = previous.catch(() => undefined).then(task)
  queues.set(dir, next)
  void next
    .finally(() => {
      if (queues.get(dir) === next) queues.delete(dir)
    })
    .catch(() => undefined)
  return next
}
