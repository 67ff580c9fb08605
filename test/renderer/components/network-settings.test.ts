/**
 * The network part of the settings form: a dense network's fields (σ only for Gaussian weights, the
 * dropout mode only with a dropout ratio), a layer list shown in order, and the text ⇄ config helpers
 * every part types through (lib/settings/config-texts.ts).
 */
import { describe, expect, it } from 'vitest'
import type { RunConfig } from '@engine/config/run-config'
import { findPreset } from '@engine/presets'
import NetworkSettings from '@renderer/components/settings/NetworkSettings.vue'
import { formatText, getPath, parseText, setPath } from '@renderer/lib/settings/config-texts'
import { base, mountPart } from './settings-form-mount'

describe('the network settings', () => {
  it('types hidden sizes, and enables σ and the dropout mode only where they count', async () => {
    const { wrapper, follow, input } = mountPart(NetworkSettings)
    expect(input('network.hidden').value).toBe('40, 20')
    await wrapper.get('[data-field="network.hidden"] input').setValue('１００、５０')
    expect((await follow()).network).toMatchObject({ hidden: [100, 50] })
    expect(input('network.initStd').disabled).toBe(true)
    await wrapper.get('[data-field="network.init"] select').setValue('gauss')
    expect((await follow()).network).toMatchObject({ init: 'gauss' })
    expect(input('network.initStd').disabled).toBe(false)
    const mode = () => wrapper.get('[data-field="network.dropout.mode"] select').element as HTMLSelectElement
    expect(mode().disabled).toBe(true)
    await wrapper.get('[data-field="network.dropout.ratio"] input').setValue('0.3')
    expect((await follow()).network).toMatchObject({ dropout: { ratio: 0.3 } })
    expect(mode().disabled).toBe(false)
    await wrapper.get('[data-field="network.dropout.mode"] select').setValue('course')
    expect((await follow()).network).toMatchObject({ dropout: { ratio: 0.3, mode: 'course' } })
  })

  it('shows a layer list in order instead of the dense fields', () => {
    const { wrapper } = mountPart(NetworkSettings, findPreset('cnn-simple').config as RunConfig)
    expect(wrapper.find('[data-field="network.hidden"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="layer-list"]').text()).toBe('conv 30×5×5 → relu → maxpool → affine 100 → relu → affine 10')
  })
})

describe('typed settings as config values', () => {
  it('reads and writes a path without touching the original', () => {
    const next = setPath(base, 'network.dropout.ratio', 0.5)
    expect(getPath(next, 'network.dropout.ratio')).toBe(0.5)
    expect(getPath(base, 'network.dropout.ratio')).toBe(0)
    expect(next.optimizer).toBe(base.optimizer)
    expect('trainLimit' in setPath({ ...base, trainLimit: 5 }, 'trainLimit', undefined)).toBe(false)
  })

  it('parses and formats by kind', () => {
    expect(parseText('sizes', '10 20')).toEqual([10, 20])
    expect(parseText('optional', '')).toBeUndefined()
    expect(parseText('number', '')).toBeNaN()
    expect(formatText('sizes', [10, 20])).toBe('10, 20')
    expect(formatText('number', Number.NaN)).toBe('')
  })
})
