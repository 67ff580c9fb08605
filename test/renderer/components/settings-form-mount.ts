import { mount } from '@vue/test-utils'
import type { Component } from 'vue'
import type { RunConfig } from '@engine/config/run-config'
import RunSettingsForm from '@renderer/components/settings/RunSettingsForm.vue'
import { createAppI18n } from '@renderer/i18n'
import { checkDraft } from '@renderer/lib/config-draft'
import { DATASET, preset } from '../fixtures'

export const base = preset('vg-relu-he', 'vanishing-gradient').config

/** The settings form on `config` with its problems; `follow` feeds each emitted config back, with its problems, as the parent does. */
export function mountForm(config: RunConfig = base, locale: 'en' | 'ja' = 'en') {
  const wrapper = mount(RunSettingsForm, { props: { config, problems: checkDraft(config, DATASET).problems }, global: { plugins: [createAppI18n(locale)] } })
  const follow = async () => {
    const next = wrapper.emitted('update:config')!.at(-1)![0] as RunConfig
    await wrapper.setProps({ config: next, problems: checkDraft(next, DATASET).problems })
    return next
  }
  return { wrapper, follow }
}

/**
 * One part of the form (NetworkSettings, OptimizerSettings, …) on its own, as the form mounts it: `errors`
 * stands for the form's messages by field; `follow` feeds the last emitted config back.
 */
export function mountPart(part: Component, config: RunConfig = base, errors: Record<string, string[]> = {}, locale: 'en' | 'ja' = 'en') {
  const errorsOf = (field: string) => errors[field] ?? []
  const wrapper = mount(part, { props: { config, errorsOf, problems: [] }, global: { plugins: [createAppI18n(locale)] } })
  const emitted = () => wrapper.emitted('update:config')!.at(-1)![0] as RunConfig
  const follow = async () => {
    const next = emitted()
    await wrapper.setProps({ config: next })
    return next
  }
  const input = (field: string) => wrapper.get(`[data-field="${field}"] input`).element as HTMLInputElement
  return { wrapper, follow, emitted, input }
}
