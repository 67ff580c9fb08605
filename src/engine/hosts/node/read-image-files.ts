import { readFileSync } from 'node:fs'
import { readFile, readdir, realpath, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join, sep } from 'node:path'
import type { SourceFile } from '../../data/import/import-types'
import { setWebpWasmLoader } from '../../data/import/webp-codec'
import { EngineError } from '../../protocol/error-codes'

/*
 * The Node side of an import: a folder listed as SourceFiles (read only when the import asks), and the
 * WebP codec's WebAssembly read from disk. Symbolic links are followed only while they stay inside the
 * chosen folder, so a link cannot pull in files from elsewhere or loop.
 */

/** Every file under `dir`, with paths relative to it, '/'-separated, in path order. */
export async function listSourceFiles(dir: string): Promise<SourceFile[]> {
  const root = await rootOf(dir)
  const files: SourceFile[] = []
  await collect({ dir, root, visited: new Set([root]), files }, root, '')
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

async function rootOf(dir: string): Promise<string> {
  try {
    const real = await realpath(dir)
    if ((await stat(real)).isDirectory()) return real
  } catch (err) {
    const problem = errorCode(err) === 'ENOENT' ? 'folder not found' : `cannot open the folder (${reason(err)})`
    throw new EngineError('DATASET_MISSING_FILE', `${dir}: ${problem}`)
  }
  throw new EngineError('DATASET_MISSING_FILE', `${dir}: not a folder (expected a folder of images, CIFAR or IDX files)`)
}

interface Listing {
  /** the folder as the caller named it, for messages */
  dir: string
  /** its real path: links must resolve inside it */
  root: string
  /** real paths of the folders listed so far, so a link back up is not followed round */
  visited: Set<string>
  files: SourceFile[]
}

/** Lists the folder at real path `realDir`, which the user sees as `relDir` ('' for the top). */
async function collect(listing: Listing, realDir: string, relDir: string): Promise<void> {
  let entries
  try {
    entries = await readdir(realDir, { withFileTypes: true })
  } catch (err) {
    throw new EngineError('DATASET_MISSING_FILE', `${join(listing.dir, relDir)}: cannot list the folder (${reason(err)})`)
  }
  // In name order, so which path a file linked twice is listed under does not depend on the file system;
  // one folder's entries are stat'ed together, so the thread pool overlaps them.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const found = await Promise.all(
    entries.map(async (entry) => {
      const listed = join(realDir, entry.name)
      const real = entry.isSymbolicLink() ? await realpath(listed).catch(() => undefined) : listed
      if (real === undefined || !isInside(listing.root, real)) return undefined
      const info = await stat(real).catch(() => undefined)
      return info && { real, path: relDir === '' ? entry.name : `${relDir}/${entry.name}`, info }
    })
  )
  for (const item of found) {
    if (item === undefined) continue
    if (item.info.isDirectory()) {
      if (listing.visited.has(item.real)) continue
      listing.visited.add(item.real)
      await collect(listing, item.real, item.path)
    } else if (item.info.isFile()) {
      listing.files.push(sourceFile(item.path, item.real, item.info.size))
    }
  }
}

/**
 * Small files are read synchronously: an asynchronous readFile costs 100 to 160 µs of thread-pool hops
 * here against about 20 µs, which for a folder of small images is most of the import. The host process
 * runs nothing else meanwhile, and the blocking is short below this size.
 */
export const SYNC_READ_MAX_BYTES = 1 << 20

function sourceFile(path: string, absolute: string, size: number): SourceFile {
  return {
    path,
    size,
    read: async () => {
      const buffer = size <= SYNC_READ_MAX_BYTES ? readFileSync(absolute) : await readFile(absolute)
      // A plain Uint8Array view of the same memory: no copy, and no Buffer-only behaviour leaks out.
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    }
  }
}

const isInside = (root: string, path: string): boolean => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)

const errorCode = (err: unknown): string | undefined => (typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined)

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/** Where @jsquash/webp's decoder wasm is in node_modules. */
export const webpWasmPath = (): string => createRequire(import.meta.url).resolve('@jsquash/webp/codec/dec/webp_dec.wasm')

/** Makes the WebP codec compile its WebAssembly from a file (by default the package's own), as Node cannot fetch it. */
export function useWebpWasmFromDisk(path: string = webpWasmPath()): void {
  setWebpWasmLoader(async () => WebAssembly.compile(await readFile(path)))
}
