import { describe, expect, it } from 'vitest'
import { paintEnlarged } from '@renderer/lib/paint-canvas'

/** A canvas that records what is painted into it (happy-dom's has no 2-D context). */
function fakeCanvas() {
  const painted: ImageData[] = []
  const ctx = { putImageData: (image: ImageData) => painted.push(image) }
  const el = { width: 0, height: 0, getContext: () => ctx } as unknown as HTMLCanvasElement
  return { el, ctx, painted }
}

describe('paintEnlarged', () => {
  it('sizes the canvas to rows × cols blocks and paints each pixel as a cell × cell block', () => {
    const { el, ctx, painted } = fakeCanvas()
    // 1 row, 2 columns: red then blue.
    const rgba = Uint8ClampedArray.from([255, 0, 0, 255, 0, 0, 255, 255])
    expect(paintEnlarged(el, rgba, 1, 2, 3)).toEqual({ ctx, cell: 3 })
    expect([el.width, el.height]).toEqual([6, 3])
    expect([painted[0].width, painted[0].height]).toEqual([6, 3])
    const pixel = (x: number, y: number) => Array.from(painted[0].data.subarray((y * 6 + x) * 4, (y * 6 + x) * 4 + 4))
    expect(pixel(2, 2)).toEqual([255, 0, 0, 255])
    expect(pixel(3, 0)).toEqual([0, 0, 255, 255])
  })

  it('takes a whole block size of at least 1, and does nothing without a canvas or a 2-D context', () => {
    const { el } = fakeCanvas()
    expect(paintEnlarged(el, new Uint8ClampedArray(4), 1, 1, 0.4)?.cell).toBe(1)
    expect(paintEnlarged(el, new Uint8ClampedArray(4), 1, 1, 2.7)?.cell).toBe(2)
    expect(paintEnlarged(null, new Uint8ClampedArray(4), 1, 1, 2)).toBeNull()
    expect(paintEnlarged({ getContext: () => null } as unknown as HTMLCanvasElement, new Uint8ClampedArray(4), 1, 1, 2)).toBeNull()
  })
})
