import { DIGIT_CLASSES, IMAGE_LIMITS, type ImageDataset } from '../image-set'
import { decodeMnist, MNIST_FILES, type MnistFileKey } from '../mnist'
import type { DatasetFiles } from '../../protocol/messages'
import type { Layout } from './detect-layout'
import type { ImageSize } from './default-size'
import { invalid } from './import-errors'
import { PhaseProgress } from './import-progress'
import type { ImportOptions } from './import-types'
import { readNameList } from './paths'
import { resampleSplit } from './resample-split'

/*
 * MNIST-format IDX files, read by the engine's own decodeMnist, with the class names from a classes.txt
 * beside them (Fashion-MNIST, Kuzushiji-MNIST); without one the classes are the digits. decodeMnist is
 * given room for the most classes the engine takes, so the check that the names cover every label is made
 * here and names classes.txt.
 */

const ANY_LABEL: readonly string[] = Array.from({ length: IMAGE_LIMITS.maxClasses }, (_, i) => String(i))

export async function importIdx(
  name: string,
  layout: Extract<Layout, { source: 'idx' }>,
  target: { size?: ImageSize; colour?: 'grey' | 'colour' },
  options: ImportOptions
): Promise<ImageDataset> {
  const progress = new PhaseProgress(name, options, 'reading', 5)
  const files: Partial<Record<MnistFileKey, Uint8Array>> = {}
  for (const key of Object.keys(MNIST_FILES) as MnistFileKey[]) {
    files[key] = await layout.files[key].read()
    progress.step()
  }
  const named = layout.classes ? readNameList(await layout.classes.read(), layout.classes.path) : undefined
  if (typeof named === 'string') throw invalid(named)
  const decoded = await decodeMnist(name, files as DatasetFiles, ANY_LABEL)
  progress.finish()

  const classes = classNames(named, Math.max(highestLabel(decoded.train.labels), highestLabel(decoded.test.labels)), layout.classes?.path)
  const channels = target.colour === 'colour' ? 3 : 1
  const size = target.size ?? { height: decoded.train.rows, width: decoded.train.cols }
  const converting = new PhaseProgress(name, options, 'converting', decoded.train.count + decoded.test.count)
  const step = (): void => converting.step()
  const dataset = {
    name,
    classes,
    train: resampleSplit(decoded.train, channels, size, step),
    test: resampleSplit(decoded.test, channels, size, step)
  }
  converting.finish()
  return dataset
}

function classNames(named: string[] | undefined, highest: number, namesFile: string | undefined): string[] {
  if (named === undefined) {
    if (highest < DIGIT_CLASSES.length) return [...DIGIT_CLASSES]
    throw invalid(`the labels go up to ${highest}: add a classes.txt beside the IDX files naming the ${highest + 1} classes, one a line`)
  }
  if (named.length <= highest) throw invalid(`${namesFile}: names ${named.length} classes, but the labels go up to ${highest}`)
  if (named.length < IMAGE_LIMITS.minClasses || named.length > IMAGE_LIMITS.maxClasses) {
    throw invalid(`${namesFile}: names ${named.length} classes, expected ${IMAGE_LIMITS.minClasses} to ${IMAGE_LIMITS.maxClasses}`)
  }
  return named
}

function highestLabel(labels: Uint8Array): number {
  let highest = 0
  for (const label of labels) if (label > highest) highest = label
  return highest
}
