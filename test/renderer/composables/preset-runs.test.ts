import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { usePresetRuns } from '@renderer/composables/preset-runs'
import { createAppI18n } from '@renderer/i18n'
import QueueMissingButton from '@renderer/components/visual/QueueMissingButton.vue'
import { DATASET } from '../fixtures'
import { readyStores } from '../stores/ready-stores'

/* usePresetRuns: which of a lesson's presets have a completed run, which are on their way, and the button that queues the rest. */

describe('preset runs', () => {
  it('marks a preset missing, then queued while it trains, then done once its run completes', () => {
    const s = readyStores()
    const { stateOf, toQueue } = usePresetRuns(['vg-relu-he', 'of-none'])
    expect([stateOf('vg-relu-he'), stateOf('of-none')]).toEqual(['missing', 'missing'])
    expect(s.run.startConfig({ config: s.p.config, presetId: s.p.id, custom: false })).toBe(true)
    const runId = s.run.runId!
    s.send({ type: 'runStarted', runId, presetId: s.p.id, config: s.p.config, dataset: DATASET.name })
    expect(stateOf('vg-relu-he')).toBe('queued')
    expect(toQueue.value).toEqual(['of-none'])
    s.send({ type: 'runFinished', runId, status: 'completed', iter: 10, elapsedMs: 5, last: null })
    expect([stateOf('vg-relu-he'), stateOf('of-none')]).toEqual(['done', 'missing'])
  })
})

describe('queue-missing button', () => {
  it('counts the presets it would queue in either language, and is held when there are none', async () => {
    const mountButton = (count: number, locale: 'en' | 'ja') => mount(QueueMissingButton, { props: { count }, global: { plugins: [createAppI18n(locale)] } })
    const two = mountButton(2, 'en')
    expect(two.text()).toBe(createAppI18n('en').global.t('visualRuns.queueMissing', { n: 2 }))
    expect(two.attributes('disabled')).toBeUndefined()
    await two.trigger('click')
    expect(two.emitted('queue')).toHaveLength(1)
    const none = mountButton(0, 'ja')
    expect(none.text()).toBe(createAppI18n('ja').global.t('visualRuns.queueMissing', { n: 0 }))
    expect(none.attributes('disabled')).toBeDefined()
  })
})
