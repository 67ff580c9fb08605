/**
 * The training part of the settings form: counts typed with full-width digits, an empty limit removes the
 * setting (all images), precision and train-accuracy choices, in both languages.
 */
import { describe, expect, it } from 'vitest'
import TrainingSettings from '@renderer/components/settings/TrainingSettings.vue'
import { base, mountPart } from './settings-form-mount'

describe('the training settings', () => {
  it('reads counts, and an empty limit means every image', async () => {
    const { wrapper, follow, input } = mountPart(TrainingSettings)
    expect(input('trainLimit').value).toBe('')
    expect(input('trainLimit').placeholder).toBe('all')
    await wrapper.get('[data-testid="seed"]').setValue('１２')
    expect((await follow()).seed).toBe(12)
    expect(input('seed').value).toBe('１２')
    await wrapper.get('[data-field="trainLimit"] input').setValue('300')
    expect((await follow()).trainLimit).toBe(300)
    await wrapper.get('[data-field="trainLimit"] input').setValue(' ')
    expect('trainLimit' in (await follow())).toBe(false)
    await wrapper.get('[data-field="batchSize"] input').setValue('')
    expect((await follow()).batchSize).toBeNaN()
  })

  it('chooses the precision and how training accuracy is measured', async () => {
    const { wrapper, follow } = mountPart(TrainingSettings, base, {}, 'ja')
    const precision = wrapper.get('[data-testid="precision"]')
    expect(precision.findAll('option').map((o) => o.attributes('value'))).toEqual(['float32', 'float64'])
    await precision.setValue('float64')
    expect((await follow()).precision).toBe('float64')
    await wrapper.get('[data-field="trainAccuracy"] select').setValue('train-set')
    expect((await follow()).trainAccuracy).toBe('train-set')
    expect(wrapper.text()).toContain('バッチサイズ')
  })
})
