/*
 * An imported data set as one byte array, the same on every host (a file in the desktop library, a
 * record in the browser's IndexedDB): a safetensors file of four U8 tensors, `train.images` [N, C, H, W],
 * `train.labels` [N], `test.images`, `test.labels`, and in `__metadata__.dataset` a JSON object naming the
 * format, the set, its classes, its source and its fingerprint. Any tool that reads safetensors can open it.
 *
 * Decoding trusts nothing: the layout, the shapes, the limits of what the engine trains on, every label
 * and the fingerprint over the bytes are checked, and each problem is a DATASET_INVALID line naming it.
 */
import { EngineError } from '../protocol/error-codes'
import { decodeByteTensors, encodeSafetensors, type FileKind } from '../model-file/safetensors'
import { datasetFingerprint } from './fingerprint'
import { IMAGE_LIMITS, imageSize, type ImageDataset, type Split } from './image-set'

export const STORED_SET_FORMAT = 'gradient-lab-dataset'
export const STORED_SET_VERSION = 1

/** What the bytes do not say about a set: where it came from, when, and how many files the import skipped. */
export interface StoredSetInfo {
  source: string
  /** ISO 8601 time of the import. */
  createdAt: string
  skipped: number
}

/** The JSON kept in `__metadata__.dataset`. */
export interface StoredSetMetadata extends StoredSetInfo {
  format: typeof STORED_SET_FORMAT
  version: number
  name: string
  classes: string[]
  fingerprint: string
}

const METADATA_KEY = 'dataset'
const SPLITS = ['train', 'test'] as const
const TENSOR_NAMES = SPLITS.flatMap((split) => [`${split}.images`, `${split}.labels`])
const DATA_SET: FileKind = { code: 'DATASET_INVALID', noun: 'data set' }

const invalid = (message: string): EngineError => new EngineError('DATASET_INVALID', message)

/** The set and its metadata as one safetensors file. The set is checked first: an invalid one is refused (DATASET_INVALID). */
export function encodeStoredSet(dataset: ImageDataset, info: StoredSetInfo): Uint8Array {
  checkDataset(dataset)
  const metadata: StoredSetMetadata = {
    format: STORED_SET_FORMAT,
    version: STORED_SET_VERSION,
    name: dataset.name,
    classes: [...dataset.classes],
    source: info.source,
    fingerprint: datasetFingerprint(dataset),
    createdAt: info.createdAt,
    skipped: info.skipped
  }
  const tensors = SPLITS.flatMap((name) => {
    const split = dataset[name]
    return [
      { name: `${name}.images`, shape: [split.count, split.channels, split.rows, split.cols], value: split.images },
      { name: `${name}.labels`, shape: [split.count], value: split.labels }
    ]
  })
  return encodeSafetensors(tensors, { [METADATA_KEY]: JSON.stringify(metadata) })
}

/** The set and its metadata back; the images and labels are views into `bytes` (no copy). */
export function decodeStoredSet(bytes: Uint8Array): { dataset: ImageDataset; metadata: StoredSetMetadata } {
  const { metadata: header, tensors } = decodeByteTensors(bytes, DATA_SET)
  const metadata = readMetadata(header[METADATA_KEY])

  for (const name of TENSOR_NAMES) if (!tensors.has(name)) throw invalid(`the file has no tensor "${name}"`)
  for (const name of tensors.keys()) if (!TENSOR_NAMES.includes(name)) throw invalid(`the file has a tensor "${name}", which a data set does not have`)

  const split = (name: (typeof SPLITS)[number]): Split => {
    const images = tensors.get(`${name}.images`)!
    const labels = tensors.get(`${name}.labels`)!
    if (images.shape.length !== 4) throw invalid(`${name}.images has shape [${images.shape.join(', ')}], not [count, channels, height, width]`)
    if (labels.shape.length !== 1) throw invalid(`${name}.labels has shape [${labels.shape.join(', ')}], not [count]`)
    const [count, channels, rows, cols] = images.shape
    if (labels.shape[0] !== count) throw invalid(`${name}.images holds ${count} images but ${name}.labels ${labels.shape[0]} labels`)
    return { count, channels, rows, cols, images: images.value, labels: labels.value }
  }
  const dataset: ImageDataset = { name: metadata.name, classes: metadata.classes, train: split('train'), test: split('test') }
  checkDataset(dataset)

  const fingerprint = datasetFingerprint(dataset)
  if (fingerprint !== metadata.fingerprint) {
    throw invalid(`the images and labels do not match the set's fingerprint (recorded ${metadata.fingerprint}, computed ${fingerprint}): the file is corrupt`)
  }
  return { dataset, metadata }
}

