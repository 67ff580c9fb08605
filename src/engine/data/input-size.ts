import type { Split } from './image-set'
import { resampleSplit } from './import/resample-split'

/**
 * A split at a run's `inputSize`: every image resized to size × size by area averaging (the import's
 * resize, exact integer sums, the same bytes on every host), channels kept. Model scaling's resolution
 * axis (EfficientNet's r) changes only this; without `inputSize` the split is used as it is.
 */
export function atInputSize(split: Split, size: number | undefined): Split {
  if (size === undefined) return split
  return resampleSplit(split, split.channels as 1 | 3, { height: size, width: size })
}
