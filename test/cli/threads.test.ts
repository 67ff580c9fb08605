/**
 * The thread count changes speed only: a conv run (products, im2col and col2im split between kernel
 * threads) prints the same losses and accuracies on one thread and on three, and the process exits when
 * the run ends (kernel threads never keep it alive).
 */
import { describe, expect, it } from 'vitest'
import { jsonLines, runLab, withoutTimes } from './run-lab'

function train(threads: number) {
  const args = ['train', '--preset', 'cnn-simple', '--iters', '6', '--eval-every', '3', '--eval-subset', '500', '--threads', String(threads), '--json']
  const result = runLab(args, { timeout: 60_000 })
  expect(result.code, result.stderr).toBe(0)
  return withoutTimes(jsonLines(result.stdout))
}

describe('lab train --threads', { timeout: 120_000 }, () => {
  it('gives the same numbers on 1 and 3 threads', () => {
    const one = train(1)
    expect(one.length).toBeGreaterThanOrEqual(3)
    expect(train(3)).toEqual(one)
  })
})
