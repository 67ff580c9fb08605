import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { PROTOCOL_VERSION, type DatasetEntry, type DatasetInfo } from '@engine/protocol'
import { defineRunConfig } from '@engine/config/run-config'
import TrainView from '@renderer/views/TrainView.vue'
import { createAppI18n } from '@renderer/i18n'
import { useEngineStore } from '@renderer/stores/engine'
import { useCurrentRunStore } from '@renderer/stores/current-run'
import { useDraftStore } from '@renderer/stores/draft'
import { DATASET, fakeConnection, preset } from '../fixtures'

vi.mock('vue-chartjs', () => ({ Line: defineComponent({ setup: () => () => h('canvas') }) }))

/* #/train on an imported set: the select of the library's sets, the layer plan for its shape, augmentation. */

const COLOURS: DatasetInfo = {
  name: 'Colours',
  classes: ['blue', 'green', 'red'],
  train: { count: 51, channels: 3, rows: 12, cols: 12 },
  test: { count: 9, channels: 3, rows: 12, cols: 12 },
  trainClassCounts: [17, 17, 17],
  bytes: 60 * 432
}

const entry = (info: DatasetInfo, stored: boolean): DatasetEntry => ({
  name: info.name,
  source: stored ? 'folders' : 'bundled',
  stored,
  train: info.train.count,
  test: info.test.count,
  channels: info.train.channels,
  height: info.train.rows,
  width: info.train.cols,
  classes: info.classes,
  fingerprint: '0123456789abcdef',
  createdAt: null,
  skipped: []
})

const convNet = preset('cnn-tiny', 'convolution', {
  config: defineRunConfig({
    network: {
      kind: 'layers',
      init: 'he',
      initStd: 0.01,
      layers: [{ kind: 'conv2d', filters: 4, size: 5, stride: 1, pad: 0 }, { kind: 'relu' }, { kind: 'flatten' }, { kind: 'affine', units: 10 }]
    },
    optimizer: { kind: 'sgd', lr: 0.1 },
    batchSize: 10,
    iterations: 20,
    evalInterval: 10,
    seed: 1,
    trainAccuracy: 'batch-after-update'
  })
})

let pinia: Pinia
const flush = async () => {
  for (let i = 0; i < 5; i++) await nextTick()
}

async function mountOn(dataset: DatasetInfo) {
  const fake = fakeConnection()
  useCurrentRunStore(pinia).attach(fake.connection)
  useEngineStore(pinia).attach(fake.connection)
  const wrapper = mount(TrainView, { global: { plugins: [pinia, createAppI18n('en')], stubs: { RouterLink: true } } })
  fake.send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets: [convNet], dataset, activeRunId: null })
  fake.send({ type: 'datasets', sets: [entry(DATASET, false), entry(COLOURS, true)], active: dataset.name })
  await flush()
  return { ...fake, wrapper }
}

describe('Train on an imported set', () => {
  beforeEach(() => {
    pinia = createPinia()
    setActivePinia(pinia)
  })

  it('lists the sets in a select that loads the chosen one', async () => {
    const { wrapper, port } = await mountOn(DATASET)
    const select = wrapper.get('[data-testid="dataset-select"]')
    expect(select.findAll('option').map((o) => o.attributes('value'))).toEqual([DATASET.name, 'Colours'])
    expect((select.element as HTMLSelectElement).value).toBe(DATASET.name)
    await select.setValue('Colours')
    expect(
      port
        .commands()
        .filter((c) => c.type === 'useDataset')
        .map((c) => c.name)
    ).toEqual(['Colours'])
  })

  it("plans the layers for the set's shape and class count", async () => {
    const { wrapper } = await mountOn(COLOURS)
    expect(wrapper.get('[data-testid="input-shape"]').text()).toBe('[3, 12, 12]')
    const rows = wrapper.findAll('[data-layer-row]')
    expect(rows[0].get('[data-role="shape"]').text()).toBe('[4, 8, 8]')
    expect(rows[3].get('[data-testid="class-units"]').text()).toContain('10 → 3')
    expect(rows[0].find('[data-testid="class-units"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="total-output"]').text()).toBe('[3]')
  })

  it('on MNIST the plan is unchanged and no class note is shown', async () => {
    const { wrapper } = await mountOn(DATASET)
    expect(wrapper.get('[data-testid="input-shape"]').text()).toBe('[1, 28, 28]')
    expect(wrapper.find('[data-testid="class-units"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="total-output"]').text()).toBe('[10]')
  })

  it('sets config.augment from the form and drops it when every option is off', async () => {
    const { wrapper } = await mountOn(COLOURS)
    const draft = useDraftStore(pinia)
    expect(draft.draft?.augment).toBeUndefined()
    await wrapper.get('[data-augment="shift"]').setValue('2')
    await wrapper.get('[data-augment="flip"]').setValue(true)
    expect(draft.draft?.augment).toEqual({ shift: 2, flip: true })
    expect(draft.valid).toBe(true)
    await wrapper.get('[data-augment="shift"]').setValue('99')
    expect(draft.draft?.augment).toEqual({ shift: 16, flip: true }) // clamped to what the engine accepts
    await wrapper.get('[data-augment="shift"]').setValue('0')
    await wrapper.get('[data-augment="flip"]').setValue(false)
    expect(draft.draft && 'augment' in draft.draft).toBe(false)
  })
})
