import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { PROTOCOL_VERSION } from '@engine/protocol'
import type { RunConfig } from '@engine/config/run-config'
import TrainView from '@renderer/views/TrainView.vue'
import { createAppI18n } from '@renderer/i18n'
import { useEngineStore } from '@renderer/stores/engine'
import { useCurrentRunStore } from '@renderer/stores/current-run'
import { useQueueStore } from '@renderer/stores/queue'
import { parseNumber, parseOptionalNumber, parseSizes } from '@renderer/lib/form-values'
import { localizeProblem } from '@renderer/lib/problem-messages'
import { DATASET, fakeConnection, preset } from '../fixtures'
import { base, mountForm } from './settings-form-mount'

vi.mock('vue-chartjs', () => ({
  Line: defineComponent({ props: { data: { type: Object, required: true } }, setup: () => () => h('canvas') })
}))

const error = (wrapper: ReturnType<typeof mountForm>['wrapper'], field: string) => wrapper.find(`[data-field="${field}"] [data-testid="field-error"]`)

describe('parsing what the student types', () => {
  it('reads numbers strictly, full-width digits included', () => {
    expect(parseNumber('0.1')).toBe(0.1)
    expect(parseNumber(' 1e-3 ')).toBe(0.001)
    expect(parseNumber('０．０５')).toBe(0.05)
    expect(parseNumber('')).toBeNaN()
    expect(parseNumber('1e')).toBeNaN()
    expect(parseNumber('0,1')).toBeNaN()
    expect(parseNumber('Infinity')).toBeNaN()
    expect(parseOptionalNumber('  ')).toBeUndefined()
    expect(parseSizes('100, 50 25')).toEqual([100, 50, 25])
    expect(parseSizes('１００、５０')).toEqual([100, 50])
    expect(parseSizes('')).toEqual([])
  })

  it('turns the engine messages into the app language, keeping unknown ones as they are', () => {
    expect(localizeProblem({ field: 'optimizer.lr', message: 'must be greater than 0' })).toMatchObject({ key: 'validation.positive' })
    expect(localizeProblem({ field: 'batchSize', message: 'batch size must be at least 1' })).toMatchObject({ key: 'validation.atLeast', params: { min: '1' } })
    expect(localizeProblem({ field: 'x', message: 'something new' })).toEqual({ key: null, params: {}, message: 'something new' })
    // The layer plan's own words (engine/model/build-layers.ts classScoresProblem), with the data's class count.
    const stack = 'the last layer must give 3 class scores, gives [30, 12, 12] (end with an affine layer)'
    expect(localizeProblem({ field: 'network.layers', message: stack })).toMatchObject({
      key: 'validation.classScores',
      params: { classes: '3', shape: '30, 12, 12' }
    })
  })
})

describe('settings form', () => {
  it('shows the message under the field that is wrong, as the student types', async () => {
    const { wrapper, follow } = mountForm()
    expect(wrapper.findAll('[data-testid="field-error"]')).toHaveLength(0)
    await wrapper.get('[data-field="optimizer.lr"] input').setValue('0')
    const next = await follow()
    expect(next.optimizer.lr).toBe(0)
    expect(error(wrapper, 'optimizer.lr').text()).toBe('Must be greater than 0.')
    const input = wrapper.get('[data-field="optimizer.lr"] input')
    expect(input.attributes('aria-invalid')).toBe('true')
    expect(input.attributes('aria-describedby')).toBe(error(wrapper, 'optimizer.lr').attributes('id'))
    // Other fields stay clean.
    expect(wrapper.findAll('[data-testid="field-error"]')).toHaveLength(1)
  })

  it('names the hidden layer that is wrong, and the dataset-dependent limits', async () => {
    const { wrapper, follow } = mountForm()
    await wrapper.get('[data-field="network.hidden"] input').setValue('40, 0')
    await follow()
    expect(error(wrapper, 'network.hidden').text()).toBe('layer 2: Must be at least 1.')
    await wrapper.get('[data-field="network.hidden"] input').setValue('')
    await follow()
    expect(error(wrapper, 'network.hidden').text()).toBe('Give at least one hidden layer size.')
    await wrapper.get('[data-field="batchSize"] input').setValue('9000')
    await follow()
    expect(error(wrapper, 'batchSize').text()).toBe('9000 is more than the 8000 training images in use.')
    await wrapper.get('[data-field="trainLimit"] input').setValue('300')
    const limited = await follow()
    expect(limited.trainLimit).toBe(300)
    expect(error(wrapper, 'batchSize').text()).toBe('9000 is more than the 300 training images in use.')
  })

  it('gives each part its own messages, and lists the problems no part shows at the end', async () => {
    const { wrapper } = mountForm({
      ...base,
      optimizer: { kind: 'sgd', lr: 0 },
      regularization: { kind: 'l2', lambda: -1 },
      embedding: { n: 0, method: 'pca' }
    })
    expect(error(wrapper, 'optimizer.lr').text()).toBe('Must be greater than 0.')
    expect(error(wrapper, 'regularization.lambda').text()).toBe('Must be 0 or more.')
    expect(wrapper.get('[data-testid="other-problems"]').text()).toMatch(/^embedding\.n: /)
    expect(wrapper.get('[data-testid="other-problems"]').findAll('span')).toHaveLength(1)
  })

  it('speaks Japanese with the course terms', async () => {
    const { wrapper, follow } = mountForm(base, 'ja')
    const text = wrapper.text()
    for (const term of ['学習率', '最適化手法', 'ドロップアウト率', '重み減衰', 'バッチサイズ', '活性化関数']) expect(text).toContain(term)
    await wrapper.get('[data-field="network.dropout.ratio"] input').setValue('1')
    await follow()
    expect(error(wrapper, 'network.dropout.ratio').text()).toBe('1 未満にしてください。')
  })
})

