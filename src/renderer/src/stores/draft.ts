import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { RunConfig } from '@engine/config/run-config'
import { checkDraft, cloneConfig, sameExceptSeed, type DraftCheck } from '@renderer/lib/config-draft'
import { useEngineStore } from './engine'
import { useCurrentRunStore, type RunRequest } from './current-run'

/**
 * The settings the next run will use: a preset's, as chosen in the gallery, possibly edited. Editing any
 * setting but the seed makes it a custom run (labelled with the preset it came from); reset brings back
 * the preset's own settings. Kept in a store so the edits survive a visit to another view.
 */
export const useDraftStore = defineStore('draft', () => {
  const engine = useEngineStore()
  const run = useCurrentRunStore()
  const selectedId = ref<string | null>(null)
  /** Replaced whole on every edit (never mutated), so it can be sent and compared as it is. */
  const draft = shallowRef<RunConfig | null>(null)

  const preset = computed(() => engine.presets.find((p) => p.id === selectedId.value) ?? null)
  const custom = computed(() => !!preset.value && !!draft.value && !sameExceptSeed(draft.value, preset.value.config))
  const check = computed<DraftCheck | null>(() => (draft.value ? checkDraft(draft.value, engine.dataset) : null))
  const valid = computed(() => check.value?.ok === true)

  function select(id: string): void {
    const next = engine.presets.find((p) => p.id === id)
    if (!next) return
    selectedId.value = id
    draft.value = cloneConfig(next.config)
  }

  function update(config: RunConfig): void {
    draft.value = config
  }

  function reset(): void {
    if (preset.value) draft.value = cloneConfig(preset.value.config)
  }

  /** The run Start or Add to queue would ask for, or null while the settings are invalid. */
  function request(): RunRequest | null {
    const c = check.value
    if (!c?.ok) return null
    return { config: c.config, presetId: selectedId.value, custom: custom.value }
  }

  // Select a preset once they arrive: the one a run in progress came from, or the first. After an engine
  // restart the same presets come again and the edits are kept.
  watch(
    () => engine.presets,
    (presets) => {
      if (preset.value && draft.value) return
      const following = run.isActive && run.presetId ? presets.find((p) => p.id === run.presetId) : undefined
      const first = following ?? presets[0]
      if (first) select(first.id)
    },
    { immediate: true }
  )

  return { selectedId, draft, preset, custom, check, valid, select, update, reset, request }
})
