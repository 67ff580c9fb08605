import type { SkippedFile, SourceFile } from './import-types'
import { compareCodePoints, hasImageExtension, segmentsOf } from './paths'

/*
 * The class-folder layout: DIR/<class>/…/image, optionally DIR/train/<class>/… and DIR/test/<class>/….
 * A folder that wraps everything (the archive's own folder, "leaves/cat/…") is looked through. Classes
 * are sorted in code-point order and numbered from 0. Only files with an image extension count; other
 * files (notes, Thumbs.db) are ignored.
 */

export interface ClassImage {
  file: SourceFile
  /** the path without any wrapping folder, for messages */
  path: string
  label: number
  /** set when the folder has train/ and test/ */
  split?: 'train' | 'test'
}

export interface ClassFolderPlan {
  classes: string[]
  /** in path order, so a listing's order does not change the result */
  images: ClassImage[]
  presplit: boolean
  /** image files outside any class folder */
  skipped: SkippedFile[]
}

const SPLIT_NAMES = ['train', 'test'] as const

export function planClassFolders(files: readonly SourceFile[]): ClassFolderPlan {
  const candidates = files.map((file) => ({ file, segments: segmentsOf(file.path) })).filter(({ segments }) => hasImageExtension(segments[segments.length - 1]))
  const wrapper = wrappingDepth(candidates.map((c) => c.segments))
  const entries = candidates
    .map(({ file, segments }) => ({ file, segments: segments.slice(wrapper) }))
    .sort((a, b) => compareCodePoints(a.segments.join('/'), b.segments.join('/')))

  const tops = new Set(entries.filter((e) => e.segments.length > 1).map((e) => e.segments[0].toLowerCase()))
  const presplit = SPLIT_NAMES.every((name) => tops.has(name))
  const skipped: SkippedFile[] = []
  const placed: { file: SourceFile; path: string; className: string; split?: 'train' | 'test' }[] = []
  for (const { file, segments } of entries) {
    const path = segments.join('/')
    let rest = segments
    let split: 'train' | 'test' | undefined
    if (presplit) {
      split = SPLIT_NAMES.find((name) => name === segments[0].toLowerCase() && segments.length > 1)
      if (split === undefined) {
        skipped.push({ file: path, reason: 'not inside train/ or test/' })
        continue
      }
      rest = segments.slice(1)
    }
    if (rest.length < 2) {
      skipped.push({ file: path, reason: 'not inside a class folder' })
      continue
    }
    placed.push({ file, path, className: rest[0], split })
  }

  const classes = [...new Set(placed.map((p) => p.className))].sort(compareCodePoints)
  const labelOf = new Map(classes.map((name, label) => [name, label]))
  const images = placed.map(({ file, path, className, split }) => ({ file, path, label: labelOf.get(className) as number, split }))
  return { classes, images, presplit, skipped }
}

/** How many leading folders every image shares while at least a class folder and a file name remain below them. */
function wrappingDepth(paths: readonly string[][]): number {
  let depth = 0
  for (;;) {
    if (paths.length === 0 || paths.some((segments) => segments.length < depth + 3)) return depth
    const first = paths[0][depth]
    if (paths.some((segments) => segments[depth] !== first)) return depth
    depth++
  }
}
