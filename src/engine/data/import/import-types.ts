import type { ImageDataset } from '../image-set'

/** One file of the folder the user chose; reading is lazy, so a listing of 60,000 files costs nothing. */
export interface SourceFile {
  /** relative to the chosen folder, '/'-separated */
  path: string
  size: number
  read(): Promise<Uint8Array>
}

export interface ImportProgress {
  phase: string
  done: number
  total: number
}

export interface ImportOptions {
  /** default: the most common image size, scaled so neither side exceeds 64 (keeping the aspect, each side ≥ 8) */
  size?: { height: number; width: number }
  /** default: colour if any image has colour, else grey */
  colour?: 'grey' | 'colour'
  /** the fraction of each class held out for testing when there are no train/ and test/ folders; default 1/6 */
  testSplit?: number
  /** seeds the split and the order of the images; default 1 */
  seed?: number
  /** stop at the first file that cannot be read instead of skipping it */
  strict?: boolean
  signal?: AbortSignal
  onProgress?: (progress: ImportProgress) => void
}

export interface SkippedFile {
  file: string
  reason: string
}

export type ImportSource = 'folders' | 'cifar-10' | 'cifar-100' | 'idx'

export interface ImportResult {
  dataset: ImageDataset
  skipped: SkippedFile[]
  source: ImportSource
}
