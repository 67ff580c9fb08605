import { readRegularFile } from '../engine/hosts/node/read-regular-file'
import { MAX_MODEL_FILE_BYTES } from '../engine/model-file/model-file'
import { resolve } from 'node:path'
import { writeFileAtomically as writeAtomically } from '../engine/hosts/node/atomic-write'
import { EngineError } from '../engine/protocol/error-codes'
import { EngineConnection } from './engine-connection'

/** A model file's bytes; a missing or unreadable file is one clear line (exit 2). */
export async function readModelBytes(path: string): Promise<Uint8Array> {
  try {
    // A regular file only, and at most the cap: a FIFO or a device named by mistake would never end.
    return await readRegularFile(resolve(path), MAX_MODEL_FILE_BYTES)
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message
    throw new EngineError('INVALID_MODEL', `cannot read the model file ${path}: ${reason}`)
  }
}

/** An engine on `--data` (or the bundled digits) with the saved model at `path` loaded: where eval, explain and embed start. */
export async function openWithModel(path: string, dataOption: string | undefined): ReturnType<typeof EngineConnection.open> {
  const bytes = await readModelBytes(path)
  const opened = await EngineConnection.open(dataOption)
  await opened.engine.until('modelLoaded', { type: 'loadModel', requestId: 'cli-load', bytes })
  return opened
}

/**
 * Writes a file atomically (the lab's one writer, engine/hosts/node/atomic-write.ts: a temporary file beside
 * it, flushed, renamed over the target, the folder flushed). A failure at any point (disk full, permission
 * denied) leaves the previous file as it was and no temporary file.
 */
export async function writeFileAtomically(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeAtomically(resolve(path), bytes)
  } catch (error) {
    throw new EngineError('MODEL_WRITE_FAILED', `could not write ${path}: ${(error as Error).message}; any previous file there is unchanged`)
  }
}
