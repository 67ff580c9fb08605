import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import type { RunConfig } from '@engine/config/run-config'
import { loadQueuedRequests, saveQueuedRequests } from '@renderer/lib/queue-storage'
import { useCurrentRunStore, type RunRequest } from './current-run'

/**
 * Runs waiting their turn. The engine trains one run at a time; whenever it is free (no run going, a
 * dataset loaded) the first queued run starts. Items can be removed before they start. The queue is
 * saved on every change and restored on start-up, so a reload or a crash loses nothing waiting.
 */
export interface QueueItem extends RunRequest {
  /** Stable key for lists and removal. */
  key: number
}

export const useQueueStore = defineStore('queue', () => {
  const run = useCurrentRunStore()
  let nextKey = 1
  const restored = loadQueuedRequests()
  const items = ref<QueueItem[]>(restored.requests.map((request) => ({ ...request, key: nextKey++ })))
  /** Saved items that could not be read back (shown once, then cleared by the next save). */
  const droppedOnRestore = ref(restored.dropped)

  /** Starts the next run if the engine is free. Called on every change that could free it. */
  function dispatch(): void {
    while (items.value.length > 0 && run.canStart) {
      const [next, ...rest] = items.value
      items.value = rest
      // Items were checked when added; one that is refused now (e.g. a new dataset is too small) is dropped.
      if (run.startConfig(next)) return
    }
  }

  function add(request: RunRequest): QueueItem {
    const item: QueueItem = { ...request, config: JSON.parse(JSON.stringify(request.config)) as RunConfig, key: nextKey++ }
    items.value = [...items.value, item]
    dispatch()
    return item
  }

  function remove(key: number): void {
    items.value = items.value.filter((item) => item.key !== key)
  }

  function clear(): void {
    items.value = []
  }

  watch(items, (now) => saveQueuedRequests(now), { deep: true })

  // Every change counts (not only the value at the next render: a run may end and the engine be free
  // again within one task), and the start waits a microtask so the event that freed the engine is done.
  watch(
    () => run.canStart,
    (free) => {
      if (free) queueMicrotask(dispatch)
    },
    { flush: 'sync' }
  )

  return { items, droppedOnRestore, add, remove, clear, dispatch }
})
