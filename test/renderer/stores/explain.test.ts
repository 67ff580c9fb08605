import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { PROTOCOL_VERSION, type EngineEventOf } from '@engine/protocol'
import { useEngineStore } from '@renderer/stores/engine'
import { useExplainStore } from '@renderer/stores/explain'
import { DATASET, fakeConnection } from '../fixtures'

const flush = async () => {
  for (let i = 0; i < 5; i++) await nextTick()
}

type Sent = { type: string; requestId: string; [k: string]: unknown }

async function setup() {
  const fake = fakeConnection()
  const engine = useEngineStore()
  engine.attach(fake.connection)
  fake.send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets: [], dataset: DATASET, activeRunId: null })
  await flush()
  const sent = (type: string) => fake.port.commands().filter((c) => c.type === type) as Sent[]
  return { fake, store: useExplainStore(), sent }
}

function explanation(requestId: string, extra: Partial<EngineEventOf<'explanation'>> = {}): EngineEventOf<'explanation'> {
  return {
    type: 'explanation',
    requestId,
    method: 'saliency',
    split: 'test',
    index: 0,
    label: 7,
    predicted: 7,
    class: 7,
    scores: [0, 0, 0, 0, 0, 0, 0, 5, 0, 0],
    output: 'score',
    height: 2,
    width: 2,
    map: [0, 1, 2, 3],
    reduction: 'absolute',
    channels: 1,
    settings: {},
    ...extra
  }
}

function samples(requestId: string, label: number) {
  return {
    type: 'datasetSamples' as const,
    requestId,
    split: 'test' as const,
    channels: 1,
    rows: 2,
    cols: 2,
    indices: [0],
    labels: [label],
    total: 2000,
    pixels: Uint8Array.from([0, 50, 100, 255])
  }
}

describe('explain store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('asks for a data image by split and index, with the chosen class, and shows the image with its map', async () => {
    const { fake, store, sent } = await setup()
    store.source = { kind: 'data', split: 'train', index: 41 }
    store.method = 'integrated'
    store.classChoice = 3
    store.layer = 'conv1'
    const done = store.explain()
    await flush()
    const ask = sent('explainImage')[0]
    expect(ask).toMatchObject({ split: 'train', index: 41, method: 'integrated', class: 3 })
    // The layer is Grad-CAM's only: another method must not send it.
    expect(ask).not.toHaveProperty('layer')
    expect(sent('getDatasetSamples')[0]).toMatchObject({ split: 'train', start: 41, count: 1 })
    expect(store.busy).toBe(true)
    fake.send(explanation(ask.requestId, { method: 'integrated', class: 3 }))
    fake.send(samples(sent('getDatasetSamples')[0].requestId, 7))
    await done
    expect(store.busy).toBe(false)
    expect(store.result?.class).toBe(3)
    expect(store.image).toMatchObject({ channels: 1, rows: 2, cols: 2, label: 7 })
    expect(Array.from(store.image!.values)).toEqual([0, 50, 100, 255])
  })

  it('sends Grad-CAM its layer, and the predicted class by leaving the class out; the same image is not fetched again', async () => {
    const { fake, store, sent } = await setup()
    const first = store.explain()
    await flush()
    fake.send(explanation(sent('explainImage')[0].requestId))
    fake.send(samples(sent('getDatasetSamples')[0].requestId, 7))
    await first
    store.method = 'gradcam'
    store.layer = 'conv2'
    const second = store.explain()
    await flush()
    const ask = sent('explainImage')[1]
    expect(ask).toMatchObject({ method: 'gradcam', layer: 'conv2', index: 0 })
    expect(ask).not.toHaveProperty('class')
    expect(sent('getDatasetSamples')).toHaveLength(1)
    fake.send(explanation(ask.requestId, { method: 'gradcam', layer: 'conv2', reduction: 'none' }))
    await second
    expect(store.result?.method).toBe('gradcam')
  })

  it("shows only the latest question's answer when an older one arrives after it", async () => {
    const { fake, store, sent } = await setup()
    store.source = { kind: 'data', split: 'test', index: 1 }
    const older = store.explain()
    store.source = { kind: 'data', split: 'test', index: 2 }
    const newer = store.explain()
    await flush()
    const [a, b] = sent('explainImage')
    const [sa, sb] = sent('getDatasetSamples')
    fake.send(explanation(b.requestId, { index: 2, label: 2 }))
    fake.send(samples(sb.requestId, 2))
    await newer
    fake.send(explanation(a.requestId, { index: 1, label: 1 }))
    fake.send(samples(sa.requestId, 1))
    await older
    expect(store.result?.index).toBe(2)
    expect(store.image?.label).toBe(2)
  })

  it('explains an image file as the model saw it, with values = bytes / 255, and says why one cannot be read', async () => {
    const { fake, store, sent } = await setup()
    const loading = store.useFile({ name: 'leaf.png', bytes: Uint8Array.from([1, 2, 3]) })
    await flush()
    const classify = sent('classifyImage')[0]
    fake.send({
      type: 'imagePrediction',
      requestId: classify.requestId,
      probabilities: [1],
      scores: [1],
      channels: 1,
      rows: 1,
      cols: 2,
      pixels: Uint8Array.from([0, 255])
    })
    await loading
    expect(store.source).toMatchObject({ kind: 'file', name: 'leaf.png' })
    const done = store.explain()
    await flush()
    const ask = sent('explainImage')[0]
    expect(ask.pixels).toEqual([0, 1])
    expect(ask).not.toHaveProperty('index')
    expect(sent('getDatasetSamples')).toHaveLength(0)
    fake.send(explanation(ask.requestId, { height: 1, width: 2, map: [0, 1] }))
    await done
    expect(Array.from(store.image!.values)).toEqual([0, 255])
    expect(store.image?.label).toBeNull()

    const bad = store.useFile({ name: 'notes.txt', bytes: Uint8Array.from([9]) })
    await flush()
    fake.send({ type: 'error', code: 'INVALID_REQUEST', message: 'not an image', requestId: sent('classifyImage')[1].requestId })
    await bad
    expect(store.error).toBe('not an image')
    expect(store.source).toMatchObject({ name: 'leaf.png' })
  })

  it('reports an engine error for the question and clears the map; a new network forgets the old answer', async () => {
    const { fake, store, sent } = await setup()
    store.source = { kind: 'data', split: 'test', index: 5000 }
    const done = store.explain()
    await flush()
    fake.send({ type: 'error', code: 'INVALID_REQUEST', message: 'index 5000 is outside the test split', requestId: sent('explainImage')[0].requestId })
    await done
    expect(store.error).toContain('outside the test split')
    expect(store.result).toBeNull()
    expect(store.busy).toBe(false)

    store.classChoice = 4
    store.layer = 'conv1'
    store.forget()
    expect(store.classChoice).toBeNull()
    expect(store.layer).toBeNull()
    expect(store.error).toBeNull()
  })
})
