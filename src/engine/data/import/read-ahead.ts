import type { SourceFile } from './import-types'

/*
 * Reads files in order while keeping a few reads in flight, so the disk (or the browser's file reader)
 * works while the previous file decodes. A failed read is a value, not a rejection: the caller skips the
 * file with its reason, and a read still pending when the caller stops cannot go unhandled.
 */

export type ReadOutcome = { bytes: Uint8Array } | { error: string }

export const READS_IN_FLIGHT = 8

export async function* readInOrder(files: readonly SourceFile[], inFlight = READS_IN_FLIGHT): AsyncGenerator<ReadOutcome> {
  const pending: Promise<ReadOutcome>[] = []
  let next = 0
  const startRead = (): void => {
    const file = files[next++]
    pending.push(
      Promise.resolve()
        .then(() => file.read())
        .then(
          (bytes) => ({ bytes }),
          (err: unknown) => ({ error: `cannot be read (${err instanceof Error ? err.message : String(err)})` })
        )
    )
  }
  while (next < files.length && pending.length < inFlight) startRead()
  while (pending.length > 0) {
    const outcome = await (pending.shift() as Promise<ReadOutcome>)
    if (next < files.length) startRead()
    yield outcome
  }
}
