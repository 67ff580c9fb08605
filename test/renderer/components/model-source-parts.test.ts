import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createAppI18n } from '@renderer/i18n'
import { LIVE } from '@renderer/composables/model-source'
import type { ModelEntry } from '@renderer/stores/models'
import ModelPicker from '@renderer/components/models/ModelPicker.vue'
import ShortRunOffer from '@renderer/components/runs/ShortRunOffer.vue'
import { readyStores } from '../stores/ready-stores'

/* What #/draw, #/explain and #/embedding share about their network: the picker, and the short run offered without one. */

const i18n = (locale: 'en' | 'ja' = 'en') => ({ plugins: [createAppI18n(locale)] })
const entry = (id: string, name: string) => ({ id, name }) as ModelEntry

describe('model picker', () => {
  it('lists the saved models, offers this session network only when it can answer (or is chosen), and sets the choice', async () => {
    const props = { usable: [entry('m1', 'first'), entry('m2', 'second')], liveUsable: false, opening: false, testid: 'draw-model', modelValue: 'm1' }
    const wrapper = mount(ModelPicker, { props, global: i18n() })
    const select = wrapper.get('select[data-testid="draw-model"]')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['first', 'second'])
    await select.setValue('m2')
    expect(wrapper.emitted('update:modelValue')).toEqual([['m2']])
    await wrapper.setProps({ liveUsable: true, opening: true })
    const { t } = createAppI18n('en').global
    expect(wrapper.findAll('option').map((o) => o.attributes('value'))).toEqual([LIVE, 'm1', 'm2'])
    expect(wrapper.get('option').text()).toBe(t('draw.live'))
    expect(wrapper.get('span').text()).toBe(t('draw.opening'))
    const chosen = mount(ModelPicker, { props: { ...props, modelValue: LIVE }, global: i18n('ja') })
    expect(chosen.get('option').text()).toBe(createAppI18n('ja').global.t('draw.live'))
    expect(chosen.find('span').exists()).toBe(false)
  })
})

describe('short run offer', () => {
  it('asks for the short run when the engine has data, and is held with a note while a run trains', async () => {
    const s = readyStores()
    const wrapper = mount(ShortRunOffer, { props: { text: 'Train a short run', testid: 'draw-train' }, global: i18n() })
    const button = wrapper.get('button[data-testid="draw-train"]')
    expect(button.text()).toBe('Train a short run')
    expect(button.attributes('disabled')).toBeUndefined()
    await button.trigger('click')
    expect(wrapper.emitted('train')).toHaveLength(1)
    expect(wrapper.find('[role="status"]').exists()).toBe(false)
    expect(s.run.startConfig({ config: s.p.config, presetId: s.p.id, custom: false })).toBe(true)
    s.send({ type: 'runStarted', runId: s.run.runId!, presetId: s.p.id, config: s.p.config, dataset: s.engine.dataset!.name })
    await wrapper.vm.$nextTick()
    expect(button.attributes('disabled')).toBeDefined()
    expect(wrapper.get('[role="status"]').text()).toBe(createAppI18n('en').global.t('draw.training'))
  })
})
