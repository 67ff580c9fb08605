import { expect } from 'vitest'
import { checkSweepSpec, expandTrials, SweepProblem } from '../../../src/engine/sweep'

/** A sweep as a user writes it (unchecked JSON), checked and expanded into its trials. */
export const expand = (input: unknown) => expandTrials(checkSweepSpec(input))

/** The sentence a bad sweep is refused with (a SweepProblem); fails when the sweep is accepted. */
export function problemOf(input: unknown): string {
  try {
    expand(input)
  } catch (error) {
    expect(error).toBeInstanceOf(SweepProblem)
    return (error as Error).message
  }
  throw new Error('expected a problem')
}
