import { IMAGE_LIMITS, type ImageDataset, type Split } from '../image-set'
import { DecodeFailure, decodeImage } from './decode-image'
import { defaultTargetSize, mostCommonSize, type ImageSize } from './default-size'
import { resizePlanes } from './area-resize'
import { invalid } from './import-errors'
import { PhaseProgress } from './import-progress'
import type { ImportOptions, SourceFile } from './import-types'
import { readImageHeader, type ImageHeader } from './image-header'
import { planClassFolders, type ClassFolderPlan, type ClassImage } from './plan-class-folders'
import { toPlanes, withChannels, type Planes } from './pixels'
import { readInOrder } from './read-ahead'
import { SkipList } from './skip-list'
import { givenSplit, stratifiedSplit, type SplitPlan } from './split-order'

/*
 * Class folders to a data set, in at most two reads of each file: one for the headers when the size has
 * to be chosen from the images, then one that decodes each image and keeps only its resized planes. The
 * first read keeps the files' bytes while they fit in SCAN_CACHE_BYTES, so a folder of small images is
 * read once.
 */

export const SCAN_CACHE_BYTES = 128 * 1024 * 1024

export interface FolderSettings {
  size?: ImageSize
  colour?: 'grey' | 'colour'
  testSplit: number
  seed: number
}

export async function importClassFolders(
  name: string,
  files: readonly SourceFile[],
  settings: FolderSettings,
  options: ImportOptions,
  skips: SkipList
): Promise<ImageDataset> {
  const plan = planClassFolders(files)
  for (const { file, reason } of plan.skipped) skips.add(file, reason)
  if (plan.images.length === 0) {
    throw invalid('no images found: expected class folders of PNG, JPEG, WebP or BMP files, or CIFAR or MNIST-format (IDX) files')
  }
  checkClassCount(plan.classes)

  const scan = settings.size === undefined ? await scanForSize(name, plan.images, options, skips) : undefined
  const size = settings.size ?? (scan?.size as ImageSize)
  const images = scan ? plan.images.map((image, i) => withKeptBytes(image, scan.kept[i])) : plan.images
  const stored = await decodeAll(name, images, size, settings.colour === 'grey', options, skips)
  const channels: 1 | 3 = settings.colour === 'grey' ? 1 : settings.colour === 'colour' ? 3 : stored.some((p) => p?.channels === 3) ? 3 : 1

  const order = splitOf(plan, stored, settings)
  const labels = plan.images.map((image) => image.label)
  return {
    name,
    classes: plan.classes,
    train: assemble(order.train, stored, labels, channels, size),
    test: assemble(order.test, stored, labels, channels, size)
  }
}

function checkClassCount(classes: readonly string[]): void {
  const { minClasses, maxClasses } = IMAGE_LIMITS
  const found = classes.length === 1 ? `one class folder ("${classes[0]}")` : `${classes.length} class folders`
  if (classes.length < minClasses) throw invalid(`found ${found}; an image set needs at least ${minClasses} classes, one folder of images each`)
  if (classes.length > maxClasses) throw invalid(`found ${found}; at most ${maxClasses} classes are supported`)
}

/** The first read: every header, for the most common size. Files whose header is bad are skipped here already. */
async function scanForSize(
  name: string,
  images: readonly ClassImage[],
  options: ImportOptions,
  skips: SkipList
): Promise<{ size: ImageSize; kept: (Uint8Array | undefined)[] }> {
  const progress = new PhaseProgress(name, options, 'scanning', images.length)
  const sizes: ImageSize[] = []
  const kept: (Uint8Array | undefined)[] = []
  let keptBytes = 0
  for await (const outcome of readInOrder(images.map((image) => image.file))) {
    const path = images[kept.length].path
    const header = 'error' in outcome ? outcome.error : readImageHeader(outcome.bytes)
    const keep = typeof header !== 'string' && 'bytes' in outcome && keptBytes + outcome.bytes.length <= SCAN_CACHE_BYTES
    kept.push(keep ? outcome.bytes : undefined)
    if (keep) keptBytes += outcome.bytes.length
    if (typeof header === 'string') skips.add(path, header)
    else sizes.push({ height: header.height, width: header.width })
    progress.step()
  }
  progress.finish()
  const common = mostCommonSize(sizes)
  if (common === undefined) throw invalid(`none of the ${images.length} image files could be read (${skips.files[0]?.file}: ${skips.files[0]?.reason})`)
  return { size: defaultTargetSize(common), kept }
}

