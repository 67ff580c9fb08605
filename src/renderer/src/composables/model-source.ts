/*
 * Which network #/draw and #/explain ask: a saved model of the library (opened in the engine on choice) or
 * this session's network once a run has ended. Without either, the view offers a short run.
 */
import { computed, onMounted, ref, watch } from 'vue'
import { useModelsStore } from '@renderer/stores/models'
import { useEngineStore } from '@renderer/stores/engine'
import { useCurrentRunStore } from '@renderer/stores/current-run'
import { useQueueStore } from '@renderer/stores/queue'

/** The source value for this session's network (the last run, once it has ended). */
export const LIVE = 'live'

export function useModelSource(shortRun: { preset: string; iterations: number }) {
  const models = useModelsStore()
  const engine = useEngineStore()
  const run = useCurrentRunStore()
  const queue = useQueueStore()
  const modelId = ref<string>('')
  const opening = ref(false)
  const problem = ref<string | null>(null)

  const usable = computed(() => models.entries.filter((e) => e.summary))
  /** This session's network can answer once a run has ended and no saved model has been opened since. */
  const liveUsable = computed(() => run.runId !== null && !run.isActive && run.phase !== 'idle' && models.openModelId === null)
  const hasSource = computed(() => usable.value.length > 0 || liveUsable.value || modelId.value === LIVE)
  /** The chosen model's image shape and class names (this session's network: the loaded data's). */
  const target = computed(() => {
    if (modelId.value === LIVE) {
      const data = engine.dataset
      return data ? { shape: [data.test.channels, data.test.rows, data.test.cols], classes: data.classes } : null
    }
    const summary = usable.value.find((e) => e.id === modelId.value)?.summary
    return summary ? { shape: summary.imageShape, classes: summary.classes } : null
  })
  /** The engine has the chosen network open: the saved model, or no model (then it answers with the last run's). */
  const engineHasTarget = computed(() => (modelId.value === LIVE ? models.openModelId === null : !!modelId.value && models.openModelId === modelId.value))

  async function open(id: string): Promise<void> {
    problem.value = null
    if (!id || id === LIVE || models.openModelId === id) return
    opening.value = true
    try {
      await models.open(id)
    } catch (e) {
      problem.value = (e as Error).message
    } finally {
      opening.value = false
    }
  }
  // The engine opens a model only with data loaded (after a reload the data come a moment later).
  watch([modelId, () => engine.dataset], ([id, data]) => {
    if (data) void open(id)
  })
  // The short run has ended: use its network unless a model is chosen.
  watch(liveUsable, (ok) => {
    if (ok && !modelId.value) modelId.value = LIVE
  })

  function trainShort(): void {
    const preset = engine.presets.find((p) => p.id === shortRun.preset)
    if (!preset) return
    queue.add({ config: { ...preset.config, iterations: shortRun.iterations }, presetId: preset.id, custom: true })
  }

  function pickDefault(): void {
    if (modelId.value) return
    if (models.openModelId && usable.value.some((e) => e.id === models.openModelId)) modelId.value = models.openModelId
    else if (liveUsable.value) modelId.value = LIVE
    else if (usable.value.length > 0) modelId.value = usable.value[0].id
  }
  onMounted(pickDefault)
  // After a reload the library is read from storage after the view mounts.
  watch(usable, pickDefault)

  return { modelId, opening, problem, usable, liveUsable, hasSource, target, engineHasTarget, trainShort }
}
