import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { PROTOCOL_VERSION } from '@engine/protocol'
import TrainView from '@renderer/views/TrainView.vue'
import { createAppI18n } from '@renderer/i18n'
import { useEngineStore } from '@renderer/stores/engine'
import { useCurrentRunStore } from '@renderer/stores/current-run'
import { DATASET, fakeConnection, preset } from '../fixtures'
import { defineRunConfig } from '@engine/config/run-config'

// Chart.js needs a real 2D canvas, which happy-dom lacks: stand in a canvas that records what it was given.
vi.mock('vue-chartjs', () => ({
  Line: defineComponent({
    props: { data: { type: Object, required: true }, options: { type: Object, default: () => ({}) } },
    setup(props) {
      return () =>
        h('canvas', {
          'data-stub': 'line',
          'data-series': (props.data as { datasets: { data: unknown[] }[] }).datasets.map((d) => d.data.length).join(',')
        })
    }
  })
}))

let pinia: Pinia

function inputValue(wrapper: { get: (s: string) => { element: Element } }, field: string): string {
  return (wrapper.get(`[data-field="${field}"] input`).element as HTMLInputElement).value
}

function selectValue(wrapper: { get: (s: string) => { element: Element } }, field: string): string {
  return (wrapper.get(`[data-field="${field}"] select`).element as HTMLSelectElement).value
}

function mountView(locale: 'en' | 'ja' = 'en') {
  const fake = fakeConnection()
  useCurrentRunStore(pinia).attach(fake.connection)
  useEngineStore(pinia).attach(fake.connection)
  const wrapper = mount(TrainView, { global: { plugins: [pinia, createAppI18n(locale)], stubs: { RouterLink: true } } })
  return { ...fake, wrapper }
}

const presets = [preset('vg-sigmoid-gauss', 'vanishing-gradient'), preset('vg-relu-he', 'vanishing-gradient'), preset('opt-adam', 'some-new-lesson')]

