import { z } from 'zod'
import type { Point2 } from '@renderer/lib/embedding/geometry'

/*
 * A run's embedding snapshots: the 2-D points of its test images at each evaluation (never the
 * activations), so #/embedding can replay the classes separating. Points are kept as integers on a scale
 * of their own (±32,767 spans the snapshot's largest coordinate): a thousand points take ~11 kB of JSON
 * (15 kB as 4-digit pairs), and a picture on screen cannot show the difference (1/65,535 of its width).
 */
export const MAX_STORED_EMBEDDING_SNAPSHOTS = 30
const QUANT = 32767

export const StoredEmbeddingSnapshotSchema = z
  .object({
    iter: z.number().int().min(0),
    layer: z.string().max(200),
    method: z.string().max(20),
    /** A coordinate is xy[i] · scale. */
    scale: z.number().min(0),
    /** x0, y0, x1, y1, … */
    xy: z.array(z.number().int().min(-QUANT).max(QUANT)).max(2 * 100_000),
    /** The network's answer for each image at that evaluation (absent: not sent). */
    predicted: z.array(z.number().int().min(0)).optional()
  })
  .refine((s) => s.xy.length % 2 === 0, { message: 'xy must hold pairs' })
  .refine((s) => !s.predicted || s.predicted.length * 2 === s.xy.length, { message: 'predicted must hold one class per point' })
export type StoredEmbeddingSnapshot = z.infer<typeof StoredEmbeddingSnapshotSchema>

/** The test images the snapshots show (the same for every snapshot of a run): their indices and labels. */
export const StoredEmbeddingImagesSchema = z.object({ indices: z.array(z.number().int().min(0)), labels: z.array(z.number().int().min(0)) })
export type StoredEmbeddingImages = z.infer<typeof StoredEmbeddingImagesSchema>

export function packPoints(snapshot: {
  iter: number
  layer: string
  method: string
  points: readonly Point2[]
  predicted?: readonly number[]
}): StoredEmbeddingSnapshot {
  let largest = 0
  for (const [x, y] of snapshot.points) largest = Math.max(largest, Number.isFinite(x) ? Math.abs(x) : 0, Number.isFinite(y) ? Math.abs(y) : 0)
  const scale = largest > 0 ? largest / QUANT : 0
  const q = (v: number): number => (scale > 0 && Number.isFinite(v) ? Math.round(v / scale) : 0)
  const xy: number[] = []
  for (const [x, y] of snapshot.points) xy.push(q(x), q(y))
  const packed: StoredEmbeddingSnapshot = { iter: snapshot.iter, layer: snapshot.layer, method: snapshot.method, scale, xy }
  return snapshot.predicted && snapshot.predicted.length === snapshot.points.length ? { ...packed, predicted: [...snapshot.predicted] } : packed
}

export function unpackPoints(stored: StoredEmbeddingSnapshot): Point2[] {
  const points: Point2[] = []
  for (let i = 0; i < stored.xy.length; i += 2) points.push([stored.xy[i] * stored.scale, stored.xy[i + 1] * stored.scale])
  return points
}
