import type { DatasetFiles } from '@engine/protocol'
// The engine's own table of names, so the folder check and the engine's messages never disagree.
import { MNIST_FILES as MNIST_FILE_NAMES } from '@engine/data/mnist'

export { MNIST_FILE_NAMES }

/** The part of `File` this code uses, so tests can pass plain objects. */
export interface PickedFile {
  name: string
  webkitRelativePath?: string
  arrayBuffer(): Promise<ArrayBuffer>
}

export type FolderMatch<F extends PickedFile> = { ok: true; files: Record<keyof DatasetFiles, F>; folder: string } | { ok: false; missing: string[] }

function depth(file: PickedFile): number {
  return (file.webkitRelativePath || file.name).split('/').length
}

/**
 * Finds the four MNIST files among the files of a picked folder, compressed (`.gz`) or not. A file nearer
 * the folder's top wins when a name occurs twice, so a stray copy in a subfolder does not shadow it.
 */
export function matchMnistFolder<F extends PickedFile>(picked: readonly F[]): FolderMatch<F> {
  const found: Partial<Record<keyof DatasetFiles, F>> = {}
  for (const file of picked) {
    for (const key of Object.keys(MNIST_FILE_NAMES) as (keyof DatasetFiles)[]) {
      const base = MNIST_FILE_NAMES[key]
      if (file.name !== base && file.name !== `${base}.gz`) continue
      const current = found[key]
      if (!current || depth(file) < depth(current)) found[key] = file
    }
  }
  const missing = (Object.keys(MNIST_FILE_NAMES) as (keyof DatasetFiles)[]).filter((key) => !found[key]).map((key) => MNIST_FILE_NAMES[key])
  if (missing.length > 0) return { ok: false, missing }
  const first = picked.find((f) => f.webkitRelativePath)?.webkitRelativePath
  const folder = first ? first.split('/')[0] : 'MNIST'
  return { ok: true, files: found as Record<keyof DatasetFiles, F>, folder }
}

/** Reads the matched files; the buffers are then transferred (not copied) to the engine. */
export async function readMnistFiles(files: Record<keyof DatasetFiles, PickedFile>): Promise<Record<keyof DatasetFiles, ArrayBuffer>> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    files.trainImages.arrayBuffer(),
    files.trainLabels.arrayBuffer(),
    files.testImages.arrayBuffer(),
    files.testLabels.arrayBuffer()
  ])
  return { trainImages, trainLabels, testImages, testLabels }
}
