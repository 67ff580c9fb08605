import { z } from 'zod'

/*
 * The confusion matrix of each evaluation, kept compactly with the run: one flat row-major list of counts
 * (K² integers; 100 for digits) and the iteration, in a log thinned like the evaluations. The matrices of a
 * many-class data set are large, so fewer are kept there: about CONFUSION_CELL_BUDGET counts per run.
 */
export const CONFUSION_CELL_BUDGET = 200_000
export const MAX_STORED_CONFUSIONS = 200
const MIN_STORED_CONFUSIONS = 10

export const StoredConfusionSchema = z
  .object({
    iter: z.number().int().min(0),
    /** Classes: the matrix is size × size. */
    size: z.number().int().min(1).max(1000),
    /** counts[t·size + p] = test images of true class t predicted as p. */
    counts: z.array(z.number().int().min(0))
  })
  .refine((c) => c.counts.length === c.size * c.size, { message: 'counts must hold size² values' })
export type StoredConfusion = z.infer<typeof StoredConfusionSchema>

/** How many matrices of `size` classes a run keeps (evenly thinned, the latest always). */
export function confusionCapacity(size: number): number {
  return Math.max(MIN_STORED_CONFUSIONS, Math.min(MAX_STORED_CONFUSIONS, Math.floor(CONFUSION_CELL_BUDGET / Math.max(1, size * size))))
}

/**
 * A matrix as stored, from the evaluation's flat row-major counts (or rows, row = true class); null when
 * it is not square.
 */
export function packConfusion(iter: number, confusion: readonly number[] | readonly (readonly number[])[]): StoredConfusion | null {
  if (confusion.length === 0) return null
  if (typeof confusion[0] !== 'number') {
    const rows = confusion as readonly (readonly number[])[]
    if (rows.some((row) => row.length !== rows.length)) return null
    return { iter, size: rows.length, counts: rows.flat() }
  }
  const counts = confusion as readonly number[]
  const size = Math.round(Math.sqrt(counts.length))
  return size * size === counts.length ? { iter, size, counts: [...counts] } : null
}

export function unpackConfusion(stored: StoredConfusion): number[][] {
  return Array.from({ length: stored.size }, (_, t) => stored.counts.slice(t * stored.size, (t + 1) * stored.size))
}

/** Test accuracy of each true class (its diagonal count over its row's total); null for a class with no test image. */
export function perClassAccuracy(stored: StoredConfusion): (number | null)[] {
  return Array.from({ length: stored.size }, (_, t) => {
    let total = 0
    for (let p = 0; p < stored.size; p++) total += stored.counts[t * stored.size + p]
    return total > 0 ? stored.counts[t * stored.size + t] / total : null
  })
}
