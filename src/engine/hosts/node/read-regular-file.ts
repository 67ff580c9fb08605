import { constants, type Stats } from 'node:fs'
import { lstat, open, stat } from 'node:fs/promises'
import { basename } from 'node:path'

/*
 * Reading a file the student picked (an imported model, a data file): only a regular file, and never more
 * than the cap. A FIFO would block the read forever, a device (/dev/zero) never ends, a folder is not a file;
 * each is refused by name before it is opened, and so is a link to one. The opened handle is checked again,
 * so a path swapped between the check and the open cannot slip through, and the read stops at the cap even
 * if the file grows meanwhile.
 */

const CHUNK_BYTES = 1024 * 1024

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder'
  if (info.isFIFO()) return 'a named pipe'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device'
  if (info.isSocket()) return 'a socket'
  if (info.isSymbolicLink()) return 'a symbolic link'
  return 'not a regular file'
}

function notRegular(path: string, what: string): Error {
  return new Error(`${basename(path)} is ${what}, not a file`)
}

/** Checks `path` names a regular file, or a symbolic link to one, without opening it. */
export async function assertRegularFile(path: string): Promise<Stats> {
  const own = await lstat(path)
  if (own.isFile()) return own
  if (!own.isSymbolicLink()) throw notRegular(path, kindOf(own))
  const target = await stat(path)
  if (!target.isFile()) throw notRegular(path, `a link to ${kindOf(target)}`)
  return target
}

/** The bytes of a regular file of at most `maxBytes` bytes; a clear error for anything else. */
export async function readRegularFile(path: string, maxBytes: number): Promise<Uint8Array> {
  const checked = await assertRegularFile(path)
  if (checked.size > maxBytes) throw new Error(`${basename(path)} is larger than ${maxBytes} bytes`)
  // O_NONBLOCK: should the path have become a FIFO since the check, opening it does not hang (Windows has no such flag).
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  try {
    const opened = await handle.stat()
    if (!opened.isFile()) throw notRegular(path, kindOf(opened))
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const want = Math.min(CHUNK_BYTES, maxBytes + 1 - total)
      if (want <= 0) break
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(want), 0, want, null)
      if (bytesRead === 0) break
      chunks.push(buffer.subarray(0, bytesRead))
      total += bytesRead
    }
    if (total > maxBytes) throw new Error(`${basename(path)} is larger than ${maxBytes} bytes`)
    return new Uint8Array(Buffer.concat(chunks, total))
  } finally {
    await handle.close()
  }
}
