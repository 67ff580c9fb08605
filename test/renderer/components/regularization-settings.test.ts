/**
 * The weight-decay part of the settings form: L2 and L1 share λ, none drops it (and disables its field),
 * and the freeze boxes set config.freeze.
 */
import { describe, expect, it } from 'vitest'
import RegularizationSettings from '@renderer/components/settings/RegularizationSettings.vue'
import { mountPart } from './settings-form-mount'

describe('the regularization settings', () => {
  it('L2 starts at λ 0.01, L1 keeps the λ typed, none drops it', async () => {
    const { wrapper, follow, input } = mountPart(RegularizationSettings)
    expect(input('regularization.lambda').disabled).toBe(true)
    await wrapper.get('[data-field="regularization.kind"] select').setValue('l2')
    expect((await follow()).regularization).toEqual({ kind: 'l2', lambda: 0.01 })
    expect(input('regularization.lambda').disabled).toBe(false)
    await wrapper.get('[data-field="regularization.lambda"] input').setValue('0.5')
    expect((await follow()).regularization).toEqual({ kind: 'l2', lambda: 0.5 })
    await wrapper.get('[data-field="regularization.kind"] select').setValue('l1')
    expect((await follow()).regularization).toEqual({ kind: 'l1', lambda: 0.5 })
    await wrapper.get('[data-field="regularization.kind"] select').setValue('none')
    expect((await follow()).regularization).toEqual({ kind: 'none' })
  })

  it('freezes the normalization and output layers on their own', async () => {
    const { wrapper, follow } = mountPart(RegularizationSettings)
    await wrapper.get('[data-field-input="freeze.outputLayer"]').setValue(true)
    expect((await follow()).freeze).toEqual({ normalization: false, outputLayer: true })
    await wrapper.get('[data-field-input="freeze.normalization"]').setValue(true)
    expect((await follow()).freeze).toEqual({ normalization: true, outputLayer: true })
    await wrapper.get('[data-field-input="freeze.outputLayer"]').setValue(false)
    expect((await follow()).freeze).toEqual({ normalization: true, outputLayer: false })
  })
})