describe('TrainView', () => {
  beforeEach(() => {
    pinia = createPinia()
    setActivePinia(pinia)
  })

  it('lists the presets grouped by lesson and shows the selected one', async () => {
    const { wrapper, send } = mountView()
    send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets, dataset: DATASET, activeRunId: null })
    await nextTick()
    const groups = wrapper.findAll('[data-lesson]')
    expect(groups.map((g) => g.attributes('data-lesson'))).toEqual(['vanishing-gradient', 'some-new-lesson'])
    expect(groups[0].find('h3').text()).toBe('Vanishing gradients')
    // An unknown lesson id is shown readably rather than hidden.
    expect(groups[1].find('h3').text()).toBe('Some new lesson')
    expect(groups[0].findAll('[data-preset-id]')).toHaveLength(2)

    await wrapper.get('[data-preset-id="vg-relu-he"]').trigger('click')
    expect(wrapper.get('[data-preset="vg-relu-he"] h2 span').text()).toBe('Title of vg-relu-he')
    expect(wrapper.text()).toContain('Description of vg-relu-he')
    expect(wrapper.text()).toContain('A quirk of vg-relu-he')
    expect(inputValue(wrapper, 'optimizer.lr')).toBe('0.1')
    expect(inputValue(wrapper, 'iterations')).toBe('2000')
    expect(inputValue(wrapper, 'network.hidden')).toBe('40, 20')
    expect((wrapper.get('[data-testid="seed"]').element as HTMLInputElement).value).toBe('1')
    expect(wrapper.get('[data-testid="dataset-train"]').text()).toBe('8,000')
    expect(wrapper.get('[data-testid="dataset-test"]').text()).toBe('2,000')
  })

  it('disables Start while a run is active and enables it again when it ends', async () => {
    const { wrapper, send, port } = mountView()
    send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets, dataset: DATASET, activeRunId: null })
    await nextTick()
    const startButton = () => wrapper.get('[data-action="start"]')
    const stopButton = () => wrapper.get('[data-action="stop"]')
    expect(startButton().attributes('disabled')).toBeUndefined()
    expect(stopButton().attributes('disabled')).toBeDefined()

    await wrapper.get('[data-preset-id="vg-relu-he"]').trigger('click')
    await wrapper.get('[data-testid="seed"]').setValue('42')
    await startButton().trigger('click')
    const start = port.commands().find((c) => c.type === 'startRun') as unknown as { runId: string; config: { seed: number }; presetId: string }
    expect(start.presetId).toBe('vg-relu-he')
    expect(start.config.seed).toBe(42)
    expect(startButton().attributes('disabled')).toBeDefined()
    expect(stopButton().attributes('disabled')).toBeUndefined()
    // Another preset can be picked mid-run, to queue it; the current run is not affected.
    expect(wrapper.get('[data-preset-id="vg-sigmoid-gauss"]').attributes('disabled')).toBeUndefined()

    send({ type: 'runStarted', runId: start.runId, presetId: 'vg-relu-he', config: presets[1].config, dataset: DATASET.name })
    send({
      type: 'progress',
      runId: start.runId,
      iter: 3,
      totalIters: 2000,
      elapsedMs: 10,
      itersPerSec: 300,
      losses: { firstIter: 1, values: [2.3, 2.2, 2.1] }
    })
    send({ type: 'evaluation', runId: start.runId, evaluation: { iter: 10, loss: 1.2, trainAcc: 0.5, testAcc: 0.25, elapsedMs: 40 } })
    await nextTick()
    expect(startButton().attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="run-status"]').attributes('data-status')).toBe('running')
    expect(wrapper.get('[data-testid="loss-chart"]').attributes('data-points')).toBe('3')
    expect(wrapper.get('[data-testid="accuracy-chart"]').attributes('data-points')).toBe('1')
    expect(wrapper.get('[data-testid="accuracy-chart"] canvas').attributes('data-series')).toBe('1,1')
    const progress = wrapper.get('progress').element as HTMLProgressElement
    expect(progress.max).toBe(2000)
    expect(progress.value).toBe(3)
    expect(wrapper.get('[data-testid="generation"] pre').text()).toBe('Generation: 10. 正答率(トレーニング) = 0.5\n                : 10. 正答率(テスト) = 0.25')

    await wrapper.get('[data-action="pause"]').trigger('click')
    expect(port.commands().at(-1)).toEqual({ type: 'pauseRun', runId: start.runId })
    send({ type: 'runPaused', runId: start.runId, iter: 3 })
    await nextTick()
    expect(wrapper.find('[data-action="resume"]').exists()).toBe(true)
    // Stop works while paused as well.
    await stopButton().trigger('click')
    expect(port.commands().at(-1)).toEqual({ type: 'stopRun', runId: start.runId })
    send({ type: 'runFinished', runId: start.runId, status: 'stopped', iter: 3, elapsedMs: 50, last: null })
    await nextTick()
    expect(wrapper.get('[data-testid="run-status"]').attributes('data-status')).toBe('stopped')
    expect(startButton().attributes('disabled')).toBeUndefined()
    expect(wrapper.get('[data-testid="loss-chart"]').attributes('data-points')).toBe('3')
  })

  it('shows every kind of setting a preset may carry', async () => {
    const { wrapper, send } = mountView()
    const rich = preset('bn-adam', 'normalization', {
      config: defineRunConfig({
        network: { kind: 'mlp', hidden: [100, 100], activation: 'relu', init: 'he', normalization: 'batchnorm', dropout: { ratio: 0.15, mode: 'course' } },
        optimizer: { kind: 'adam', lr: 0.001 },
        batchSize: 100,
        iterations: 1000,
        evalInterval: 50,
        seed: 3,
        trainAccuracy: 'train-set',
        regularization: { kind: 'l2', lambda: 0.1 },
        freeze: { normalization: true, outputLayer: false },
        trainLimit: 1000
      })
    })
    send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets: [rich], dataset: DATASET, activeRunId: null })
    await nextTick()
    expect(selectValue(wrapper, 'optimizer.kind')).toBe('adam')
    expect(inputValue(wrapper, 'optimizer.lr')).toBe('0.001')
    expect(inputValue(wrapper, 'optimizer.beta1')).toBe('0.9')
    expect(inputValue(wrapper, 'optimizer.beta2')).toBe('0.999')
    expect(selectValue(wrapper, 'network.normalization')).toBe('batchnorm')
    expect(inputValue(wrapper, 'network.dropout.ratio')).toBe('0.15')
    expect(selectValue(wrapper, 'network.dropout.mode')).toBe('course')
    expect(selectValue(wrapper, 'regularization.kind')).toBe('l2')
    expect(inputValue(wrapper, 'regularization.lambda')).toBe('0.1')
    expect((wrapper.get('[data-field-input="freeze.normalization"]').element as HTMLInputElement).checked).toBe(true)
    expect((wrapper.get('[data-field-input="freeze.outputLayer"]').element as HTMLInputElement).checked).toBe(false)
    expect(inputValue(wrapper, 'trainLimit')).toBe('1000')
    expect(inputValue(wrapper, 'testLimit')).toBe('')
    expect(selectValue(wrapper, 'trainAccuracy')).toBe('train-set')
    // The option labels are the course's words.
    expect(wrapper.get('[data-field="network.dropout.mode"] select').text()).toContain('course (scale at test)')
  })

  it('keeps Start disabled until a dataset is loaded', async () => {
    const { wrapper, send } = mountView()
    send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets, dataset: null, activeRunId: null })
    await nextTick()
    expect(wrapper.get('[data-action="start"]').attributes('disabled')).toBeDefined()
    send({ type: 'datasetLoaded', dataset: DATASET })
    await nextTick()
    expect(wrapper.get('[data-action="start"]').attributes('disabled')).toBeUndefined()
  })

  it('speaks Japanese with the course terms', async () => {
    const { wrapper, send } = mountView('ja')
    send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets, dataset: DATASET, activeRunId: null })
    await nextTick()
    const text = wrapper.text()
    expect(text).toContain('勾配消失')
    expect(text).toContain('学習率')
    expect(text).toContain('開始')
    expect(wrapper.get('[data-testid="loss-chart"] figcaption').text()).toBe('ミニバッチの損失')
  })
})
