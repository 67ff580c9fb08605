import { describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { PROTOCOL_VERSION } from '@engine/protocol'
import { useCurrentRunStore } from '@renderer/stores/current-run'
import { useRunLibraryStore, toRecord } from '@renderer/stores/run-library'
import { useEngineStore } from '@renderer/stores/engine'
import { useWeightsStore, STORED_UNITS } from '@renderer/stores/weights'
import { useLandscapeStore, CONFIRM_MS } from '@renderer/stores/landscape'
import { MemoryRunStorage } from '@renderer/lib/storage/memory-storage'
import { checkRunRecord, MAX_STORED_FILTER_SNAPSHOTS } from '@renderer/lib/storage/run-record'
import { ThinnedLog, roundForStorage } from '@renderer/lib/snapshot-log'
import { contourBands, levels } from '@renderer/lib/contours'
import { DATASET, fakeConnection, preset } from '../fixtures'

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

function setup() {
  setActivePinia(createPinia())
  const fake = fakeConnection()
  const storage = new MemoryRunStorage()
  const runs = useRunLibraryStore()
  runs.attachStorage(storage)
  const run = useCurrentRunStore()
  run.attach(fake.connection)
  useEngineStore().attach(fake.connection)
  const weights = useWeightsStore()
  weights.attach(fake.connection)
  const landscape = useLandscapeStore()
  landscape.attach(fake.connection)
  const p = preset('vg-relu-he', 'vanishing-gradient')
  fake.send({ type: 'ready', protocolVersion: PROTOCOL_VERSION, presets: [p], dataset: DATASET, activeRunId: null })
  expect(run.startConfig({ config: p.config, presetId: p.id, custom: false })).toBe(true)
  const runId = run.runId!
  fake.send({ type: 'runStarted', runId, presetId: p.id, config: p.config, dataset: DATASET.name })
  return { ...fake, runs, run, weights, landscape, storage, runId }
}

const layerSummary = {
  layer: 'affine1',
  shape: [4, 2],
  count: 8,
  nearZero: 3,
  nonFinite: 0,
  maxAbs: 0.5,
  histogram: { lo: -0.5, hi: 0.5, counts: [1, 2, 5] },
  magnitude: { lo: -6, hi: 1, counts: [2, 3], below: 3 }
}

describe('what the visual lessons keep with a run', () => {
  it('keeps filter snapshots (rounded), the weights at the end and the latest landscape in the record', async () => {
    const s = setup()
    s.send({ type: 'filterSnapshot', runId: s.runId, iter: 0, layers: [{ layer: 'conv1', shape: [1, 1, 1, 2], values: [0.123456789, -2e-9] }] })
    s.send({ type: 'runFinished', runId: s.runId, status: 'completed', iter: 10, elapsedMs: 5, last: null })
    // The end of the run asks the engine for the weights at once (before a queued run replaces the network).
    const ask = s.port.commands().find((c) => c.type === 'getWeights')!
    expect(ask.units).toBe(STORED_UNITS)
    s.send({
      type: 'weights',
      requestId: ask.requestId as string,
      runId: s.runId,
      iter: 10,
      layers: [layerSummary],
      units: { layer: 'affine1', channels: 1, rows: 2, cols: 2, units: 2, shown: 1, values: [0.111111, 0.2, 0.3, 0.4] }
    })
    s.landscape.compute({ plane: 'random', split: 'test', images: 10, grid: 3, span: 1, seed: 1 })
    const estimate = s.port.commands().find((c) => c.type === 'computeLandscape' && c.estimateOnly)!
    s.send({ type: 'landscapeEstimate', requestId: estimate.requestId as string, runId: s.runId, points: 9, msPerPoint: 1, estimatedMs: 9 })
    // A quick grid starts without asking.
    const compute = s.port.commands().find((c) => c.type === 'computeLandscape' && !c.estimateOnly)!
    expect(s.landscape.phase).toBe('computing')
    const result = {
      plane: 'random' as const,
      split: 'test' as const,
      images: 10,
      grid: 3,
      xs: [-1, 0, 1],
      ys: [-1, 0, 1],
      loss: [3, 2, 3, 2, 1, 2, 3, null, 3],
      regularized: null,
      centerLoss: 1,
      path: null,
      explained: null
    }
    s.send({ type: 'landscape', requestId: compute.requestId as string, runId: s.runId, iter: 10, result })
    expect(s.landscape.phase).toBe('done')
    await settle()

    const record = checkRunRecord(s.storage.items.get(s.runId))
    expect(record.ok).toBe(true)
    if (!record.ok) return
    expect(record.record.filterSnapshots).toEqual([{ iter: 0, layers: [{ layer: 'conv1', shape: [1, 1, 1, 2], values: [0.1235, -2e-9] }] }])
    expect(record.record.weights).toEqual({
      iter: 10,
      layers: [layerSummary],
      units: { layer: 'affine1', channels: 1, rows: 2, cols: 2, units: 2, shown: 1, values: [0.1111, 0.2, 0.3, 0.4] }
    })
    expect(record.record.landscape).toEqual({ iter: 10, result })
    // …and reads back into an entry.
    const entry = s.runs.get(s.runId)!
    expect(toRecord(entry)).toMatchObject({ weights: record.record.weights, landscape: record.record.landscape })
  })

  it('reads an older record without these fields as having none', () => {
    const s = setup()
    const record = toRecord(s.runs.get(s.runId)!)!
    const { filterSnapshots: _f, weights: _w, landscape: _l, ...older } = record
    const checked = checkRunRecord(older)
    expect(checked.ok && checked.record.filterSnapshots).toEqual([])
    expect(checked.ok && checked.record.weights).toBeNull()
    expect(checked.ok && checked.record.landscape).toBeNull()
  })

  it('asks before a grid whose estimate is long, and cancels on request', () => {
    const s = setup()
    s.landscape.compute({ plane: 'random', split: 'test', images: 10, grid: 51, span: 1, seed: 1 })
    const estimate = s.port.commands().find((c) => c.type === 'computeLandscape')!
    s.send({ type: 'landscapeEstimate', requestId: estimate.requestId as string, runId: s.runId, points: 2601, msPerPoint: 50, estimatedMs: CONFIRM_MS + 1 })
    expect(s.landscape.phase).toBe('confirm')
    expect(s.port.commands().filter((c) => c.type === 'computeLandscape')).toHaveLength(1)
    s.landscape.confirm()
    const compute = s.port.commands().filter((c) => c.type === 'computeLandscape')[1]
    expect(compute.estimateOnly).toBe(false)
    s.landscape.cancel()
    expect(s.port.commands().at(-1)).toEqual({ type: 'cancelLandscape', requestId: compute.requestId })
    s.send({ type: 'landscapeCancelled', requestId: compute.requestId as string })
    expect(s.landscape.phase).toBe('cancelled')
  })

  it('a landscape request without a network ends in NO_NETWORK for the view, not an app-wide alert', () => {
    const s = setup()
    s.landscape.compute({ plane: 'random', split: 'test', images: 10, grid: 3, span: 1, seed: 1 })
    const estimate = s.port.commands().find((c) => c.type === 'computeLandscape')!
    s.send({ type: 'error', code: 'NO_NETWORK', message: 'no run', requestId: estimate.requestId as string })
    expect(s.landscape.errorCode).toBe('NO_NETWORK')
    expect(useEngineStore().alerts).toEqual([])
  })
})

describe('thinned snapshot log', () => {
  it('keeps the first, evenly spaced ones and the latest, within its capacity', () => {
    const log = new ThinnedLog<number>(4)
    for (let i = 0; i < 11; i++) log.push(i)
    expect(log.items()).toEqual([0, 4, 8, 10])
    expect(log.count).toBe(11)
    expect(ThinnedLog.from(log.items(), MAX_STORED_FILTER_SNAPSHOTS).items()).toEqual([0, 4, 8, 10])
  })

  it('rounds to four significant digits, leaving zeros alone', () => {
    expect(roundForStorage([0, 1.23456, -0.000987654, 12345.6])).toEqual([0, 1.235, -0.0009877, 12350])
  })
})

describe('contours', () => {
  it('bands a bowl into nested rings around its minimum, and spreads levels geometrically', () => {
    const n = 21
    const values = Array.from({ length: n * n }, (_, k) => {
      const x = (k % n) - 10
      const y = Math.floor(k / n) - 10
      return 1 + x * x + y * y
    })
    const t = levels(values, 5, 'log')
    expect(t).toHaveLength(5)
    expect(t[1] / t[0]).toBeCloseTo(t[2] / t[1], 10)
    const bands = contourBands({ values, nx: n, ny: n, xRange: [-10, 10], yRange: [-10, 10] }, t, {
      width: 200,
      height: 200,
      xRange: [-10, 10],
      yRange: [-10, 10]
    })
    expect(bands.map((b) => b.value)).toEqual(t)
    for (const b of bands) expect(b.d).toMatch(/^M[\d.]+,[\d.]+L/)
    // A missing value (an overflowed loss) does not break the contours.
    values[0] = Number.NaN
    expect(() =>
      contourBands({ values, nx: n, ny: n, xRange: [-10, 10], yRange: [-10, 10] }, t, { width: 200, height: 200, xRange: [-10, 10], yRange: [-10, 10] })
    ).not.toThrow()
  })
})

describe("the visual lessons' texts", () => {
  it('escape every | (vue-i18n would read a bare one as a plural separator and show only one part)', async () => {
    const en = (await import('@renderer/locales/en.json')).default as Record<string, unknown>
    const ja = (await import('@renderer/locales/ja.json')).default as Record<string, unknown>
    const texts = (o: unknown): string[] => (typeof o === 'string' ? [o] : Object.values(o as object).flatMap(texts))
    for (const locale of [en, ja]) {
      for (const section of ['visualNav', 'optimizers', 'visualRuns', 'weights', 'filtersOverTime', 'landscape']) {
        for (const text of texts(locale[section])) expect(text.replaceAll("{'|'}", ''), text).not.toContain('|')
      }
    }
  })
})