describe('TrainView: custom runs and the queue', () => {
  let pinia: Pinia
  beforeEach(() => {
    pinia = createPinia()
    setActivePinia(pinia)
  })

  function mountView() {
    const fake = fakeConnection()
    useCurrentRunStore(pinia).attach(fake.connection)
    useEngineStore(pinia).attach(fake.connection)
    const wrapper = mount(TrainView, { global: { plugins: [pinia, createAppI18n('en')] } })
    fake.send({
      type: 'ready',
      protocolVersion: PROTOCOL_VERSION,
      presets: [preset('vg-relu-he', 'vanishing-gradient'), preset('vg-sigmoid-gauss', 'vanishing-gradient')],
      dataset: DATASET,
      activeRunId: null
    })
    return { ...fake, wrapper }
  }

  it('an edit makes a labelled custom run, Start is disabled while invalid, Reset brings the preset back', async () => {
    const { wrapper, port } = mountView()
    await nextTick()
    const start = () => wrapper.get('[data-action="start"]')
    expect(wrapper.find('[data-testid="custom-label"]').exists()).toBe(false)
    expect(wrapper.find('[data-action="reset-settings"]').exists()).toBe(false)

    await wrapper.get('[data-field="optimizer.lr"] input').setValue('-0.1')
    expect(start().attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-action="queue"]').attributes('disabled')).toBeDefined()
    expect(wrapper.find('[data-field="optimizer.lr"] [data-testid="field-error"]').text()).toBe('Must be greater than 0.')
    await start().trigger('click')
    expect(port.commands().some((c) => c.type === 'startRun')).toBe(false)

    await wrapper.get('[data-field="optimizer.lr"] input').setValue('0.05')
    expect(wrapper.get('[data-testid="custom-label"]').text()).toBe('Custom (from vg-relu-he)')
    expect(start().attributes('disabled')).toBeUndefined()
    await start().trigger('click')
    const sent = port.commands().find((c) => c.type === 'startRun') as unknown as { config: RunConfig; presetId?: string }
    expect(sent.config.optimizer.lr).toBe(0.05)
    // A custom run is not sent as the preset.
    expect(sent.presetId).toBeUndefined()
    expect(wrapper.get('[data-testid="current-run"]').text()).toBe('Custom (from vg-relu-he) · seed 1')

    await wrapper.get('[data-action="reset-settings"]').trigger('click')
    expect(wrapper.find('[data-testid="custom-label"]').exists()).toBe(false)
    expect((wrapper.get('[data-field="optimizer.lr"] input').element as HTMLInputElement).value).toBe('0.1')
  })

  it('changing only the seed keeps it the preset run', async () => {
    const { wrapper } = mountView()
    await nextTick()
    await wrapper.get('[data-testid="seed"]').setValue('9')
    expect(wrapper.find('[data-testid="custom-label"]').exists()).toBe(false)
    expect(wrapper.find('[data-action="reset-settings"]').exists()).toBe(true)
  })

  it('queues runs while one trains, shows them in order, and removes one', async () => {
    const { wrapper, port } = mountView()
    await nextTick()
    await wrapper.get('[data-action="queue"]').trigger('click')
    expect(port.commands().filter((c) => c.type === 'startRun')).toHaveLength(1)
    await wrapper.get('[data-preset-id="vg-sigmoid-gauss"]').trigger('click')
    await wrapper.get('[data-action="queue"]').trigger('click')
    await wrapper.get('[data-field="iterations"] input').setValue('300')
    await wrapper.get('[data-action="queue"]').trigger('click')
    const items = wrapper.findAll('[data-testid="queue"] li')
    expect(items.map((i) => i.find('strong').text())).toEqual(['Title of vg-sigmoid-gauss', 'Custom (from vg-sigmoid-gauss)'])
    expect(useQueueStore(pinia).items).toHaveLength(2)
    await items[0].get('[data-action="remove-queued"]').trigger('click')
    expect(wrapper.findAll('[data-testid="queue"] li').map((i) => i.find('strong').text())).toEqual(['Custom (from vg-sigmoid-gauss)'])
    expect(port.commands().filter((c) => c.type === 'startRun')).toHaveLength(1)
  })
})
