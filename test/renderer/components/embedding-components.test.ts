import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createAppI18n } from '@renderer/i18n'
import EmbeddingScatter from '@renderer/components/embedding/EmbeddingScatter.vue'
import SelectionList from '@renderer/components/embedding/SelectionList.vue'
import EmbeddingSettings from '@renderer/components/settings/EmbeddingSettings.vue'
import { pointsInBox, type Box } from '@renderer/lib/embedding/geometry'
import type { RunConfig } from '@engine/config/run-config'
import { preset } from '../fixtures'

const global = { plugins: [createAppI18n('en')] }
const bounds = { xMin: 0, xMax: 10, yMin: 0, yMax: 10 }
const points = [
  [5, 5],
  [1, 1],
  [9, 9],
  [5.5, 4.5]
] as const

describe('the scatter by keyboard', () => {
  it('brings up a box with an arrow, moves it, resizes it with Shift, and clears it with Escape', async () => {
    const wrapper = mount(EmbeddingScatter, { props: { points, labels: [0, 1, 2, 0], bounds, box: null, hovered: -1, label: 'scatter' }, global })
    const canvas = wrapper.find('[data-testid="embedding-scatter"]')
    expect(canvas.attributes('tabindex')).toBe('0')
    expect(canvas.attributes('aria-describedby')).toBeTruthy()
    await canvas.trigger('keydown', { key: 'ArrowRight' })
    const first = wrapper.emitted('box')!.at(-1)![0] as Box
    // The keyboard's first box is centred: it holds the middle points only.
    expect(pointsInBox(points, first)).toEqual([0, 3])
    await wrapper.setProps({ box: first })
    await canvas.trigger('keydown', { key: 'ArrowRight' })
    const moved = wrapper.emitted('box')!.at(-1)![0] as Box
    expect(moved.x0).toBeCloseTo(first.x0 + 1, 12)
    await canvas.trigger('keydown', { key: 'ArrowUp', shiftKey: true })
    const grown = wrapper.emitted('box')!.at(-1)![0] as Box
    expect(grown.y1 - grown.y0).toBeCloseTo(first.y1 - first.y0 + 1, 12)
    await canvas.trigger('keydown', { key: 'Escape' })
    expect(wrapper.emitted('box')!.at(-1)).toEqual([null])
  })
})

describe('the selection list', () => {
  it('lists the images with their true class and answer, marks wrong answers, and opens one on click', async () => {
    const wrapper = mount(SelectionList, {
      props: { indices: [4, 9], labels: [1, 2], predicted: [1, 0], classes: ['zero', 'one', 'two'], image: () => null },
      global
    })
    expect(wrapper.find('h3').text()).toBe('2 images in the box')
    expect(wrapper.text()).toContain('1 answered wrong')
    const items = wrapper.findAll('button[data-index]')
    expect(items.map((b) => b.attributes('data-index'))).toEqual(['4', '9'])
    expect(items[1].text()).toContain('true: two')
    expect(items[1].find('.point-image__wrong').text()).toBe('answer: zero')
    expect(items[0].find('.point-image__wrong').exists()).toBe(false)
    await items[1].trigger('click')
    expect(wrapper.emitted('open')).toEqual([[9]])
  })
})

describe('the run settings’ embedding fields', () => {
  const config = preset('cnn-simple', 'convolution').config as RunConfig

  it('turns recording on with PCA of 500 images, edits it, and off again without a trace', async () => {
    const wrapper = mount(EmbeddingSettings, { props: { config }, global })
    expect(wrapper.find('[data-field-input="embedding.method"]').exists()).toBe(false)
    await wrapper.find('[data-field-input="embedding"]').setValue(true)
    const on = wrapper.emitted('update:config')!.at(-1)![0] as RunConfig
    expect(on.embedding).toEqual({ n: 500, method: 'pca' })
    await wrapper.setProps({ config: on })
    await wrapper.find('[data-field-input="embedding.method"]').setValue('umap')
    expect((wrapper.emitted('update:config')!.at(-1)![0] as RunConfig).embedding).toEqual({ n: 500, method: 'umap' })
    await wrapper.find('[data-field-input="embedding.layer"]').setValue('conv1')
    expect((wrapper.emitted('update:config')!.at(-1)![0] as RunConfig).embedding).toEqual({ n: 500, method: 'pca', layer: 'conv1' })
    await wrapper.find('[data-field-input="embedding"]').setValue(false)
    const off = wrapper.emitted('update:config')!.at(-1)![0] as RunConfig
    expect('embedding' in off).toBe(false)
    expect(off).toEqual(config)
  })
})
