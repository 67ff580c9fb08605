import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Command, LandscapeResult } from '@engine/protocol'
import type { EngineConnection } from '@renderer/engine-client/connect'
import type { EngineClient } from '@renderer/engine-client/engine-client'
import { useRunLibraryStore } from './run-library'

/**
 * A loss landscape of the engine's inspected network (the run training now, or the last one). Every
 * request is estimated first (one timed point): a grid that would take longer than CONFIRM_MS waits for
 * the student to confirm. The result is kept with its run.
 */
export const CONFIRM_MS = 20_000

/** What the form asks for: the computeLandscape command's fields (plane, split, images, grid, span, seed). */
export type LandscapeSettings = Omit<Extract<Command, { type: 'computeLandscape' }>, 'type' | 'requestId' | 'estimateOnly'>

export type LandscapePhase = 'idle' | 'estimating' | 'confirm' | 'computing' | 'done' | 'cancelled' | 'error'

export const useLandscapeStore = defineStore('landscape', () => {
  const runs = useRunLibraryStore()
  const phase = ref<LandscapePhase>('idle')
  const estimateMs = ref<number | null>(null)
  const progress = ref({ done: 0, total: 0 })
  const result = shallowRef<{ runId: string; iter: number; result: LandscapeResult } | null>(null)
  const error = ref<string | null>(null)
  const errorCode = ref<string | null>(null)
  let client: EngineClient | null = null
  let pending: string | null = null
  let settings: LandscapeSettings | null = null

  function fail(code: string | null, message: string): void {
    phase.value = 'error'
    error.value = message
    errorCode.value = code
    pending = null
  }

  function attach(connection: Pick<EngineConnection, 'client'>): void {
    client = connection.client
    client.on('landscapeEstimate', (event) => {
      if (event.requestId !== pending) return
      estimateMs.value = event.estimatedMs
      if (event.estimatedMs > CONFIRM_MS) {
        phase.value = 'confirm'
        pending = null
      } else start()
    })
    client.on('landscapeProgress', (event) => {
      if (event.requestId === pending) progress.value = { done: event.done, total: event.total }
    })
    client.on('landscape', (event) => {
      if (event.requestId !== pending) return
      pending = null
      phase.value = 'done'
      result.value = { runId: event.runId, iter: event.iter, result: event.result }
      runs.setLandscape(event.runId, { iter: event.iter, result: event.result })
    })
    client.on('landscapeCancelled', (event) => {
      if (event.requestId !== pending) return
      pending = null
      phase.value = 'cancelled'
    })
    client.on('error', (event) => {
      if (event.requestId !== undefined && event.requestId === pending) fail(event.code, event.message)
    })
  }

  function send(estimateOnly: boolean): void {
    if (!client || !settings) return
    error.value = null
    errorCode.value = null
    try {
      pending = client.computeLandscape({ ...settings, estimateOnly })
    } catch (e) {
      fail(null, e instanceof Error ? e.message : String(e))
    }
  }

  /** Estimates, then computes (at once when quick, after `confirm` when not). */
  function compute(next: LandscapeSettings): void {
    if (phase.value === 'computing' || phase.value === 'estimating') return
    settings = { ...next }
    estimateMs.value = null
    progress.value = { done: 0, total: next.grid * next.grid }
    phase.value = 'estimating'
    send(true)
  }

  function start(): void {
    phase.value = 'computing'
    progress.value = { done: 0, total: (settings?.grid ?? 0) ** 2 }
    send(false)
  }

  /** Computes the grid whose estimate asked for confirmation. */
  function confirm(): void {
    if (phase.value === 'confirm') start()
  }

  function cancel(): void {
    if (phase.value === 'confirm') {
      phase.value = 'idle'
      return
    }
    if (phase.value === 'computing' && pending && client) client.cancelLandscape(pending)
  }

  /** Shows a landscape kept with a saved run. */
  function show(stored: { runId: string; iter: number; result: LandscapeResult }): void {
    if (phase.value === 'computing') return
    result.value = stored
    phase.value = 'done'
    // A kept result is complete: the bar says so, and there is no estimate for it.
    progress.value = { done: stored.result.grid ** 2, total: stored.result.grid ** 2 }
    estimateMs.value = null
  }

  return { phase, estimateMs, progress, result, error, errorCode, attach, compute, confirm, cancel, show }
})
