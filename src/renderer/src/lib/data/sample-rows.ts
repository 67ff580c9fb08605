import type { AugmentOptions } from '@engine/data/augment'
import type { EngineEvent } from '@engine/protocol'
import type { EngineClient } from '@renderer/engine-client/engine-client'
import type { SampleBatch } from './sample-image'

/*
 * The gallery of #/data asks for exactly what it shows: one page of images per class, one request per
 * class (a 60,000-image set costs the same as a small one).
 */

export type SamplesEvent = Extract<EngineEvent, { type: 'datasetSamples' }>

/** A `datasetSamples` answer with its bytes as a Uint8Array (the protocol also allows a bare ArrayBuffer). */
export interface SampleStrip extends SampleBatch {
  indices: number[]
  labels: number[]
  total: number
}

export function toStrip(event: SamplesEvent): SampleStrip {
  const pixels = event.pixels instanceof Uint8Array ? event.pixels : new Uint8Array(event.pixels)
  return { channels: event.channels, rows: event.rows, cols: event.cols, pixels, indices: event.indices, labels: event.labels, total: event.total }
}

/** One class's page: `indices` are the shown images' places in the split, `total` the class's images there. */
export interface SampleRow extends SampleStrip {
  label: number
}

type SampleClient = Pick<EngineClient, 'getDatasetSamples' | 'answer'>

export async function loadClassRows(
  client: SampleClient,
  request: { split: 'train' | 'test'; classCount: number; page: number; perRow: number }
): Promise<SampleRow[]> {
  const { split, classCount, page, perRow } = request
  const answers = await Promise.all(
    Array.from({ length: classCount }, (_, label) =>
      client.answer(client.getDatasetSamples({ split, label, start: page * perRow, count: perRow, seed: 1 }), 'datasetSamples')
    )
  )
  return answers.map((a, label) => ({ ...toStrip(a), label }))
}

/** Pages needed to show every image of the largest class. */
export function pageCount(rows: readonly SampleRow[], perRow: number): number {
  return Math.max(1, ...rows.map((r) => Math.ceil(r.total / perRow)))
}

/** The same images, as the run's augmentation with these options and this seed would change them. */
export async function loadAugmentedStrip(
  client: SampleClient,
  request: { count: number; augment: AugmentOptions | undefined; seed: number }
): Promise<SampleStrip> {
  return toStrip(
    await client.answer(
      client.getDatasetSamples({
        split: 'train',
        start: 0,
        count: request.count,
        seed: request.seed,
        ...(request.augment ? { augment: request.augment } : {})
      }),
      'datasetSamples'
    )
  )
}