/** Everything the engine assumes of a set: the limits, the shapes agreeing, each label naming a class. */
export function checkDataset(dataset: ImageDataset): void {
  const { classes } = dataset
  const { minClasses, maxClasses, minSide, maxSide } = IMAGE_LIMITS
  if (typeof dataset.name !== 'string' || dataset.name.trim() === '') throw invalid('the set has no name')
  if (classes.length < minClasses || classes.length > maxClasses)
    throw invalid(`the set has ${classes.length} classes; from ${minClasses} to ${maxClasses} are allowed`)
  const seen = new Set<string>()
  classes.forEach((name, index) => {
    if (typeof name !== 'string' || name === '') throw invalid(`class ${index} has no name`)
    if (seen.has(name)) throw invalid(`two classes are named "${name}"`)
    seen.add(name)
  })

  for (const name of SPLITS) {
    const split = dataset[name]
    const { count, channels, rows, cols } = split
    if (!IMAGE_LIMITS.channels.includes(channels)) throw invalid(`the ${name} images have ${channels} channels; 1 (grey) or 3 (RGB) are allowed`)
    for (const [side, value] of [
      ['height', rows],
      ['width', cols]
    ] as const) {
      if (!Number.isInteger(value) || value < minSide || value > maxSide)
        throw invalid(`the ${name} images are ${value} pixels in ${side}; from ${minSide} to ${maxSide} are allowed`)
    }
    // Training needs images; a test split may be empty.
    if (!Number.isInteger(count) || count < (name === 'train' ? 1 : 0)) throw invalid(`the ${name} split has ${count} images`)
    if (split.images.length !== count * imageSize(split))
      throw invalid(`the ${name} split has ${split.images.length} image bytes, not ${count} × ${channels}×${rows}×${cols}`)
    if (split.labels.length !== count) throw invalid(`the ${name} split has ${split.labels.length} labels for ${count} images`)
    const labels = split.labels
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] >= classes.length)
        throw invalid(`${name} label ${i} is ${labels[i]}, but the set has ${classes.length} classes (0 to ${classes.length - 1})`)
    }
  }
  const { train, test } = dataset
  if (train.channels !== test.channels || train.rows !== test.rows || train.cols !== test.cols) {
    throw invalid(`the training images are ${train.channels}×${train.rows}×${train.cols} but the test images ${test.channels}×${test.rows}×${test.cols}`)
  }
}

function readMetadata(text: string | undefined): StoredSetMetadata {
  if (text === undefined) throw invalid(`the file has no "${METADATA_KEY}" metadata: it is not a Gradient Lab data set`)
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw invalid(`the "${METADATA_KEY}" metadata is not valid JSON`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(`the "${METADATA_KEY}" metadata is not a JSON object`)
  const m = raw as Record<string, unknown>
  if (m.format !== STORED_SET_FORMAT)
    throw invalid(`the metadata's format is ${JSON.stringify(m.format)?.slice(0, 40)}, not "${STORED_SET_FORMAT}": not a Gradient Lab data set`)
  if (!Number.isInteger(m.version) || (m.version as number) < 1) throw invalid('the metadata has no valid format version')
  if ((m.version as number) > STORED_SET_VERSION)
    throw invalid(`the set was made by a newer Gradient Lab (format version ${m.version}; this one reads ${STORED_SET_VERSION})`)
  for (const key of ['name', 'source', 'createdAt'] as const) if (typeof m[key] !== 'string') throw invalid(`the metadata's ${key} is not a string`)
  if (!Array.isArray(m.classes) || !m.classes.every((name) => typeof name === 'string')) throw invalid("the metadata's classes are not a list of names")
  if (typeof m.fingerprint !== 'string' || !/^[0-9a-f]{16}$/.test(m.fingerprint)) throw invalid("the metadata's fingerprint is not 16 hex digits")
  if (!Number.isInteger(m.skipped) || (m.skipped as number) < 0) throw invalid("the metadata's skipped count is not a whole number ≥ 0")
  return {
    format: STORED_SET_FORMAT,
    version: m.version as number,
    name: m.name as string,
    classes: m.classes as string[],
    source: m.source as string,
    fingerprint: m.fingerprint,
    createdAt: m.createdAt as string,
    skipped: m.skipped as number
  }
}
