import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { DEFAULT_SMOOTHING, normalizeSmoothing, type Smoothing } from '@renderer/lib/smoothing'

/**
 * How the student likes to look at things, across views: loss smoothing (remembered on this machine),
 * the runs chosen for comparison and the run shown in the gradient-flow view.
 */
export const SMOOTHING_STORAGE_KEY = 'gradient-lab.smoothing'

function readSmoothing(): Smoothing {
  try {
    const text = globalThis.localStorage?.getItem(SMOOTHING_STORAGE_KEY)
    return text ? normalizeSmoothing(JSON.parse(text)) : { ...DEFAULT_SMOOTHING }
  } catch {
    return { ...DEFAULT_SMOOTHING }
  }
}

export const useViewStore = defineStore('view', () => {
  const smoothing = ref<Smoothing>(readSmoothing())
  const compareIds = ref<string[]>([])
  /** null: follow the current (or latest) run. */
  const gradientRunId = ref<string | null>(null)

  watch(
    smoothing,
    (value) => {
      try {
        globalThis.localStorage?.setItem(SMOOTHING_STORAGE_KEY, JSON.stringify(value))
      } catch {
        // Not remembered; the setting still applies now.
      }
    },
    { deep: true }
  )

  function setSmoothing(value: Partial<Smoothing>): void {
    smoothing.value = normalizeSmoothing({ ...smoothing.value, ...value })
  }

  function toggleCompare(id: string, on: boolean): void {
    const has = compareIds.value.includes(id)
    if (on && !has) compareIds.value = [...compareIds.value, id]
    else if (!on && has) compareIds.value = compareIds.value.filter((x) => x !== id)
  }

  return { smoothing, compareIds, gradientRunId, setSmoothing, toggleCompare }
})
