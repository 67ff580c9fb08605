import { describe, expect, it } from 'vitest'
import {
  DIVERGING_STOPS,
  SEQUENTIAL_STOPS,
  colourAt,
  formatMapValue,
  legendStrip,
  legendTicks,
  mapRange,
  mapToRgba,
  scalePosition
} from '@renderer/lib/explain/colour-scale'
import { BACKDROP_FADE, MAX_OPACITY, overlayRgba } from '@renderer/lib/explain/overlay'
import { mapKind, softmax } from '@renderer/lib/explain/methods'
import { drawingOverlayCells } from '@renderer/lib/explain/drawing-overlay'
import { drawingSquareOf, toMnistImage, toMnistImageWithPlacement } from '@renderer/lib/draw/mnist-preprocess'

const pixel = (rgba: ArrayLike<number>, i: number) => Array.from(rgba).slice(i * 4, i * 4 + 4)

describe('explanation colour scales', () => {
  it('draws gradient × input, integrated gradients and occlusion as signed maps, the others as magnitudes', () => {
    expect(['gradxinput', 'integrated', 'occlusion'].map(mapKind)).toEqual(['signed', 'signed', 'signed'])
    expect(['saliency', 'smoothgrad', 'gradcam'].map(mapKind)).toEqual(['magnitude', 'magnitude', 'magnitude'])
  })

  it('puts a signed map on a range symmetric around 0 and a magnitude map on [0, max]', () => {
    expect(mapRange([-0.2, 0.05, 0.1], 'signed')).toEqual({ lo: -0.2, hi: 0.2 })
    expect(mapRange([0, 3, 1.5, Number.NaN], 'magnitude')).toEqual({ lo: 0, hi: 3 })
    expect(mapRange([0, 0], 'signed')).toEqual({ lo: -0, hi: 0 })
  })

  it('places 0 in the middle of a diverging scale and at the start of a sequential one', () => {
    const signed = { lo: -2, hi: 2 }
    expect(scalePosition(0, signed)).toBe(0.5)
    expect(scalePosition(-2, signed)).toBe(0)
    expect(scalePosition(1, signed)).toBe(0.75)
    expect(scalePosition(5, signed)).toBe(1)
    expect(scalePosition(0, { lo: 0, hi: 4 })).toBe(0)
    expect(scalePosition(1, { lo: 0, hi: 4 })).toBe(0.25)
    // An all-zero map has an empty range: everything is drawn as 0 is, not as a maximum.
    expect(scalePosition(0, { lo: 0, hi: 0 })).toBe(0)
  })

  it('colours a signed map blue below 0, white at 0 and red above, and a magnitude map from white to dark red', () => {
    const rgba = mapToRgba([-1, 0, 1], 'signed', { lo: -1, hi: 1 })
    expect(pixel(rgba, 0)).toEqual([...DIVERGING_STOPS[0], 255])
    expect(pixel(rgba, 1)).toEqual([...DIVERGING_STOPS[2], 255])
    expect(pixel(rgba, 2)).toEqual([...DIVERGING_STOPS[4], 255])
    const [r, , b] = pixel(rgba, 2)
    expect(r).toBeGreaterThan(b)
    const seq = mapToRgba([0, 2], 'magnitude', { lo: 0, hi: 2 })
    expect(pixel(seq, 0)).toEqual([...SEQUENTIAL_STOPS[0], 255])
    expect(pixel(seq, 1)).toEqual([...SEQUENTIAL_STOPS[4], 255])
  })

  it('interpolates between neighbouring stops', () => {
    const stops = [
      [0, 0, 0],
      [100, 200, 50]
    ] as const
    expect(colourAt(stops, 0.5)).toEqual([50, 100, 25])
    expect(colourAt(DIVERGING_STOPS, 0.125)).toEqual([68, 136, 190])
  })

  it('gives the legend the scale as a strip and its two ends and middle as labels', () => {
    const strip = legendStrip('signed', 5)
    expect(pixel(strip, 0)).toEqual([...DIVERGING_STOPS[0], 255])
    expect(pixel(strip, 2)).toEqual([...DIVERGING_STOPS[2], 255])
    expect(pixel(strip, 4)).toEqual([...DIVERGING_STOPS[4], 255])
    expect(legendTicks({ lo: -0.5, hi: 0.5 })).toEqual([-0.5, 0, 0.5])
    expect(legendTicks({ lo: 0, hi: 3 })).toEqual([0, 1.5, 3])
    expect([0.000123, 0.01234, 1.5, -2.345678, 0, 123456].map(formatMapValue)).toEqual(['1.23e-4', '0.0123', '1.5', '-2.35', '0', '1.23e+5'])
  })
})

