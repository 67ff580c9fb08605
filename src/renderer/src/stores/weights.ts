import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { EngineEventOf } from '@engine/protocol'
import type { EngineConnection } from '@renderer/engine-client/connect'
import type { EngineClient } from '@renderer/engine-client/engine-client'
import { roundForStorage } from '@renderer/lib/snapshot-log'
import { useRunLibraryStore } from './run-library'

/**
 * The network's weights for the Weights view, and what the visual lessons keep of every run: its conv
 * filters over time (from the engine's filterSnapshot events) and a summary of its weights when it ends
 * (asked for as soon as runFinished arrives, before a queued run can replace the inspected network).
 */

/** First-layer units kept in a run's record (the live view asks for all of them). */
export const STORED_UNITS = 16
export const LIVE_UNITS = 256

export const useWeightsStore = defineStore('weights', () => {
  const runs = useRunLibraryStore()
  /** The latest answer for the view: the inspected network (the run training now, or the last one). */
  const live = shallowRef<EngineEventOf<'weights'> | null>(null)
  const error = ref<string | null>(null)
  const errorCode = ref<string | null>(null)
  const loading = ref(false)
  let client: EngineClient | null = null
  let viewRequest: string | null = null
  /** Requests sent to keep a finished run's weights in its record: request id → run id. */
  const forRecord = new Map<string, string>()

  function attach(connection: Pick<EngineConnection, 'client'>): void {
    client = connection.client
    client.on('filterSnapshot', (event) => {
      runs.filterSnapshot(event.runId, { iter: event.iter, layers: event.layers.map((l) => ({ ...l, values: roundForStorage(l.values) })) })
    })
    client.on('runFinished', (event) => {
      if (!client || !runs.get(event.runId)) return
      try {
        forRecord.set(client.getWeights(STORED_UNITS), event.runId)
      } catch {
        // Not connected: the run keeps no weight summary, which the views say.
      }
    })
    client.on('weights', (event) => {
      const runId = forRecord.get(event.requestId)
      if (runId !== undefined) {
        forRecord.delete(event.requestId)
        if (event.runId === runId) {
          const units = event.units ? { ...event.units, values: roundForStorage(event.units.values) } : null
          runs.setWeights(runId, { iter: event.iter, layers: event.layers, units })
        }
        return
      }
      if (event.requestId !== viewRequest) return
      viewRequest = null
      loading.value = false
      error.value = null
      errorCode.value = null
      live.value = event
    })
    client.on('error', (event) => {
      if (event.requestId === undefined) return
      forRecord.delete(event.requestId)
      if (event.requestId !== viewRequest) return
      viewRequest = null
      loading.value = false
      error.value = event.message
      errorCode.value = event.code
    })
  }

  /** Asks for the inspected network's weights; a request still unanswered is not repeated. */
  function refresh(): void {
    if (!client || viewRequest) return
    try {
      viewRequest = client.getWeights(LIVE_UNITS)
      loading.value = true
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
      errorCode.value = null
    }
  }

  return { live, error, errorCode, loading, attach, refresh }
})
