import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { EngineEventOf, LayerInfo } from '@engine/protocol'
import type { EngineConnection } from '@renderer/engine-client/connect'
import type { EngineClient } from '@renderer/engine-client/engine-client'

/**
 * What the Convolution view shows of a real network: the layers of the latest run started in this session
 * (from runStarted), and the engine's answers to the visualisation requests for one conv layer and one image.
 * The engine answers from the active run's network or the last finished one's.
 */
export const useConvStore = defineStore('conv', () => {
  const runId = ref<string | null>(null)
  const layers = shallowRef<LayerInfo[]>([])
  const finished = ref(false)
  /** The run's test-image limit: requests index into the run's (limited) split. */
  const testLimit = ref<number | null>(null)
  const filters = shallowRef<EngineEventOf<'filters'> | null>(null)
  const featureMaps = shallowRef<EngineEventOf<'featureMaps'> | null>(null)
  const matrix = shallowRef<EngineEventOf<'im2col'> | null>(null)
  const error = ref<string | null>(null)
  const loading = ref(false)
  let client: EngineClient | null = null
  const pending = new Set<string>()

  const convLayers = computed(() => layers.value.filter((l) => l.kind === 'conv2d'))
  const available = computed(() => runId.value !== null && convLayers.value.length > 0)

  function onRunStarted(event: EngineEventOf<'runStarted'>): void {
    runId.value = event.runId
    layers.value = event.layers ?? []
    testLimit.value = event.config.testLimit ?? null
    finished.value = false
    filters.value = null
    featureMaps.value = null
    matrix.value = null
    error.value = null
  }

  /** A saved model opened from the library (#/models → "Show in Convolution"): its layers, all images. */
  function onModelLoaded(event: EngineEventOf<'modelLoaded'>): void {
    runId.value = `model-${event.requestId}`
    layers.value = event.layers
    testLimit.value = null
    finished.value = true
    filters.value = null
    featureMaps.value = null
    matrix.value = null
    error.value = null
  }

  function settle(requestId: string): boolean {
    if (!pending.delete(requestId)) return false
    loading.value = pending.size > 0
    return true
  }

  function attach(connection: Pick<EngineConnection, 'client'>): void {
    client = connection.client
    client.on('runStarted', onRunStarted)
    client.on('modelLoaded', onModelLoaded)
    client.on('runFinished', (event) => {
      if (event.runId === runId.value) finished.value = true
    })
    client.on('filters', (event) => {
      if (settle(event.requestId)) filters.value = event
    })
    client.on('featureMaps', (event) => {
      if (settle(event.requestId)) featureMaps.value = event
    })
    client.on('im2col', (event) => {
      if (settle(event.requestId)) matrix.value = event
    })
    client.on('error', (event) => {
      if (event.requestId !== undefined && settle(event.requestId)) error.value = event.message
    })
  }

  /** Asks for the filters, feature maps and im2col matrix of `layer` for test image `index`. */
  function request(layer: string, index: number): void {
    if (!client || !available.value) return
    error.value = null
    pending.clear()
    try {
      pending.add(client.getFilters(layer))
      pending.add(client.getFeatureMaps(layer, 'test', index))
      pending.add(client.getIm2col(layer, 'test', index))
      loading.value = true
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
      loading.value = false
    }
  }

  return { runId, layers, testLimit, convLayers, available, finished, filters, featureMaps, matrix, error, loading, attach, request, onRunStarted }
})
