/*
 * The engine's one kind of data: labelled images, one byte per value, channel-first. MNIST is the case
 * C = 1, H = W = 28 with the classes "0"…"9"; imported sets (class folders, CIFAR, other IDX files) are
 * the same shape of object, so every layer, view and tool reads them alike.
 */

/** Limits of what the engine trains on (issue 19): grey or RGB, 8…128 pixels a side, 2…100 classes. */
export const IMAGE_LIMITS = {
  channels: [1, 3] as readonly number[],
  minSide: 8,
  maxSide: 128,
  minClasses: 2,
  maxClasses: 100
} as const

export interface Split {
  count: number
  /** 1 (grey) or 3 (RGB) */
  channels: number
  rows: number
  cols: number
  /** count·channels·rows·cols bytes, [N, C, H, W] row-major: each image's planes one after the other */
  images: Uint8Array
  /** count class indices, each < classes.length */
  labels: Uint8Array
}

export interface ImageDataset {
  name: string
  /** The class names, index = label. */
  classes: string[]
  train: Split
  test: Split
}

/** Values of one image: channels × rows × cols. */
export const imageSize = (split: Pick<Split, 'channels' | 'rows' | 'cols'>): number => split.channels * split.rows * split.cols

/** One sample's shape as the layers see it: [C, H, W]. */
export const sampleShape = (split: Pick<Split, 'channels' | 'rows' | 'cols'>): number[] => [split.channels, split.rows, split.cols]

/** The digits' names, MNIST's classes and the default of an IDX set without a classes.txt. */
export const DIGIT_CLASSES: readonly string[] = Array.from({ length: 10 }, (_, d) => String(d))
