import { describe, expect, it } from 'vitest'
import { holdOut, validationCount, validationIndices } from '../../../src/engine/data/validation-split'
import type { Split } from '../../../src/engine/data/image-set'

/** 50 one-pixel images whose pixel is their index: where each image went is readable from it. */
function numbered(count = 50): Split {
  return {
    count,
    channels: 1,
    rows: 1,
    cols: 1,
    images: Uint8Array.from({ length: count }, (_, i) => i),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10)
  }
}

describe('the validation split', () => {
  it('takes a fraction (rounded) or a count', () => {
    expect(validationCount({ fraction: 0.1 }, 55)).toBe(6)
    expect(validationCount({ count: 7 }, 55)).toBe(7)
  })

  it('is seeded: the same seed picks the same images, another seed others', () => {
    expect(Array.from(validationIndices(1000, 100, 3))).toEqual(Array.from(validationIndices(1000, 100, 3)))
    expect(Array.from(validationIndices(1000, 100, 3))).not.toEqual(Array.from(validationIndices(1000, 100, 4)))
  })

  it('is disjoint from the images trained on, and together they are the whole set', () => {
    const { train, validation } = holdOut(numbered(), { fraction: 0.2 }, 7)
    expect(validation.count).toBe(10)
    expect(train.count).toBe(40)
    const trained = new Set(train.images)
    expect(Array.from(validation.images).some((i) => trained.has(i))).toBe(false)
    expect([...train.images, ...validation.images].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    // labels travel with their images, and both parts keep the original order
    expect(Array.from(validation.labels)).toEqual(Array.from(validation.images).map((i) => i % 10))
    expect(Array.from(train.images)).toEqual([...train.images].sort((a, b) => a - b))
  })

  it('draws indices spread over the set (not its first images)', () => {
    const chosen = validationIndices(1000, 100, 1)
    expect(chosen[chosen.length - 1]).toBeGreaterThan(500)
    expect(new Set(chosen).size).toBe(100)
  })
})
