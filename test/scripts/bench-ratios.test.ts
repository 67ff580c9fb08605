import { describe, expect, it } from 'vitest'
import { ratios, type BenchRow } from '../../bench/report'

/*
 * npm run bench's ratios (bench/report.ts): rows timed in the same alternating rounds are compared round by round
 * (the median of each round's own peer/engine ratio), others by their medians.
 */
const row = (impl: BenchRow['impl'], threads: number, step: number, rounds?: number[]): BenchRow => ({
  name: 'cnn-deep',
  impl,
  threads,
  dtype: 'float32',
  stepSeconds: step,
  evalSeconds: step / 4,
  ...(rounds ? { roundStepSeconds: rounds, roundEvalSeconds: rounds.map((r) => r / 4) } : {})
})

describe('bench ratios', () => {
  it('pairs rounds: the median of the rounds’ own ratios, with the ratio of the medians beside it', () => {
    // The machine slowed in round 2 for the peer only and in round 3 for the engine only: per round 0.5, 2, 4.
    const rows = [row('engine', 2, 4, [2, 4, 1]), row('pytorch', 2, 4, [1, 8, 4])]
    const [torch] = ratios(rows)
    expect(torch).toMatchObject({ ratio: 'engine/pytorch', step: 2, eval: 2, pairedRounds: 3, stepOfMedians: 1 })
  })

  it('compares medians when the rows were not timed in the same rounds', () => {
    const rows = [row('engine', 2, 2, [2, 2, 3]), row('pytorch', 2, 3), row('numpy-f32', 1, 10)]
    expect(ratios(rows)).toEqual([
      { name: 'cnn-deep', ratio: 'engine/pytorch', step: 1.5, eval: 1.5 },
      { name: 'cnn-deep', ratio: 'engine/numpy-f32', step: 5, eval: 5 }
    ])
  })

  it('pairs the one-thread rows with the one-thread peer', () => {
    const rows = [row('engine', 2, 1, [1, 1, 1]), row('engine', 1, 2, [2, 2, 4]), row('pytorch', 2, 1, [1, 1, 1]), row('pytorch', 1, 2, [3, 2, 2])]
    const oneThread = ratios(rows).find((r) => r.ratio === 'engine-1-thread/pytorch-1-thread')
    expect(oneThread).toMatchObject({ step: 1, pairedRounds: 3 })
  })
})
