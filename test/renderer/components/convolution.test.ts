import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { PROTOCOL_VERSION } from '@engine/protocol'
import { createAppI18n } from '@renderer/i18n'
import {
  DEMO_SHAPE,
  DEMO_VALUES,
  columnLabel,
  columnMatrix,
  coverageCounts,
  divergingColor,
  extent,
  flatten,
  geometryOf,
  grayColor,
  inWindow,
  moveRow,
  paddedPlane,
  parseValues,
  randomValues,
  rowWindow,
  shapeProblems,
  windowProblems
} from '@renderer/lib/conv-explorer'
import { shortConvRequest } from '@renderer/lib/conv-run'
import Im2colExplorer from '@renderer/components/conv/Im2colExplorer.vue'
import ConvolutionView from '@renderer/views/ConvolutionView.vue'
import { useConvStore } from '@renderer/stores/conv'
import { useEngineStore } from '@renderer/stores/engine'
import { useCurrentRunStore } from '@renderer/stores/current-run'
import { DATASET, fakeConnection, preset } from '../fixtures'

const demo = geometryOf(DEMO_SHAPE, { filter: 3, stride: 1, pad: 0 })

describe('im2col explorer helpers', () => {
  it('gives the course demo a (4, 9) matrix whose first row is the top-left window', () => {
    const m = columnMatrix(DEMO_VALUES, demo)
    expect([m.rows, m.cols]).toEqual([4, 9])
    expect(Array.from(m.values.slice(0, 9))).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11])
    expect(Array.from(m.values.slice(27, 36))).toEqual([6, 7, 8, 10, 11, 12, 14, 15, 16])
  })

  it('gives two images (8, 9) and two channels 18 columns ordered channel, row, column', () => {
    const two = geometryOf({ n: 2, c: 1, h: 4, w: 4 }, { filter: 3, stride: 1, pad: 0 })
    expect(columnMatrix([...DEMO_VALUES, ...DEMO_VALUES], two).rows).toBe(8)
    const ch2 = geometryOf({ n: 1, c: 2, h: 4, w: 4 }, { filter: 3, stride: 1, pad: 0 })
    expect(columnMatrix([...DEMO_VALUES, ...DEMO_VALUES], ch2).cols).toBe(18)
    expect(columnLabel(10, ch2)).toEqual({ c: 1, ky: 0, kx: 1 })
  })

  it('maps a row to its window, with padding and stride', () => {
    const g = geometryOf({ n: 2, c: 1, h: 4, w: 4 }, { filter: 3, stride: 2, pad: 1 })
    expect([g.oh, g.ow]).toEqual([2, 2])
    expect(rowWindow(5, g)).toEqual({ img: 1, oy: 0, ox: 1, top: 0, left: 2 })
    let inside = 0
    for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) if (inWindow(5, g, 1, y, x)) inside++
    expect(inside).toBe(9)
    expect(inWindow(5, g, 0, 0, 2)).toBe(false)
  })

  it('pads with zeros around the plane', () => {
    const g = geometryOf(DEMO_SHAPE, { filter: 3, stride: 1, pad: 1 })
    const p = paddedPlane(DEMO_VALUES, g, 0, 0)
    expect(p.length).toBe(36)
    expect(p.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0])
    expect(p.slice(6, 12)).toEqual([0, 1, 2, 3, 4, 0])
  })

  it('counts the windows covering each pixel (col2im of ones)', () => {
    expect(coverageCounts(demo)).toEqual([1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1])
  })

  it('says when the filter is larger than the padded input, and checks ranges', () => {
    expect(windowProblems(DEMO_SHAPE, { filter: 5, stride: 1, pad: 0 }).filter?.key).toBe('convolution.problem.tooLarge')
    expect(windowProblems(DEMO_SHAPE, { filter: 5, stride: 1, pad: 1 })).toEqual({})
    expect(windowProblems(DEMO_SHAPE, { filter: 3, stride: 0, pad: -1 })).toHaveProperty('stride')
    expect(windowProblems(DEMO_SHAPE, { filter: 3, stride: 0, pad: -1 })).toHaveProperty('pad')
    expect(shapeProblems({ n: 0, c: 1, h: 4.5, w: 4 })).toHaveProperty('n')
    expect(shapeProblems({ n: 0, c: 1, h: 4.5, w: 4 })).toHaveProperty('h')
  })

  it('parses values and rejects what is not a number', () => {
    expect(parseValues('1 2,3\n4')).toEqual([1, 2, 3, 4])
    expect(parseValues('1 x')).toBeNull()
    expect(randomValues(5, () => 0.99)).toEqual([9, 9, 9, 9, 9])
  })

  it('moves the selected row with keys, within the matrix', () => {
    expect(moveRow(0, 'ArrowDown', 4)).toBe(1)
    expect(moveRow(0, 'ArrowUp', 4)).toBe(0)
    expect(moveRow(1, 'End', 4)).toBe(3)
    expect(moveRow(1, 'PageDown', 4)).toBe(3)
    expect(moveRow(1, 'a', 4)).toBeNull()
  })

  it('scales colours: grey by extent, diverging by sign', () => {
    expect(grayColor(0, 0, 10)).toEqual([0, 0, 0])
    expect(grayColor(10, 0, 10)).toEqual([255, 255, 255])
    expect(grayColor(3, 3, 3)).toEqual([128, 128, 128])
    expect(divergingColor(0, 1)).toEqual([255, 255, 255])
    expect(divergingColor(1, 1)).toEqual([255, 0, 0])
    expect(divergingColor(-2, 1)).toEqual([0, 0, 255])
    expect(extent([-3, 1, 2])).toEqual({ min: -3, max: 2, maxAbs: 3 })
    expect(flatten([[[1, 2]], [[3]]])).toEqual([1, 2, 3])
  })
})

