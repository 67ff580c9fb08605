import { describe, expect, it } from 'vitest'
import { greyOf, overWhite, toPlanes, withChannels } from '../../../../src/engine/data/import/pixels'

describe('pixel conversions', () => {
  it('grey is round(0.299 R + 0.587 G + 0.114 B)', () => {
    expect(greyOf(255, 0, 0)).toBe(76) // 76.245
    expect(greyOf(0, 255, 0)).toBe(150) // 149.685
    expect(greyOf(0, 0, 255)).toBe(29) // 29.07
    expect(greyOf(10, 20, 30)).toBe(18) // 18.15
    expect(greyOf(1, 1, 0)).toBe(1) // 0.886
    for (let v = 0; v < 256; v++) expect(greyOf(v, v, v)).toBe(v)
  })

  it('alpha is composited over white', () => {
    expect(overWhite(0, 0)).toBe(255)
    expect(overWhite(0, 128)).toBe(127) // 255 · 127 / 255
    expect(overWhite(100, 255)).toBe(100)
    expect(overWhite(200, 51)).toBe(244) // (200·51 + 255·204) / 255
  })

  it('makes RGBA into R, G, B planes over white, or one grey plane', () => {
    const rgba = { width: 2, height: 1, channels: 4 as const, data: Uint8Array.from([255, 0, 0, 255, 0, 0, 0, 0]) }
    expect(toPlanes(rgba, false)).toMatchObject({ channels: 3, data: Uint8Array.from([255, 255, 0, 255, 0, 255]) })
    expect(toPlanes(rgba, true)).toMatchObject({ channels: 1, data: Uint8Array.from([76, 255]) })
  })

  it('keeps an RGB image of grey pixels as one plane, and expands grey to three on request', () => {
    const rgb = { width: 2, height: 1, channels: 3 as const, data: Uint8Array.from([7, 7, 7, 200, 200, 200]) }
    const planes = toPlanes(rgb, false)
    expect(planes).toMatchObject({ channels: 1, data: Uint8Array.from([7, 200]) })
    expect(withChannels(planes, 3).data).toEqual(Uint8Array.from([7, 200, 7, 200, 7, 200]))
  })

  it('composites grey + alpha', () => {
    const ga = { width: 2, height: 1, channels: 2 as const, data: Uint8Array.from([0, 255, 0, 0]) }
    expect(toPlanes(ga, false)).toMatchObject({ channels: 1, data: Uint8Array.from([0, 255]) })
  })
})
