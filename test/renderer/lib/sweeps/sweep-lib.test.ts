import { describe, expect, it } from 'vitest'
import { findPreset } from '@engine/presets'
import { paretoFront } from '@renderer/lib/sweeps/pareto'
import { scalingLines, scalingStep } from '@renderer/lib/sweeps/scaling-lines'
import { parseValues, sweepFields } from '@renderer/lib/sweeps/sweep-fields'
import { electronEnginePool } from '@renderer/engine-client/engine-pool'

describe('the Pareto front', () => {
  it('keeps the points no other beats on both cost and accuracy, cheapest first', () => {
    const pts = [
      { id: 'a', x: 1, y: 0.9 },
      { id: 'b', x: 2, y: 0.85 }, // dearer and worse than a
      { id: 'c', x: 3, y: 0.95 },
      { id: 'd', x: 3, y: 0.93 }, // as dear as c, worse
      { id: 'e', x: 10, y: 0.96 },
      { id: 'f', x: Number.NaN, y: 0.99 }
    ]
    expect(paretoFront(pts).map((p) => p.id)).toEqual(['a', 'c', 'e'])
    expect(paretoFront([])).toEqual([])
  })
})

describe('scaling lines', () => {
  it('reads the scale-* ids and draws one line per way of scaling from the base, in φ order', () => {
    expect(scalingStep('scale-base')).toEqual({ axis: 'base', phi: 0 })
    expect(scalingStep('scale-compound-3')).toEqual({ axis: 'compound', phi: 3 })
    expect(scalingStep('opt-adam')).toBeNull()
    const ids = ['scale-width-2', 'scale-base', 'scale-width-1', 'scale-depth-1', 'opt-adam']
    const lines = scalingLines(ids.map((presetId) => ({ presetId })))
    expect(lines.map((l) => [l.axis, l.points.map((p) => p.presetId)])).toEqual([
      ['depth', ['scale-base', 'scale-depth-1']],
      ['width', ['scale-base', 'scale-width-1', 'scale-width-2']]
    ])
  })
})

describe('sweep fields', () => {
  it("lists a run's settings by run-file path, numbers and choices, without the seed", () => {
    const fields = sweepFields(findPreset('cnn-simple').config)
    const paths = fields.map((f) => f.path)
    expect(paths).toContain('optimizer.lr')
    expect(paths).toContain('batchSize')
    expect(paths.some((p) => /^network\.layers\.\d+\.filters$/.test(p))).toBe(true)
    expect(paths).not.toContain('seed')
    expect(fields.find((f) => f.path === 'optimizer.kind')).toMatchObject({ numeric: false })
  })

  it('reads values typed with commas: numbers for a number field, else words', () => {
    expect(parseValues('0.1, 0.01 ,1e-3', true)).toEqual([0.1, 0.01, 0.001])
    expect(parseValues('0.1, x', true)).toBeNull()
    expect(parseValues(' , ', true)).toBeNull()
    expect(parseValues('relu, tanh, true', false)).toEqual(['relu', 'tanh', true])
  })
})

describe('the Electron engine pool', () => {
  it('asks main for engines and takes the ports that arrive with sweep-N ids, in order; closes them through the bridge', async () => {
    const target = new EventTarget() as unknown as Window
    const calls: string[] = []
    const bridge = {
      openSweepEngines: async (count: number) => {
        calls.push(`open ${count}`)
        // Main starts one fewer than asked (the cores), and the ports arrive out of order.
        for (const id of ['sweep-2', 'sweep-1', 'other']) {
          const { port1 } = new MessageChannel()
          const event = new MessageEvent('message', { data: { source: 'gradient-lab', kind: 'engine-port', requestId: id }, ports: [port1] })
          queueMicrotask(() => target.dispatchEvent(event))
        }
        return 2
      },
      closeSweepEngines: async () => void calls.push('close'),
      onSweepEngineExit: () => () => undefined
    }
    const pool = electronEnginePool(bridge, target, 1000)
    const engines = await pool.open(3)
    expect(engines).toHaveLength(2)
    expect(engines.every((e) => e.client.attached)).toBe(true)
    pool.close()
    expect(calls).toEqual(['open 3', 'close'])
    expect(engines.every((e) => !e.client.attached)).toBe(true)
  })
})

describe('log scale ticks', () => {
  it('powers of ten over several decades; 1, 2, 5 of each within a decade or two', async () => {
    const { logScale } = await import('@renderer/lib/sweeps/scales')
    expect(logScale([0.5, 2e4], [0, 100]).ticks).toEqual([1, 10, 100, 1000, 10000])
    expect(logScale([1.36e6, 1.57e7], [0, 100]).ticks).toEqual([2e6, 5e6, 1e7])
    const s = logScale([10, 1000], [0, 100])
    expect([s(10), s(100), s(1000)]).toEqual([0, 50, 100])
  })
})