describe('Convolution view', () => {
  let pinia: Pinia
  beforeEach(() => {
    pinia = createPinia()
    setActivePinia(pinia)
  })

  it('shows the demo matrix and highlights the hovered row’s 9 cells', async () => {
    const wrapper = mount(Im2colExplorer, { global: { plugins: [pinia, createAppI18n('en')] } })
    expect(wrapper.get('[data-testid="matrix-shape"]').text()).toBe('(4, 9)')
    expect(wrapper.findAll('[data-testid="matrix-row"]')).toHaveLength(4)
    await wrapper.findAll('[data-testid="matrix-row"]')[3].trigger('mouseenter')
    const hot = wrapper.findAll('[data-testid="input-cell"][data-highlight="true"]').map((c) => c.text())
    expect(hot).toEqual(['6', '7', '8', '10', '11', '12', '14', '15', '16'])
    await wrapper.get('[data-testid="col-matrix"]').trigger('keydown', { key: 'ArrowUp' })
    expect(wrapper.get('[data-testid="selected-row"]').text()).toContain('Row 2')
    await wrapper.get('[data-field="filter"] input').setValue('5')
    expect(wrapper.get('[data-field="filter"] [data-testid="field-error"]').text()).toContain('larger than the padded input (4×4)')
    expect(wrapper.find('[data-testid="col-matrix"]').exists()).toBe(false)
  })

  it('offers a short cnn-simple run without a conv run, then asks the engine for the layer', async () => {
    const fake = fakeConnection()
    useCurrentRunStore(pinia).attach(fake.connection)
    useConvStore(pinia).attach(fake.connection)
    useEngineStore(pinia).attach(fake.connection)
    const cnn = preset('cnn-simple', 'convolution')
    fake.send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets: [cnn], dataset: DATASET, activeRunId: null })
    const wrapper = mount(ConvolutionView, { global: { plugins: [pinia, createAppI18n('ja')] } })
    await nextTick()
    expect(wrapper.get('[data-testid="conv-no-run"]').text()).toContain('cnn-simple')
    const request = shortConvRequest(cnn)
    expect(request.config.iterations).toBe(100)
    expect(request.custom).toBe(true)

    fake.send({
      type: 'runStarted',
      runId: 'r1',
      config: cnn.config,
      dataset: 'bundled',
      layers: [
        { name: 'conv1', kind: 'conv2d', outputShape: [2, 3, 3], params: 20 },
        { name: 'relu1', kind: 'relu', outputShape: [2, 3, 3], params: 0 }
      ]
    })
    await nextTick()
    await nextTick()
    const asked = fake.port.sent.map((s) => (s.message as { type: string }).type)
    expect(asked).toEqual(expect.arrayContaining(['getFilters', 'getFeatureMaps', 'getIm2col']))
    const filtersRequest = fake.port.sent.find((s) => (s.message as { type: string }).type === 'getFilters')!.message as { requestId: string }
    fake.send({
      type: 'filters',
      requestId: filtersRequest.requestId,
      runId: 'r1',
      layer: 'conv1',
      shape: [2, 1, 2, 2],
      weights: [
        [
          [
            [1, -1],
            [0, 0.5]
          ]
        ],
        [
          [
            [0, 0],
            [1, 1]
          ]
        ]
      ],
      bias: [0, 0]
    })
    await nextTick()
    expect(wrapper.get('[data-testid="conv-filters"]').attributes('data-count')).toBe('2')
    expect(wrapper.findAll('[data-testid="filter-tile"]')).toHaveLength(2)
  })
})
