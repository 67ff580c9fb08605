import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { EngineEventOf } from '@engine/protocol'
import type { EngineClient } from '@renderer/engine-client/engine-client'
import { useEngineStore } from './engine'
import type { PlaneImage } from '@renderer/lib/colour-image'
import type { ExplainMethod } from '@renderer/lib/explain/methods'

/** Which image is explained: one of the loaded data's splits by index, or an image file as the model saw it. */
export type ExplainSource = { kind: 'data'; split: 'test' | 'train'; index: number } | { kind: 'file'; name: string; image: PlaneImage }

export type Explanation = EngineEventOf<'explanation'>

/** The image shown beside its map: [C, H, W] bytes, and its label when it comes from the data. */
export interface ShownImage extends PlaneImage {
  values: Uint8Array
  label: number | null
}

/** Bytes as the protocol delivers them (a Uint8Array, or an ArrayBuffer after structured cloning). */
const asBytes = (bytes: ArrayLike<number> | ArrayBuffer): Uint8Array =>
  bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : Uint8Array.from(bytes)

/**
 * #/explain's question and the engine's answer: image, method, class and Grad-CAM layer in; the image and
 * its explanation out. The engine answers requests in order, but only the latest question's answer is
 * shown: stepping through images quickly must not leave an older image's map on screen.
 */
export const useExplainStore = defineStore('explain', () => {
  const source = ref<ExplainSource>({ kind: 'data', split: 'test', index: 0 })
  const method = ref<ExplainMethod>('saliency')
  /** The class explained; null = the model's predicted class. */
  const classChoice = ref<number | null>(null)
  /** Grad-CAM's conv layer; null = the engine's default, the last conv layer. */
  const layer = ref<string | null>(null)
  const image = shallowRef<ShownImage | null>(null)
  const result = shallowRef<Explanation | null>(null)
  const busy = ref(false)
  const error = ref<string | null>(null)
  let question = 0
  /** The data image on screen, so a change of method does not fetch it again. */
  let imageKey: string | null = null

  async function dataImage(c: EngineClient, split: 'test' | 'train', index: number): Promise<ShownImage> {
    const samples = await c.answer(c.getDatasetSamples({ split, start: index, count: 1, seed: 1 }), 'datasetSamples')
    const pixels = asBytes(samples.pixels)
    return { values: pixels, channels: samples.channels, rows: samples.rows, cols: samples.cols, label: samples.labels[0] ?? null }
  }

  /** Asks the engine for the current question's explanation (and the data image when it changed). */
  async function explain(): Promise<void> {
    const c = useEngineStore().client
    if (!c) return
    const mine = ++question
    const from = source.value
    busy.value = true
    error.value = null
    try {
      const common = {
        method: method.value,
        ...(classChoice.value === null ? {} : { class: classChoice.value }),
        ...(method.value === 'gradcam' && layer.value ? { layer: layer.value } : {})
      }
      const key = from.kind === 'data' ? `${from.split}:${from.index}` : null
      const needImage = from.kind === 'data' && (key !== imageKey || !image.value)
      const [explanation, shown] = await Promise.all([
        c.answer(
          c.explainImage(
            from.kind === 'data'
              ? { split: from.split, index: from.index, ...common }
              : { split: 'test', pixels: Array.from(from.image.values, (v) => v / 255), ...common }
          ),
          'explanation'
        ),
        needImage && from.kind === 'data' ? dataImage(c, from.split, from.index) : Promise.resolve(null)
      ])
      if (mine !== question) return
      if (shown) {
        image.value = shown
        imageKey = key
      } else if (from.kind === 'file') {
        image.value = { ...from.image, values: asBytes(from.image.values), label: null }
        imageKey = null
      }
      result.value = explanation
    } catch (e) {
      if (mine === question) {
        error.value = (e as Error).message
        result.value = null
      }
    } finally {
      if (mine === question) busy.value = false
    }
  }

  /** An image file: the engine converts it to the model's input (classifyImage); it becomes the source (the view then asks). */
  async function useFile(file: { name: string; bytes: Uint8Array }): Promise<void> {
    const c = useEngineStore().client
    if (!c) return
    error.value = null
    try {
      const seen = await c.answer(c.classifyImage(file.bytes), 'imagePrediction')
      source.value = { kind: 'file', name: file.name, image: { values: asBytes(seen.pixels), channels: seen.channels, rows: seen.rows, cols: seen.cols } }
    } catch (e) {
      error.value = (e as Error).message
    }
  }

  /** A different network answers now: what was shown belongs to the old one. */
  function forget(): void {
    question++
    result.value = null
    busy.value = false
    error.value = null
    layer.value = null
    classChoice.value = null
  }

  return { source, method, classChoice, layer, image, result, busy, error, explain, useFile, forget }
})
