/**
 * The optimizer part of the settings form: a new kind brings its constants with the learning rate kept,
 * AdaGrad's h₀ only counts in the course variant, and typed text stays as typed while it means the value.
 */
import { describe, expect, it } from 'vitest'
import OptimizerSettings from '@renderer/components/settings/OptimizerSettings.vue'
import { base, mountPart } from './settings-form-mount'

describe('the optimizer settings', () => {
  it('keeps what was typed while it means the same value, and switches constants with the kind', async () => {
    const { wrapper, follow, input } = mountPart(OptimizerSettings)
    await wrapper.get('[data-field="optimizer.lr"] input').setValue('0.10')
    expect((await follow()).optimizer.lr).toBe(0.1)
    expect(input('optimizer.lr').value).toBe('0.10')
    await wrapper.get('[data-field="optimizer.kind"] select').setValue('rmsprop')
    expect((await follow()).optimizer).toEqual({ kind: 'rmsprop', lr: 0.1, decay: 0.99 })
    expect(input('optimizer.decay').value).toBe('0.99')
    // Adam's constants replace RMSprop's; no stale decay is carried.
    await wrapper.get('[data-field="optimizer.kind"] select').setValue('adam')
    expect((await follow()).optimizer).toEqual({ kind: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999 })
    expect(wrapper.find('[data-field="optimizer.decay"]').exists()).toBe(false)
    expect(wrapper.findAll('[data-field^="optimizer."] input').map((i) => i.element.closest('[data-field]')!.getAttribute('data-field'))).toEqual([
      'optimizer.lr',
      'optimizer.beta1',
      'optimizer.beta2'
    ])
  })

  it("shows AdaGrad's variant, and h₀ only where the course variant uses it", async () => {
    const { wrapper, follow, input } = mountPart(OptimizerSettings)
    expect(wrapper.find('[data-field="optimizer.variant"]').exists()).toBe(false)
    await wrapper.get('[data-field="optimizer.kind"] select').setValue('adagrad')
    const adagrad = await follow()
    expect(adagrad.optimizer.kind).toBe('adagrad')
    expect(input('optimizer.initialH').disabled).toBe((adagrad.optimizer as { variant: string }).variant !== 'course')
    await wrapper.get('[data-field="optimizer.variant"] select').setValue('course')
    expect((await follow()).optimizer).toMatchObject({ kind: 'adagrad', variant: 'course' })
    expect(input('optimizer.initialH').disabled).toBe(false)
    await wrapper.get('[data-field="optimizer.initialH"] input').setValue('1e-')
    expect((await follow()).optimizer).toMatchObject({ initialH: Number.NaN })
  })

  it('shows the messages it is given under their field', () => {
    const { wrapper } = mountPart(OptimizerSettings, base, { 'optimizer.lr': ['Must be greater than 0.'] })
    expect(wrapper.get('[data-field="optimizer.lr"] [data-testid="field-error"]').text()).toBe('Must be greater than 0.')
    expect(wrapper.get('[data-field="optimizer.lr"] input').attributes('aria-invalid')).toBe('true')
  })
})
