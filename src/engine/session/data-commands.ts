/**
 * The session's data commands: list, import, use, rename and remove the sets of the data library, and
 * hand a gallery images of the loaded set. Kept apart from session.ts, which only routes commands here.
 */
import { Random } from '../core/random'
import { EngineError } from '../protocol/error-codes'
import type { Command, DatasetEntry, EngineEvent } from '../protocol/messages'
import { augmentBatch } from '../data/augment'
import { entryOfSet, type DataLibrary } from '../data/data-library'
import { imageSize, type ImageDataset, type Split } from '../data/image-set'
import { importImageSet } from '../data/import/import-image-set'
import type { SourceFile } from '../data/import/import-types'

type Of<T extends Command['type']> = Extract<Command, { type: T }>

export interface DataCommandsContext {
  emit(event: EngineEvent): void
  emitError(error: unknown, context?: { requestId?: string }): void
  /** The loaded set, and making another one the loaded set (announced with `datasetLoaded`). */
  dataset(): ImageDataset | null
  install(dataset: ImageDataset, requestId?: string): void
  /** The host's library; null where this host keeps none (then only the bundled set is offered). */
  library: DataLibrary | null
}

/** The set a host loaded from IDX files (the bundled MNIST, or a folder chosen without importing). */
export const idxEntry = (dataset: ImageDataset, source: 'bundled' | 'idx'): DatasetEntry =>
  entryOfSet(dataset, { source, stored: false, createdAt: null, skipped: [] })

export class DataCommands {
  /** The IDX set the host loaded (not in the library): offered beside the stored ones. */
  private idxSet: { dataset: ImageDataset; source: 'bundled' | 'idx' } | null = null
  private importing: { requestId: string; controller: AbortController } | null = null

  constructor(private readonly context: DataCommandsContext) {}

  /** The host loaded IDX files: the first ones are the bundled set. */
  rememberIdxSet(dataset: ImageDataset): void {
    this.idxSet = { dataset, source: this.idxSet === null ? 'bundled' : 'idx' }
  }

  async list({ requestId }: { requestId?: string }): Promise<void> {
    try {
      const stored = this.context.library ? await this.context.library.list() : []
      const loaded = this.idxSet ? [idxEntry(this.idxSet.dataset, this.idxSet.source)] : []
      this.context.emit({ type: 'datasets', requestId, sets: [...loaded, ...stored], active: this.context.dataset()?.name ?? null })
    } catch (error) {
      this.context.emitError(error, { requestId })
    }
  }

  async import({ requestId, name, source, settings, overwrite }: Of<'importDataset'>): Promise<void> {
    const library = this.context.library
    if (!library) return this.context.emitError(new EngineError('INVALID_REQUEST', 'this host keeps no data library'), { requestId })
    if (this.importing) {
      return this.context.emitError(new EngineError('INVALID_REQUEST', 'an import is already running: cancel it or wait for it to end'), { requestId })
    }
    const controller = new AbortController()
    this.importing = { requestId, controller }
    try {
      if (!overwrite && (await library.list()).some((entry) => entry.name === name)) {
        throw new EngineError('DATASET_EXISTS', `the data library already holds a set named "${name}": choose another name or replace it`)
      }
      const files = await this.sourceFiles(source, library)
      const result = await importImageSet(name, files, {
        ...settings,
        signal: controller.signal,
        onProgress: (p) => this.context.emit({ type: 'datasetImportProgress', requestId, ...p })
      })
      if (controller.signal.aborted) return this.context.emit({ type: 'datasetImportCancelled', requestId })
      const entry = await library.save(result.dataset, { source: result.source, skipped: result.skipped }, overwrite)
      this.context.emit({ type: 'datasetImported', requestId, entry })
      this.context.install(result.dataset, requestId)
      await this.list({ requestId })
    } catch (error) {
      if (controller.signal.aborted) this.context.emit({ type: 'datasetImportCancelled', requestId })
      else this.context.emitError(error, { requestId })
    } finally {
      this.importing = null
    }
  }

  cancelImport({ requestId }: Of<'cancelImport'>): void {
    if (this.importing?.requestId === requestId) this.importing.controller.abort()
  }

  async use({ requestId, name }: Of<'useDataset'>): Promise<void> {
    try {
      if (this.idxSet?.dataset.name === name) return this.context.install(this.idxSet.dataset, requestId)
      if (!this.context.library) throw new EngineError('UNKNOWN_DATASET', `no data set is named "${name}"`)
      this.context.install(await this.context.library.load(name), requestId)
    } catch (error) {
      this.context.emitError(error, { requestId })
    }
  }

