import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import FilterTile from '@renderer/components/conv/FilterTile.vue'
import UnitImages from '@renderer/components/visual/UnitImages.vue'
import InputImage from '@renderer/components/conv/InputImage.vue'
import HeatmapCanvas from '@renderer/components/conv/HeatmapCanvas.vue'
import PlaneImageCanvas from '@renderer/components/conv/PlaneImageCanvas.vue'

/* FilterTile and InputImage (the colour-or-grey choice of canvas, made once). FilterTile: one filter on its layer's scale, serving #/convolution's filters, the filters over time and #/weights' unit images. */

describe('filter tile', () => {
  it('draws an RGB filter as a colour picture and a one-channel filter on the blue/red scale, passing its test id through', () => {
    const colour = mount(FilterTile, {
      props: { values: new Array(12).fill(0.1), colour: true, rows: 2, cols: 2, cell: 4, maxAbs: 1, label: 'f0' },
      attrs: { 'data-testid': 'filter-tile' }
    })
    const canvas = colour.get('canvas')
    expect(canvas.classes()).toContain('plane-image')
    expect(canvas.attributes()).toMatchObject({ 'data-channels': '3', 'data-rows': '2', 'data-cols': '2', 'aria-label': 'f0', 'data-testid': 'filter-tile' })
    const grey = mount(FilterTile, { props: { values: [0.1, -0.2, 0.3, 0], colour: false, rows: 2, cols: 2, cell: 4, maxAbs: 1, label: 'f1' } })
    expect(grey.get('canvas').classes()).toContain('heatmap')
    expect(grey.get('canvas').attributes('data-channels')).toBeUndefined()
  })
})

describe('unit images', () => {
  it('draws one tile per shown unit, colour pictures for [3, H, W] units and heatmaps otherwise', () => {
    const label = (u: number) => `unit ${u}`
    const grey = mount(UnitImages, { props: { rows: 2, cols: 2, shown: 3, values: Array.from({ length: 16 }, (_, i) => i / 16 - 0.5), label } })
    expect(grey.findAll('canvas.heatmap').map((c) => c.attributes('aria-label'))).toEqual(['unit 0', 'unit 1', 'unit 2'])
    const colour = mount(UnitImages, { props: { channels: 3, rows: 2, cols: 2, shown: 2, values: Array.from({ length: 24 }, (_, i) => i / 24 - 0.5), label } })
    expect(colour.findAll('canvas.plane-image')).toHaveLength(2)
    expect(colour.findAll('canvas.heatmap')).toHaveLength(0)
    expect(colour.get('.unit-images').attributes('data-channels')).toBe('3')
  })
})

describe('input image', () => {
  it('draws three channels as a colour picture and one as grey, with the window outlined either way', () => {
    const box = { top: 0, left: 0, height: 1, width: 1 }
    const colour = mount(InputImage, { props: { values: new Array(12).fill(0.5), channels: 3, rows: 2, cols: 2, cell: 3, highlight: box, label: 'input' } })
    expect(colour.get('canvas').classes()).toContain('plane-image')
    expect(colour.findComponent(PlaneImageCanvas).props()).toMatchObject({ channels: 3, scale: 'unit', highlight: box, cell: 3 })
    const grey = mount(InputImage, { props: { values: [0, 1, 2, 3], channels: 1, rows: 2, cols: 2, cell: 3, label: 'input' } })
    expect(grey.get('canvas').classes()).toContain('heatmap')
    expect(grey.findComponent(HeatmapCanvas).props()).toMatchObject({ scale: 'gray', highlight: null, cell: 3 })
  })
})
