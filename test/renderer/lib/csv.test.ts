import { describe, expect, it } from 'vitest'
import { csvField, toCsv } from '@renderer/lib/csv'
import { curvesCsv, groupResults, resultsCsv, toResult } from '@renderer/lib/results'
import { meanAndSd } from '@renderer/lib/stats'
import { preset } from '../fixtures'

const config = preset('vg-relu-he', 'vanishing-gradient').config

function result(id: string, seed: number, testAcc: number, status = 'completed', overrides: Partial<typeof config> = {}) {
  return toResult({
    id,
    label: 'ReLU + He',
    presetId: 'vg-relu-he',
    custom: false,
    config: { ...config, ...overrides, seed },
    status,
    iter: 2000,
    elapsedMs: 12_345,
    last: { iter: 2000, loss: 0.1, trainAcc: testAcc + 0.02, testAcc, elapsedMs: 12_000 }
  })
}

describe('CSV', () => {
  it('quotes only what needs quoting, doubles quotes, leaves numbers at full precision', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField(0.1 + 0.2)).toBe('0.30000000000000004')
    expect(csvField(Number.NaN)).toBe('')
    expect(csvField(null)).toBe('')
    expect(csvField(true)).toBe('true')
    expect(csvField('カスタム (vg-relu-he から変更)')).toBe('カスタム (vg-relu-he から変更)')
  })

  it('starts with a byte-order mark and ends every line with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x,y']])).toBe('\uFEFFa,b\r\n1,"x,y"\r\n')
  })

  it('groups runs of the same settings over seeds, with mean ± sample standard deviation of the completed ones', () => {
    const rows = [result('r1', 1, 0.95), result('r2', 2, 0.97), result('r3', 3, 0.5, 'stopped'), result('r4', 1, 0.9, 'completed', { batchSize: 50 })]
    const groups = groupResults(rows)
    expect(groups).toHaveLength(2)
    expect(groups[0].runs.map((r) => r.id)).toEqual(['r1', 'r2', 'r3'])
    expect(groups[0].test.n).toBe(2)
    expect(groups[0].test.mean).toBeCloseTo(0.96)
    expect(groups[0].test.sd).toBeCloseTo(Math.sqrt(0.0002))
    expect(groups[1].test).toEqual({ mean: 0.9, sd: 0, n: 1 })
    expect(meanAndSd([])).toEqual({ mean: Number.NaN, sd: Number.NaN, n: 0 })
  })

  it('exports the results table with one row per run and its experiment figures', () => {
    const csv = resultsCsv(groupResults([result('r1', 1, 0.95), result('r2', 2, 0.97)]))
    const lines = csv.replace('\uFEFF', '').trim().split('\r\n')
    expect(lines[0].split(',')).toHaveLength(15)
    expect(lines).toHaveLength(3)
    expect(lines[1].startsWith('ReLU + He,r1,vg-relu-he,false,1,completed,2000,0.97,0.95,12.345,2,')).toBe(true)
  })

  it('exports curves in long format: losses, then train and test accuracy', () => {
    const csv = curvesCsv([
      {
        id: 'r1',
        label: 'Custom (from vg-relu-he)',
        seed: 1,
        losses: [
          { x: 1, y: 2.3 },
          { x: 2, y: Number.NaN }
        ],
        evaluations: [{ iter: 10, loss: 1, trainAcc: 0.5, testAcc: 0.4, elapsedMs: 1 }]
      }
    ])
    expect(csv.replace('\uFEFF', '').trim().split('\r\n')).toEqual([
      'run_id,label,seed,series,iter,value',
      'r1,Custom (from vg-relu-he),1,loss,1,2.3',
      'r1,Custom (from vg-relu-he),1,loss,2,',
      'r1,Custom (from vg-relu-he),1,train_acc,10,0.5',
      'r1,Custom (from vg-relu-he),1,test_acc,10,0.4'
    ])
  })
})
