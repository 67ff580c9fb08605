import { computed, type Ref } from 'vue'
import { useEngineStore } from '@renderer/stores/engine'
import { useQueueStore } from '@renderer/stores/queue'
import { useCurrentRunStore } from '@renderer/stores/current-run'
import { useRunLibraryStore, type RunEntry } from '@renderer/stores/run-library'

/**
 * The latest completed run of each of some presets (their own settings, any seed), which presets have
 * none yet, and one call to queue exactly those. `accept` can ask more of a run (e.g. stored weights). A preset queued or training now counts as on its way.
 */
export function usePresetRuns(presetIds: Ref<readonly string[]> | readonly string[], accept: (entry: RunEntry) => boolean = () => true) {
  const runs = useRunLibraryStore()
  const run = useCurrentRunStore()
  const queue = useQueueStore()
  const engine = useEngineStore()
  const ids = computed(() => ('value' in presetIds ? presetIds.value : presetIds) as readonly string[])

  const latest = computed(() => {
    const out = new Map<string, RunEntry>()
    for (const entry of runs.list) {
      // Entries are not reactive themselves: reading each run's revision first makes this follow a run
      // that ends, and the weights or landscape kept after it ended (which `accept` may ask for).
      void runs.revision(entry.id)
      // Newest first: the first completed run of a preset is its latest.
      if (entry.status !== 'completed' || entry.custom || !entry.presetId || out.has(entry.presetId)) continue
      if (ids.value.includes(entry.presetId) && accept(entry)) out.set(entry.presetId, entry)
    }
    return out
  })

  const onTheWay = computed(() => {
    const set = new Set(queue.items.filter((i) => !i.custom && i.presetId).map((i) => i.presetId!))
    if (run.isActive && !run.custom && run.presetId) set.add(run.presetId)
    return set
  })

  const missing = computed(() => ids.value.filter((id) => !latest.value.has(id)))
  const toQueue = computed(() => missing.value.filter((id) => !onTheWay.value.has(id)))

  /** Where a preset's run stands, as the lessons' lists mark it (their data-state). */
  const stateOf = (id: string): 'done' | 'queued' | 'missing' => (latest.value.has(id) ? 'done' : onTheWay.value.has(id) ? 'queued' : 'missing')

  /** Queues every preset that has no completed run and is not queued or training. */
  function queueMissing(): number {
    let added = 0
    for (const id of toQueue.value) {
      const preset = engine.presets.find((p) => p.id === id)
      if (!preset) continue
      queue.add({ config: preset.config, presetId: id, custom: false })
      added++
    }
    return added
  }

  return { latest, missing, onTheWay, toQueue, queueMissing, stateOf }
}