  async remove({ requestId, name }: Of<'removeDataset'>): Promise<void> {
    try {
      if (this.context.dataset()?.name === name) throw new EngineError('INVALID_REQUEST', `"${name}" is the loaded set: use another one before removing it`)
      await this.requireLibrary(name).remove(name)
      await this.list({ requestId })
    } catch (error) {
      this.context.emitError(error, { requestId })
    }
  }

  async rename({ requestId, from, to }: Of<'renameDataset'>): Promise<void> {
    try {
      if (this.context.dataset()?.name === from) throw new EngineError('INVALID_REQUEST', `"${from}" is the loaded set: use another one before renaming it`)
      await this.requireLibrary(from).rename(from, to)
      await this.list({ requestId })
    } catch (error) {
      this.context.emitError(error, { requestId })
    }
  }

  samples(command: Of<'getDatasetSamples'>): void {
    const { requestId } = command
    const dataset = this.context.dataset()
    if (!dataset) return this.context.emitError(new EngineError('NO_DATASET', 'no data set is loaded'), { requestId })
    try {
      this.context.emit(gallery(dataset, command))
    } catch (error) {
      this.context.emitError(error, { requestId })
    }
  }

  private requireLibrary(name: string): DataLibrary {
    if (this.idxSet?.dataset.name === name) throw new EngineError('INVALID_REQUEST', `"${name}" is not in the data library: it cannot be renamed or removed`)
    if (!this.context.library) throw new EngineError('UNKNOWN_DATASET', `no data set is named "${name}"`)
    return this.context.library
  }

  private async sourceFiles(source: Of<'importDataset'>['source'], library: DataLibrary): Promise<SourceFile[]> {
    if (source.kind === 'files') {
      return source.files.map(({ path, bytes }) => {
        const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
        return { path, size: view.byteLength, read: async () => view }
      })
    }
    if (!library.listDirectory) throw new EngineError('INVALID_REQUEST', 'this host cannot read folders: send the files instead')
    return library.listDirectory(source.path)
  }
}

/** Class index lists per split, built once per split (a gallery pages through them). */
const byClass = new WeakMap<Split, Int32Array[]>()

function indicesOfClass(split: Split, label: number, classCount: number): Int32Array {
  let lists = byClass.get(split)
  if (!lists) {
    const counts = new Int32Array(classCount)
    for (const l of split.labels) counts[l]++
    lists = Array.from(counts, (n) => new Int32Array(n))
    const filled = new Int32Array(classCount)
    split.labels.forEach((l, i) => (lists![l][filled[l]++] = i))
    byClass.set(split, lists)
  }
  return lists[label] ?? new Int32Array(0)
}

function gallery(dataset: ImageDataset, command: Of<'getDatasetSamples'>): EngineEvent {
  const { requestId, label, start, count, augment, seed } = command
  const split = dataset[command.split]
  if (label !== undefined && label >= dataset.classes.length) {
    throw new EngineError('INVALID_REQUEST', `class ${label} does not exist: "${dataset.name}" has ${dataset.classes.length} classes`)
  }
  const pool = label === undefined ? null : indicesOfClass(split, label, dataset.classes.length)
  const total = pool ? pool.length : split.count
  const indices = Array.from({ length: Math.max(0, Math.min(count, total - start)) }, (_, i) => (pool ? pool[start + i] : start + i))
  const size = imageSize(split)
  const pixels = new Uint8Array(indices.length * size)
  indices.forEach((index, i) => pixels.set(split.images.subarray(index * size, (index + 1) * size), i * size))
  if (augment && indices.length > 0) {
    // As a run would see them: byte / 255, augmented, back to bytes for drawing.
    const values = Float64Array.from(pixels, (v) => v / 255)
    augmentBatch(values, indices.length, split.channels, split.rows, split.cols, augment, new Random(seed))
    for (let i = 0; i < values.length; i++) pixels[i] = Math.round(values[i] * 255)
  }
  return {
    type: 'datasetSamples',
    requestId,
    split: command.split,
    channels: split.channels,
    rows: split.rows,
    cols: split.cols,
    indices,
    labels: indices.map((i) => split.labels[i]),
    total,
    pixels
  }
}
