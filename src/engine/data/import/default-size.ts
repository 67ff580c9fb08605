import { IMAGE_LIMITS } from '../image-set'

/*
 * The size a folder imports at when none is chosen: the most common image size (ties go to the size met
 * first in path order), scaled down to fit 64 pixels a side keeping its aspect, and each side at least 8.
 */

export const DEFAULT_MAX_SIDE = 64

export interface ImageSize {
  height: number
  width: number
}

export function mostCommonSize(sizes: Iterable<ImageSize>): ImageSize | undefined {
  // A Map iterates in insertion order, so the strict comparison below keeps the first size met on a tie.
  const counts = new Map<string, { size: ImageSize; count: number }>()
  for (const size of sizes) {
    const key = `${size.height}x${size.width}`
    const entry = counts.get(key)
    if (entry) entry.count++
    else counts.set(key, { size: { height: size.height, width: size.width }, count: 1 })
  }
  let best: { size: ImageSize; count: number } | undefined
  for (const entry of counts.values()) if (best === undefined || entry.count > best.count) best = entry
  return best?.size
}

export function defaultTargetSize({ height, width }: ImageSize): ImageSize {
  const longest = Math.max(height, width)
  const scale = (side: number): number => (longest > DEFAULT_MAX_SIDE ? Math.round((side * DEFAULT_MAX_SIDE) / longest) : side)
  return { height: Math.max(IMAGE_LIMITS.minSide, scale(height)), width: Math.max(IMAGE_LIMITS.minSide, scale(width)) }
}
