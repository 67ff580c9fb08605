import { describe, expect, it } from 'vitest'
import { parseNestedArray, toNestedArray } from '../../src/cli/nested-array'
import { prettyJson } from '../../src/cli/pretty-json'

const parse = (value: unknown) => parseNestedArray(value, 4, 'input', 'N×C×H×W')

describe('reading an N×C×H×W nested array', () => {
  it('gives the shape and the values in row-major order, and back', () => {
    const value = [
      [
        [
          [1, 2, 3],
          [4, 5, 6]
        ]
      ],
      [
        [
          [7, 8, 9],
          [10, 11, 12]
        ]
      ]
    ]
    const { shape, data } = parse(value)
    expect(shape).toEqual([2, 1, 2, 3])
    expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    expect(toNestedArray(data, shape)).toEqual(value)
  })

  it.each([
    [
      [
        [
          [1, 2],
          [3, 4]
        ]
      ],
      'input[0][0][0] is 1, not an array: the input must be an N×C×H×W nested array of numbers'
    ],
    [{ n: 1 }, 'input is an object, not an array: the input must be an N×C×H×W nested array of numbers'],
    [[], 'input is empty: every axis of the N×C×H×W input needs at least one entry'],
    [
      [
        [
          [[1, 2]],
          [
            [3, 4],
            [5, 6]
          ]
        ]
      ],
      'input[0][1] has 2 entries but input[0][0] has 1: the N×C×H×W input is not rectangular'
    ],
    [[[[[1, 2]]], [[[3, 4, 5]]]], 'input[1][0][0] has 3 entries but input[0][0][0] has 2: the N×C×H×W input is not rectangular'],
    [[[[[1, null]]]], 'input[0][0][0][1] is null, not a finite number'],
    [[[[[1, [2]]]]], 'input[0][0][0][1] is an array, not a finite number'],
    [[[[[1, true]]]], 'input[0][0][0][1] is boolean true, not a finite number'],
    [[[[[Infinity]]]], 'input[0][0][0][0] is Infinity, not a finite number'],
    [[[[1, [2]]]], 'input[0][0][0] is 1, not an array: the input must be an N×C×H×W nested array of numbers']
  ])('refuses %j', (value, message) => {
    expect(() => parse(value)).toThrow(message)
  })
})

describe('pretty JSON', () => {
  it('keeps a matrix one row per line and is still JSON', () => {
    const value = {
      shape: [2, 2],
      window: { fh: 1, pad: 0 },
      col: [
        [1, 2],
        [3, 4.5]
      ]
    }
    const text = prettyJson(value)
    expect(text).toBe('{\n  "shape": [2, 2],\n  "window": {"fh": 1, "pad": 0},\n  "col": [\n    [1, 2],\n    [3, 4.5]\n  ]\n}')
    expect(JSON.parse(text)).toEqual(value)
  })
})
