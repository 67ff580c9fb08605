/**
 * #/draw after a page reload: the view mounts before the model library is read from storage and before
 * the engine has its data. The saved model must still be picked, and opened only once the data are there
 * (the engine refuses a model without data: "load a dataset before opening a model").
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { PROTOCOL_VERSION } from '@engine/protocol'
import type { ModelSummary } from '@engine/model-file/model-file'
import DrawView from '@renderer/views/DrawView.vue'
import { createAppI18n } from '@renderer/i18n'
import { useEngineStore } from '@renderer/stores/engine'
import { useCurrentRunStore } from '@renderer/stores/current-run'
import { useModelsStore } from '@renderer/stores/models'
import type { ModelStorage, StoredModel } from '@renderer/lib/models/model-storage'
import { DATASET, fakeConnection, preset } from '../fixtures'

/** A grey 28×28 digit model (the library reads its file's summary; the engine answers with it too). */
const SUMMARY: ModelSummary = {
  formatVersion: 1,
  kind: 'model',
  config: preset('vg-relu-he', 'vanishing-gradient').config,
  presetId: 'vg-relu-he',
  inputShape: [784],
  imageShape: [1, 28, 28],
  classes: DATASET.classes,
  dataset: null,
  metrics: null,
  appVersion: '0.1.0',
  savedAt: '2026-12-06T15:00:00.000Z',
  precision: 'float32',
  parameterCount: 100,
  iteration: 300,
  bytes: 3
}
vi.mock('@engine/model-file/model-file', async (original) => ({
  ...(await original<typeof import('@engine/model-file/model-file')>()),
  decodeModelFile: () => ({ summary: SUMMARY, checkpoint: null })
}))

const MODEL: StoredModel = { id: 'model-saved', name: 'he 300', bytes: new Uint8Array([1, 2, 3]), addedAt: '2026-12-06T15:00:00.000Z' }

/** Storage whose list is answered when the test says so, as IndexedDB answers after the view has mounted. */
function slowStorage(): { storage: ModelStorage; answer: () => void } {
  let answer = (): void => {}
  const listed = new Promise<StoredModel[]>((resolve) => (answer = () => resolve([MODEL])))
  return { storage: { kind: 'memory', list: () => listed, put: async () => {}, remove: async () => {} }, answer }
}

let pinia: Pinia

function mountAfterReload() {
  const fake = fakeConnection()
  const slow = slowStorage()
  useCurrentRunStore(pinia).attach(fake.connection)
  useEngineStore(pinia).attach(fake.connection)
  useModelsStore(pinia).attach(fake.client, slow.storage)
  // The engine is up, its data still loading.
  fake.send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets: [], dataset: null, activeRunId: null })
  const wrapper = mount(DrawView, { global: { plugins: [pinia, createAppI18n('en')], stubs: { RouterLink: true } } })
  const loadModelRequests = () => fake.port.commands().filter((c) => c.type === 'loadModel')
  return { ...fake, ...slow, wrapper, loadModelRequests }
}

describe('DrawView after a reload', () => {
  beforeEach(() => {
    pinia = createPinia()
    setActivePinia(pinia)
  })

  it('picks the saved model read after mounting and opens it only once the data have loaded', async () => {
    const { wrapper, answer, send, loadModelRequests } = mountAfterReload()
    await flushPromises()
    expect(wrapper.find('[data-testid="draw-model"]').exists()).toBe(false)

    answer()
    await flushPromises()
    expect((wrapper.get('[data-testid="draw-model"]').element as HTMLSelectElement).value).toBe('model-saved')
    expect(loadModelRequests()).toHaveLength(0)

    send({ type: 'datasetLoaded', dataset: DATASET })
    await flushPromises()
    const [request] = loadModelRequests()
    expect(request).toBeDefined()
    send({ type: 'modelLoaded', requestId: request.requestId as string, summary: SUMMARY, layers: [] })
    await flushPromises()
    expect(useModelsStore(pinia).openModelId).toBe('model-saved')
    expect(wrapper.find('[data-testid="draw-canvas"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="draw-problem"]').exists()).toBe(false)
  })
})
