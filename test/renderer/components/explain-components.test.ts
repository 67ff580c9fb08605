import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createAppI18n } from '@renderer/i18n'
import ImageStepper from '@renderer/components/explain/ImageStepper.vue'
import MethodPicker from '@renderer/components/explain/MethodPicker.vue'
import CompletenessCheck from '@renderer/components/explain/CompletenessCheck.vue'
import ExplanationMaps from '@renderer/components/explain/ExplanationMaps.vue'
import type { EngineEventOf } from '@engine/protocol'

const global = { plugins: [createAppI18n('en')] }

describe('the image stepper', () => {
  it('steps with the buttons and ← / →, within the split, and not while typing in the number field', async () => {
    const wrapper = mount(ImageStepper, { props: { split: 'test', index: 0, count: 3 }, global })
    expect(wrapper.find('[data-action="previous"]').attributes('disabled')).toBeDefined()
    await wrapper.find('[data-action="next"]').trigger('click')
    expect(wrapper.emitted('change')!.at(-1)).toEqual([{ split: 'test', index: 1 }])
    await wrapper.setProps({ index: 2 })
    expect(wrapper.find('[data-action="next"]').attributes('disabled')).toBeDefined()
    await wrapper.find('[data-action="previous"]').trigger('keydown', { key: 'ArrowRight' })
    // Already the last image: → stays there.
    expect(wrapper.emitted('change')!.at(-1)).toEqual([{ split: 'test', index: 2 }])
    await wrapper.find('[data-action="previous"]').trigger('keydown', { key: 'ArrowLeft' })
    expect(wrapper.emitted('change')!.at(-1)).toEqual([{ split: 'test', index: 1 }])
    const count = wrapper.emitted('change')!.length
    await wrapper.find('[data-testid="explain-index"]').trigger('keydown', { key: 'ArrowLeft' })
    expect(wrapper.emitted('change')!.length).toBe(count)
  })

  it('takes a typed index inside the split, ignores one outside, and starts a new split at 0', async () => {
    const wrapper = mount(ImageStepper, { props: { split: 'test', index: 4, count: 2000 }, global })
    const input = wrapper.find('[data-testid="explain-index"]')
    await input.setValue('1999')
    expect(wrapper.emitted('change')!.at(-1)).toEqual([{ split: 'test', index: 1999 }])
    const count = wrapper.emitted('change')!.length
    await input.setValue('2000')
    await input.setValue('-1')
    expect(wrapper.emitted('change')!.length).toBe(count)
    await wrapper.find('[data-testid="explain-split"]').setValue('train')
    expect(wrapper.emitted('change')!.at(-1)).toEqual([{ split: 'train', index: 0 }])
  })
})

describe('the method picker', () => {
  it('offers Grad-CAM and its layers only for a network with conv layers, and every class by name', async () => {
    const props = { method: 'gradcam' as const, classChoice: null, layer: null, classes: ['cat', 'dog'], convLayers: ['conv1', 'conv2'] }
    const wrapper = mount(MethodPicker, { props, global })
    const layer = wrapper.find('[data-testid="explain-layer"]')
    expect((layer.element as HTMLSelectElement).value).toBe('conv2')
    expect(wrapper.findAll('[data-testid="explain-class"] option').map((o) => o.text())).toEqual(['the predicted class', 'cat', 'dog'])
    await wrapper.find('[data-testid="explain-class"]').setValue('1')
    expect(wrapper.emitted('classChoice')!.at(-1)).toEqual([1])
    await wrapper.find('[data-testid="explain-class"]').setValue('')
    expect(wrapper.emitted('classChoice')!.at(-1)).toEqual([null])

    await wrapper.setProps({ method: 'saliency', convLayers: [] })
    expect(wrapper.find('[data-testid="explain-layer"]').exists()).toBe(false)
    expect(wrapper.find('option[value="gradcam"]').attributes('disabled')).toBeDefined()
    expect(wrapper.text()).toContain('Grad-CAM needs a conv layer')
  })
})

describe('the completeness check', () => {
  it('says the attributions add up within 1 %, or that the path needs more steps', () => {
    const ok = mount(CompletenessCheck, { props: { completeness: { attributionSum: 3.72, outputDifference: 3.7, relativeError: 0.0048 } }, global })
    expect(ok.text()).toContain('add up to 3.72; score(image) − score(black) = 3.7; gap 0.48 %')
    expect(ok.attributes('data-ok')).toBe('true')
    const off = mount(CompletenessCheck, { props: { completeness: { attributionSum: 2, outputDifference: 3, relativeError: 0.33 } }, global })
    expect(off.attributes('data-ok')).toBe('false')
    expect(off.text()).toContain('needs more steps')
  })
})

describe('the explanation maps', () => {
  const explanation = (method: string, map: number[]): EngineEventOf<'explanation'> => ({
    type: 'explanation',
    requestId: 'r1',
    method,
    predicted: 1,
    class: 1,
    scores: [0, 1],
    output: 'score',
    height: 2,
    width: 2,
    map,
    reduction: 'none',
    channels: 1,
    settings: {}
  })
  const image = { values: [0, 64, 128, 255], channels: 1, rows: 2, cols: 2 }
  const figures = (wrapper: ReturnType<typeof mount>) =>
    wrapper.findAll('.explanation-maps__figure').map((f) => [f.get('canvas').attributes('data-testid'), f.get('figcaption.small').text()])

  it('shows the image, the map (with its legend) and the overlay, in that order, or leaves out what it cannot or need not draw', () => {
    const all = mount(ExplanationMaps, { props: { image, explanation: explanation('gradcam', [0, 0.5, 1, 0.25]), className: 'seven' }, global })
    const { t } = createAppI18n('en').global
    expect(figures(all)).toEqual([
      ['explain-image', t('explain.image')],
      ['explain-map', t('explain.map')],
      ['explain-overlay', t('explain.overlay')]
    ])
    expect(all.findAll('.explanation-maps__figure')[1].find('[data-testid="map-legend"]').exists()).toBe(true)
    expect(all.get('[data-testid="explain-map"]').attributes('aria-label')).toContain('seven')
    const neighbour = mount(ExplanationMaps, {
      props: { image, explanation: explanation('gradcam', [0, 0.5, 1, 0.25]), className: 'seven', parts: 'map-overlay' },
      global
    })
    expect(figures(neighbour).map(([id]) => id)).toEqual(['explain-map', 'explain-overlay'])
    const noImage = mount(ExplanationMaps, { props: { image: null, explanation: explanation('gradcam', [0, 0, 0, 0]), className: 'seven' }, global })
    expect(figures(noImage).map(([id]) => id)).toEqual(['explain-map'])
    expect(noImage.find('[data-testid="explain-all-zero"]').exists()).toBe(true)
    expect(all.find('[data-testid="explain-all-zero"]').exists()).toBe(false)
  })
})
