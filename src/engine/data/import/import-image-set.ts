import { IMAGE_LIMITS } from '../image-set'
import type { ImageSize } from './default-size'
import { detectLayout } from './detect-layout'
import { invalid } from './import-errors'
import { compareCodePoints } from './paths'
import { importCifar } from './import-cifar'
import { importClassFolders } from './import-folders'
import { importIdx } from './import-idx'
import { PhaseProgress } from './import-progress'
import type { ImportOptions, ImportResult, SourceFile } from './import-types'
import { SkipList } from './skip-list'

/*
 * The one import every host uses (the CLI, the desktop app's engine, the browser's worker): a list of
 * files in, an ImageDataset out, so the same folder gives the same bytes everywhere. The layout is read
 * from the file names: CIFAR-10 or CIFAR-100 binary files, MNIST-format IDX files, or class folders.
 * Nothing is kept of an import that fails or is cancelled: the data set exists only once it returns.
 */

export const DEFAULT_TEST_SPLIT = 1 / 6
export const DEFAULT_SEED = 1

export async function importImageSet(name: string, files: SourceFile[], options: ImportOptions = {}): Promise<ImportResult> {
  const settings = checkedSettings(options)
  new PhaseProgress(name, options, 'listing', files.length).finish()
  const layout = detectLayout(files)
  const skips = new SkipList(options.strict === true)
  const dataset =
    layout.source === 'folders'
      ? await importClassFolders(name, layout.files, settings, options, skips)
      : layout.source === 'idx'
        ? await importIdx(name, layout, settings, options)
        : await importCifar(name, layout, settings, options)
  if (dataset.train.count === 0 || dataset.test.count === 0) {
    throw invalid(`the import gave ${dataset.train.count} training and ${dataset.test.count} test images; both splits need images`)
  }
  const skipped = [...skips.files].sort((a, b) => compareCodePoints(a.file, b.file))
  return { dataset, skipped, source: layout.source }
}

function checkedSettings(options: ImportOptions): { size?: ImageSize; colour?: 'grey' | 'colour'; testSplit: number; seed: number } {
  const { size, colour, testSplit = DEFAULT_TEST_SPLIT, seed = DEFAULT_SEED } = options
  if (size !== undefined) {
    const { minSide, maxSide } = IMAGE_LIMITS
    const fits = (side: number): boolean => Number.isInteger(side) && side >= minSide && side <= maxSide
    if (!fits(size.height) || !fits(size.width)) {
      throw invalid(`image size ${size.height}x${size.width} is outside ${minSide} to ${maxSide} pixels a side`)
    }
  }
  if (colour !== undefined && colour !== 'grey' && colour !== 'colour') throw invalid(`colour must be "grey" or "colour", not "${String(colour)}"`)
  if (!(testSplit > 0 && testSplit < 1)) throw invalid(`the test split must be a fraction between 0 and 1, not ${testSplit}`)
  if (!Number.isSafeInteger(seed)) throw invalid(`the seed must be an integer, not ${seed}`)
  return { size: size && { height: size.height, width: size.width }, colour, testSplit, seed }
}
