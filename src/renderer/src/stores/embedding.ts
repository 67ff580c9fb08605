import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { EngineEventOf, LayerInfo } from '@engine/protocol'
import type { EmbedMethod } from '@engine/config/embedding'
import type { EngineConnection } from '@renderer/engine-client/connect'
import type { EngineClient } from '@renderer/engine-client/engine-client'
import type { PlaneImage } from '@renderer/lib/colour-image'
import { useEngineStore } from './engine'
import { useRunLibraryStore } from './run-library'

/**
 * #/embedding's question and answer: a layer, a method, N and a seed in; the engine's 2-D points of the
 * first N test images out, with their labels and the network's answers, and the images themselves (for
 * the hover and the selection's list). Also keeps a run's embedding snapshots with the run (its record).
 */

export type Embedding = EngineEventOf<'embedding'>
export type EmbeddingProgress = Pick<EngineEventOf<'embeddingProgress'>, 'phase' | 'done' | 'total'>
/** Which network answers: the loaded model, or the active / last run's. */
export type EmbedSource = 'model' | 'run'

/** The default N of the issue: a thousand test images. */
export const DEFAULT_POINTS = 1000
/** getDatasetSamples answers at most this many images per request. */
const SAMPLES_PER_REQUEST = 2000

/** Bytes as the protocol delivers them (a Uint8Array, or an ArrayBuffer after structured cloning). */
const asBytes = (bytes: ArrayLike<number> | ArrayBuffer): Uint8Array =>
  bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : Uint8Array.from(bytes)

export interface SplitImages {
  split: 'test' | 'train'
  /** Images from index 0 on, as [C, H, W] bytes each. */
  image: (index: number) => (PlaneImage & { values: Uint8Array }) | null
  count: number
}

export const useEmbeddingStore = defineStore('embedding', () => {
  const runs = useRunLibraryStore()
  const method = ref<EmbedMethod>('pca')
  /** null = the engine's default, the last hidden layer before the class scores. */
  const layer = ref<string | null>(null)
  const n = ref(DEFAULT_POINTS)
  const seed = ref(1)
  const layers = shallowRef<LayerInfo[]>([])
  const defaultLayer = ref<string | null>(null)
  const progress = ref<EmbeddingProgress | null>(null)
  const result = shallowRef<Embedding | null>(null)
  const error = ref<string | null>(null)
  /** The first images of the test split, fetched once per data set for the hover and the selection. */
  const images = shallowRef<SplitImages | null>(null)
  let imagesFor: string | null = null
  let imagesLoading: Promise<void> | null = null
  let pending: string | null = null
  let question = 0

  function attach(connection: Pick<EngineConnection, 'client'>): void {
    const client = connection.client
    // A run with embedding settings sends its projection at each evaluation: kept with the run.
    client.on('embeddingSnapshot', (event) => {
      const indices = event.labels.map((_, i) => i)
      runs.embeddingSnapshot(
        event.runId,
        { iter: event.iter, layer: event.layer, method: event.method, points: event.points, predicted: event.predicted },
        { indices, labels: event.labels }
      )
    })
    client.on('embeddingProgress', (event) => {
      if (event.requestId === pending) progress.value = { phase: event.phase, done: event.done, total: event.total }
    })
  }

  const clientOf = (): EngineClient | null => useEngineStore().client

  /** The layers the chosen network offers (and its default); a layer it does not have is forgotten. */
  async function loadLayers(source: EmbedSource): Promise<void> {
    const c = clientOf()
    if (!c) return
    try {
      const answer = await c.answer(c.getEmbeddingLayers(source), 'embeddingLayers')
      layers.value = answer.layers
      defaultLayer.value = answer.defaultLayer
      if (layer.value && !answer.layers.some((l) => l.name === layer.value)) layer.value = null
    } catch (e) {
      layers.value = []
      defaultLayer.value = null
      error.value = (e as Error).message
    }
  }

  /** Asks for the projection; a new question cancels the one computing (the engine does too). */
  async function compute(source: EmbedSource): Promise<void> {
    const c = clientOf()
    if (!c) return
    const mine = ++question
    if (pending) c.cancelEmbedding(pending)
    error.value = null
    progress.value = { phase: 'activations', done: 0, total: 1 }
    const requestId = c.embed({ source, method: method.value, split: 'test', n: n.value, seed: seed.value, ...(layer.value ? { layer: layer.value } : {}) })
    pending = requestId
    try {
      const answer = await Promise.race([c.answer(requestId, 'embedding'), c.answer(requestId, 'embeddingCancelled').then(() => null)])
      if (mine !== question) return
      if (answer) {
        result.value = answer
        void ensureImages(answer.n)
      }
    } catch (e) {
      if (mine === question) error.value = (e as Error).message
    } finally {
      if (mine === question) {
        progress.value = null
        pending = null
      }
    }
  }

  function cancel(): void {
    const c = clientOf()
    if (c && pending) c.cancelEmbedding(pending)
  }

  /** The first `count` test images of the loaded data (fetched in a few requests, once per data set). */
  async function ensureImages(count: number): Promise<void> {
    const engine = useEngineStore()
    const c = engine.client
    const data = engine.dataset
    if (!c || !data) return
    const key = `${data.name}:${data.test.count}`
    const want = Math.min(count, data.test.count)
    if (imagesFor === key && images.value && images.value.count >= want) return
    if (imagesLoading) await imagesLoading
    if (imagesFor === key && images.value && images.value.count >= want) return
    imagesLoading = (async () => {
      const parts: Uint8Array[] = []
      let shape: { channels: number; rows: number; cols: number } | null = null
      for (let start = 0; start < want; start += SAMPLES_PER_REQUEST) {
        const answer = await c.answer(
          c.getDatasetSamples({ split: 'test', start, count: Math.min(SAMPLES_PER_REQUEST, want - start), seed: 1 }),
          'datasetSamples'
        )
        shape = { channels: answer.channels, rows: answer.rows, cols: answer.cols }
        parts.push(asBytes(answer.pixels))
      }
      if (!shape) return
      const size = shape.channels * shape.rows * shape.cols
      const all = new Uint8Array(parts.reduce((s, p) => s + p.length, 0))
      let at = 0
      for (const p of parts) {
        all.set(p, at)
        at += p.length
      }
      const s = shape
      images.value = {
        split: 'test',
        count: want,
        image: (index) => (index >= 0 && index < want ? { ...s, values: all.subarray(index * size, (index + 1) * size) } : null)
      }
      imagesFor = key
    })()
    try {
      await imagesLoading
    } catch (e) {
      error.value = (e as Error).message
    } finally {
      imagesLoading = null
    }
  }

  /** Another network (or data set) answers now: what was shown belongs to the old one. */
  function forget(): void {
    cancel()
    question++
    pending = null
    result.value = null
    progress.value = null
    error.value = null
  }

  return { method, layer, n, seed, layers, defaultLayer, progress, result, error, images, attach, loadLayers, compute, cancel, ensureImages, forget }
})
