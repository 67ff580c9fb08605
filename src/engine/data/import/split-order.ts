import { Random } from '../../core/random'

/*
 * Which images go to test, and in which order each split is stored. Both come from one seeded stream,
 * drawn in a fixed sequence, so a seed gives the same split and order on every host. The order inside a
 * split is shuffled because the lessons evaluate "the first N test images": the first N must be a fair
 * sample of every class, not the first class's files.
 */

export interface SplitPlan {
  /** indices into the images, in stored order */
  train: number[]
  test: number[]
}

/**
 * A split stratified by class: each class gives round(testFraction · its count) images to test, chosen at
 * random, but always keeps one for training. `byClass[label]` lists the images of that class in path order.
 */
export function stratifiedSplit(byClass: readonly number[][], testFraction: number, seed: number): SplitPlan {
  const random = new Random(seed)
  const train: number[] = []
  const test: number[] = []
  for (const members of byClass) {
    const shuffled = shuffle(members, random)
    const testCount = Math.min(Math.round(members.length * testFraction), members.length - 1)
    test.push(...shuffled.slice(0, testCount))
    train.push(...shuffled.slice(testCount))
  }
  return { train: shuffle(train, random), test: shuffle(test, random) }
}

/** The train/ and test/ folders' own split, each shuffled. */
export function givenSplit(train: readonly number[], test: readonly number[], seed: number): SplitPlan {
  const random = new Random(seed)
  return { train: shuffle(train, random), test: shuffle(test, random) }
}

/** Fisher–Yates, as a copy. */
export function shuffle<T>(items: readonly T[], random: Random): T[] {
  const out = items.slice()
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1)
    const swap = out[i]
    out[i] = out[j]
    out[j] = swap
  }
  return out
}