/** The image, reading from the bytes the scan kept, if it kept them. */
function withKeptBytes(image: ClassImage, bytes: Uint8Array | undefined): ClassImage {
  if (bytes === undefined) return image
  return { ...image, file: { path: image.file.path, size: image.file.size, read: async () => bytes } }
}

/** The second read: each image decoded, made grey or RGB planes, and resized; undefined where skipped. */
async function decodeAll(
  name: string,
  images: readonly ClassImage[],
  size: ImageSize,
  grey: boolean,
  options: ImportOptions,
  skips: SkipList
): Promise<(Planes | undefined)[]> {
  const skippedAlready = new Set(skips.files.map((s) => s.file))
  const todo = images.filter((image) => !skippedAlready.has(image.path))
  const stored: (Planes | undefined)[] = new Array(images.length).fill(undefined)
  const indexOf = new Map(images.map((image, i) => [image, i]))
  const progress = new PhaseProgress(name, options, 'decoding', todo.length)
  let t = 0
  for await (const outcome of readInOrder(todo.map((image) => image.file))) {
    const image = todo[t++]
    const planes = 'error' in outcome ? outcome.error : await decodeToPlanes(outcome.bytes, size, grey)
    progress.checkCancelled() // a WebP decode awaits; the cancel may have come meanwhile
    if (typeof planes === 'string') skips.add(image.path, planes)
    else stored[indexOf.get(image) as number] = planes
    progress.step()
  }
  progress.finish()
  return stored
}

/** The image's planes at the target size, or why it was skipped. */
async function decodeToPlanes(bytes: Uint8Array, size: ImageSize, grey: boolean): Promise<Planes | string> {
  const header: ImageHeader | string = readImageHeader(bytes)
  if (typeof header === 'string') return header
  try {
    const pixels = await decodeImage(bytes, header)
    return resizePlanes(toPlanes(pixels, grey), size.height, size.width)
  } catch (err) {
    if (err instanceof DecodeFailure) return err.message
    throw err
  }
}

function splitOf(plan: ClassFolderPlan, stored: readonly (Planes | undefined)[], settings: FolderSettings): SplitPlan {
  const valid = plan.images.map((_, i) => i).filter((i) => stored[i] !== undefined)
  if (valid.length === 0) throw invalid(`none of the ${plan.images.length} image files could be decoded`)
  const inTrain = (i: number): boolean => !plan.presplit || plan.images[i].split === 'train'
  const trainByClass = plan.classes.map((): number[] => [])
  for (const i of valid) if (inTrain(i)) trainByClass[plan.images[i].label].push(i)
  const empty = trainByClass.findIndex((members) => members.length === 0)
  if (empty >= 0) {
    const where = plan.presplit ? `train/${plan.classes[empty]}/` : `${plan.classes[empty]}/`
    throw invalid(`class "${plan.classes[empty]}" has no image to train on: ${where} holds no image that could be decoded`)
  }

  const order = plan.presplit
    ? givenSplit(
        valid.filter(inTrain),
        valid.filter((i) => !inTrain(i)),
        settings.seed
      )
    : stratifiedSplit(trainByClass, settings.testSplit, settings.seed)
  if (order.test.length === 0) {
    const why = plan.presplit ? 'test/ holds no image that could be decoded' : `each class is too small for a test split of ${settings.testSplit}`
    throw invalid(`the import gave no test images: ${why}`)
  }
  return order
}

/** One split's bytes in the given order; each image's planes are released as they are copied. */
function assemble(order: readonly number[], stored: (Planes | undefined)[], labels: readonly number[], channels: 1 | 3, size: ImageSize): Split {
  const imageBytes = channels * size.height * size.width
  const images = new Uint8Array(order.length * imageBytes)
  const splitLabels = new Uint8Array(order.length)
  order.forEach((index, k) => {
    images.set(withChannels(stored[index] as Planes, channels).data, k * imageBytes)
    splitLabels[k] = labels[index]
    stored[index] = undefined
  })
  return { count: order.length, channels, rows: size.height, cols: size.width, images, labels: splitLabels }
}