describe('the map over the image', () => {
  const grey = { values: Uint8Array.from([0, 255, 0, 0]), channels: 1, rows: 2, cols: 2 }

  it('fades the image toward white where the map is 0 and shows the map colour where it is strongest', () => {
    const out = overlayRgba(grey, [0, 0, 1, -1], 'signed', { lo: -1, hi: 1 })
    // Black becomes the backdrop's grey, white stays white: where the map is 0 nothing is painted.
    const faded = 255 * BACKDROP_FADE
    expect(pixel(out, 0)).toEqual([128, 128, 128, 255])
    expect(pixel(out, 1)).toEqual([255, 255, 255, 255])
    const red = DIVERGING_STOPS[4]
    const expected = red.map((c) => Math.round(faded * (1 - MAX_OPACITY) + c * MAX_OPACITY))
    expect(pixel(out, 2).slice(0, 3)).toEqual(expected)
    const blue = pixel(out, 3)
    expect(blue[2]).toBeGreaterThan(blue[0])
  })

  it("keeps a colour image's colours under a weak map and refuses a map of another size", () => {
    const rgb = { values: Uint8Array.from([200, 10, 30, 40]), channels: 3, rows: 1, cols: 1 }
    const out = overlayRgba({ ...rgb, values: Uint8Array.from([200, 10, 30]) }, [0], 'magnitude', { lo: 0, hi: 1 })
    expect(pixel(out, 0)).toEqual([228, 133, 143, 255])
    expect(() => overlayRgba(grey, [1, 2, 3], 'magnitude', { lo: 0, hi: 3 })).toThrow(/map of 4 values/)
  })
})

describe('class probabilities from scores', () => {
  it('is the softmax, stable for large scores', () => {
    const p = softmax([1000, 1000 + Math.log(3)])
    expect(p[0]).toBeCloseTo(0.25, 12)
    expect(p[1]).toBeCloseTo(0.75, 12)
    expect(softmax([])).toEqual([])
  })
})

describe('the map painted back on the drawing', () => {
  // A 40×100 bar of ink at (100, 60) on a 280×280 pad.
  const SIZE = 280
  const ink = new Float64Array(SIZE * SIZE)
  for (let y = 60; y < 160; y++) for (let x = 100; x < 140; x++) ink[y * SIZE + x] = 1
  const placed = toMnistImageWithPlacement({ width: SIZE, height: SIZE, ink })!

  it("gives the same 28×28 image as toMnistImage, and each inked pixel's square lies on the ink", () => {
    expect(Array.from(placed.pixels)).toEqual(Array.from(toMnistImage({ width: SIZE, height: SIZE, ink })!))
    expect(placed.placement.scale).toBeCloseTo(20 / 100, 12)
    let inked = 0
    for (let Y = 0; Y < 28; Y++) {
      for (let X = 0; X < 28; X++) {
        const square = drawingSquareOf(placed.placement, X, Y)
        expect(square.side).toBeCloseTo(5, 12)
        const onInk = square.x >= 100 - 1e-9 && square.x + square.side <= 140 + 1e-9 && square.y >= 60 - 1e-9 && square.y + square.side <= 160 + 1e-9
        if (placed.pixels[Y * 28 + X] > 0.99) {
          inked++
          expect(onInk).toBe(true)
        } else expect(onInk).toBe(false)
      }
    }
    expect(inked).toBe(8 * 20)
  })

  it("paints the non-zero cells only, in the scale's colour with the overlay's opacity", () => {
    const map = new Array<number>(784).fill(0)
    map[14 * 28 + 14] = 2
    map[14 * 28 + 15] = 1
    const cells = drawingOverlayCells(map, 'magnitude', { lo: 0, hi: 2 }, placed.placement)
    expect(cells).toHaveLength(2)
    const [r, g, b] = SEQUENTIAL_STOPS[4]
    expect(cells[0].fill).toBe(`rgba(${r}, ${g}, ${b}, ${MAX_OPACITY.toFixed(3)})`)
    expect(cells[1].fill).toMatch(new RegExp(`, ${(MAX_OPACITY / 2).toFixed(3)}\\)$`))
    expect(cells[0]).toMatchObject(drawingSquareOf(placed.placement, 14, 14))
    expect(() => drawingOverlayCells([1, 2], 'signed', { lo: -2, hi: 2 }, placed.placement)).toThrow(/784 values/)
  })
})
